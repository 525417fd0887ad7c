using System.Collections.Concurrent;
using System.Text.Json;
using Pairwise.Listings;

namespace Pairwise.Ranking;

/// <summary>What search keeps of a live listing: its words, lower-cased, and the values it filters and sorts by.</summary>
public sealed record SearchDocument(
    string Id, string Market, string Side, string OwnerUserId, string Title, string Body, IReadOnlyList<string> Tags, decimal? Price,
    GeoPoint? Location, IReadOnlyDictionary<string, string[]> Values, DateTimeOffset CreatedAt);

public enum SearchSort
{
    Relevance,
    Newest,
    PriceLow,
    PriceHigh,
    Distance,
}

public sealed record SearchRequest
{
    public required string Market { get; init; }
    public string? Side { get; init; }

    /// <summary>The query's words, lower-cased: a listing must contain each in its title, tags or description.</summary>
    public IReadOnlyList<string> Terms { get; init; } = [];
    public SearchSort Sort { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public decimal? MinPrice { get; init; }
    public decimal? MaxPrice { get; init; }
    public GeoPoint? Near { get; init; }
    public double? RadiusKm { get; init; }

    /// <summary>Category attributes by name (condition=used, category=bikes): the listing's value must be one of these.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();
    public int Offset { get; init; }
    public int Limit { get; init; } = 20;
}

public readonly record struct SearchHit(SearchDocument Document, double Relevance, double? DistanceKm);

/// <summary>
/// Text search over every market's live listings and cards, kept in memory beside the candidate
/// indexes and fed by the same changes (<see cref="IndexMaintainer"/>), so a new product is found
/// within moments on every node. A query's words must all appear (as words or inside them, so
/// Chinese text and word beginnings match); a word in the title counts most, a tag next, the
/// description least. A search scans its market without allocating: ~200–500 ns a listing (20–50 ms
/// at 100,000, docs/benchmarks.md); memory is the listing's title, tags and first 500 characters of
/// description.
/// </summary>
public sealed class ListingSearch
{
    public const int MaxBodyLength = 500;

    private readonly ConcurrentDictionary<string, Documents> _markets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _marketOf = new(StringComparer.Ordinal);

    /// <summary>One market's documents by id, and an array of them that searches scan, made again after a change.</summary>
    private sealed class Documents
    {
        public ConcurrentDictionary<string, SearchDocument> ById { get; } = new(StringComparer.Ordinal);

        private volatile SearchDocument[]? _scan;

        public void Changed() => _scan = null;

        public SearchDocument[] Scan() => _scan ??= [.. ById.Values];
    }

    public void Upsert(ListingRecord listing)
    {
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, value) in listing.Attributes)
        {
            if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: <= 100 } text)
            {
                values[name] = [text];
            }
            else if (value.ValueKind == JsonValueKind.Array)
            {
                values[name] = [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)];
            }
        }
        var body = listing.Description ?? "";
        var document = new SearchDocument(listing.Id, listing.Market, listing.Side, listing.OwnerUserId, listing.Title.ToLowerInvariant(),
            (body.Length > MaxBodyLength ? body[..MaxBodyLength] : body).ToLowerInvariant(), listing.Tags, listing.Price,
            listing.Location is { } at ? new GeoPoint(at.Lat, at.Lon) : null, values, listing.CreatedAt);
        var documents = _markets.GetOrAdd(listing.Market, _ => new());
        documents.ById[listing.Id] = document;
        documents.Changed();
        _marketOf[listing.Id] = listing.Market;
    }

    public void Remove(string listingId)
    {
        if (_marketOf.TryRemove(listingId, out var market) && _markets.TryGetValue(market, out var documents) && documents.ById.TryRemove(listingId, out _))
        {
            documents.Changed();
        }
    }

    public int Count(string market) => _markets.TryGetValue(market, out var documents) ? documents.ById.Count : 0;

    /// <summary>
    /// One page of the listings that match, in the asked order, and how many match in all. Only the
    /// best offset + limit are kept while scanning (a bounded heap), so a page costs the scan, not a
    /// sort of every match.
    /// </summary>
    public (IReadOnlyList<SearchHit> Page, int Total) Find(SearchRequest request, Func<SearchDocument, bool> visible)
    {
        if (!_markets.TryGetValue(request.Market, out var documents))
        {
            return ([], 0);
        }
        var keep = request.Offset + request.Limit;
        var order = Comparer<SearchHit>.Create((a, b) => Compare(request.Sort, a, b));
        // The worst kept hit is on top, to be dropped when a better one comes.
        var best = new PriorityQueue<SearchHit, SearchHit>(keep + 1, Comparer<SearchHit>.Create((a, b) => order.Compare(b, a)));
        var total = 0;
        var values = request.Values.Select(v => (v.Key, v.Value)).ToArray();
        foreach (var document in documents.Scan())
        {
            if (!Matches(request, values, document, out var distance) || Relevance(request.Terms, document) is not (var relevance and > 0) || !visible(document))
            {
                continue;
            }
            total++;
            var hit = new SearchHit(document, relevance, distance);
            if (best.Count < keep)
            {
                best.Enqueue(hit, hit);
            }
            else if (order.Compare(hit, best.Peek()) < 0)
            {
                best.DequeueEnqueue(hit, hit);
            }
        }
        var page = new List<SearchHit>(best.Count);
        while (best.TryDequeue(out var hit, out _))
        {
            page.Add(hit);
        }
        page.Reverse();
        return (page.Count > request.Offset ? page.GetRange(request.Offset, page.Count - request.Offset) : [], total);
    }

    /// <summary>The asked order; equal hits go newest first, then by id, so pages never swap places.</summary>
    private static int Compare(SearchSort sort, SearchHit a, SearchHit b)
    {
        var first = sort switch
        {
            SearchSort.Newest => 0,
            SearchSort.PriceLow => (a.Document.Price ?? decimal.MaxValue).CompareTo(b.Document.Price ?? decimal.MaxValue),
            SearchSort.PriceHigh => (b.Document.Price ?? decimal.MinValue).CompareTo(a.Document.Price ?? decimal.MinValue),
            SearchSort.Distance => (a.DistanceKm ?? double.MaxValue).CompareTo(b.DistanceKm ?? double.MaxValue),
            _ => b.Relevance.CompareTo(a.Relevance),
        };
        return first != 0 ? first
            : b.Document.CreatedAt.CompareTo(a.Document.CreatedAt) is var newer and not 0 ? newer
            : string.CompareOrdinal(b.Document.Id, a.Document.Id);
    }

    /// <summary>The filters (not the words), without allocating: a search calls it for every listing of the market.</summary>
    private static bool Matches(SearchRequest request, (string Name, string Wanted)[] values, SearchDocument document, out double? distanceKm)
    {
        distanceKm = null;
        if ((request.Side is not null && document.Side != request.Side)
            || (request.MinPrice is { } min && (document.Price is not { } low || low < min))
            || (request.MaxPrice is { } max && (document.Price is not { } high || high > max)))
        {
            return false;
        }
        for (var i = 0; i < request.Tags.Count; i++)
        {
            if (!Has(document.Tags, request.Tags[i]))
            {
                return false;
            }
        }
        foreach (var (name, wanted) in values)
        {
            if (!document.Values.TryGetValue(name, out var held) || Array.IndexOf(held, wanted) < 0)
            {
                return false;
            }
        }
        if (request.Near is { } near)
        {
            distanceKm = document.Location is { } at ? near.DistanceKm(at) : null;
            if (request.RadiusKm is { } radius && (distanceKm is not { } km || km > radius))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>0 when a word is missing; otherwise 3 points a word in the title (4 at a word's start), 2 in the tags, 1 in the description.</summary>
    private static double Relevance(IReadOnlyList<string> terms, SearchDocument document)
    {
        if (terms.Count == 0)
        {
            return 1;
        }
        var score = 0.0;
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            var at = document.Title.IndexOf(term, StringComparison.Ordinal);
            score += at >= 0 ? (at == 0 || !char.IsLetterOrDigit(document.Title[at - 1]) ? 4 : 3)
                : InTags(document.Tags, term) ? 2
                : document.Body.Contains(term, StringComparison.Ordinal) ? 1
                : double.NegativeInfinity;
        }
        return score > 0 ? score : 0;
    }

    private static bool Has(IReadOnlyList<string> tags, string tag)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i] == tag)
            {
                return true;
            }
        }
        return false;
    }

    private static bool InTags(IReadOnlyList<string> tags, string term)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Contains(term, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A query's words: lower-cased, split at anything that is neither a letter nor a digit.</summary>
    public static IReadOnlyList<string> Words(string? query) =>
        query is null ? [] : [.. new string([.. query.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ')])
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];
}
