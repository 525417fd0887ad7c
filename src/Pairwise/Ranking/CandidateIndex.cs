using System.Collections.Concurrent;
using System.Text.Json;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Profiles;

namespace Pairwise.Ranking;

/// <summary>
/// How one side of a market lays its fields out in a card's feature arrays: each category field
/// a code slot, each multi-valued field a 64-bit set slot, each number (and each end of a range,
/// each coordinate of a point) a float slot. Computed once per market side.
/// </summary>
public sealed class FieldLayout
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _values = new(StringComparer.Ordinal);

    public FieldLayout(MarketDefinition market, IEnumerable<FieldDefinition> fields)
    {
        foreach (var field in fields)
        {
            switch (field.Type)
            {
                case FieldType.Category:
                    _codes[field.Name] = _codes.Count;
                    _values[field.Name] = market.AllowedValues(field);
                    break;
                case FieldType.Categories or FieldType.RankedCategories:
                    _sets[field.Name] = _sets.Count;
                    _values[field.Name] = market.AllowedValues(field);
                    break;
                case FieldType.Number or FieldType.Integer or FieldType.Boolean:
                    _numbers[field.Name] = _numbers.Count;
                    break;
                case FieldType.Range:
                    _numbers[field.Name + ".min"] = _numbers.Count;
                    _numbers[field.Name + ".max"] = _numbers.Count;
                    break;
                default:
                    break;
            }
        }
    }

    public int CodeCount => _codes.Count;
    public int SetCount => _sets.Count;
    public int NumberCount => _numbers.Count;

    public int Code(string field) => _codes.GetValueOrDefault(field, -1);
    public int Set(string field) => _sets.GetValueOrDefault(field, -1);
    public int Number(string field) => _numbers.GetValueOrDefault(field, -1);

    /// <summary>The position of a value in a field's list (its code), or −1.</summary>
    public int ValueCode(string field, string? value) =>
        value is not null && _values.TryGetValue(field, out var values) ? IndexOf(values, value) : -1;

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count && i < 64; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Encodes attribute values (and, under "pref.", preferences) into flat arrays.</summary>
    public Encoded Encode(IReadOnlyDictionary<string, JsonElement> attributes, IReadOnlyDictionary<string, JsonElement>? preferences = null)
    {
        var codes = new int[_codes.Count];
        Array.Fill(codes, -1);
        var sets = new ulong[_sets.Count];
        var orders = new byte[_sets.Count][];
        var numbers = new float[_numbers.Count];
        Array.Fill(numbers, float.NaN);
        IEnumerable<KeyValuePair<string, JsonElement>> all = preferences is null
            ? attributes
            : attributes.Concat(preferences.Select(p => KeyValuePair.Create("pref." + p.Key, p.Value)));
        foreach (var (name, value) in all)
        {
            if (_codes.TryGetValue(name, out var code) && value.ValueKind == JsonValueKind.String)
            {
                codes[code] = ValueCode(name, value.GetString());
            }
            else if (_sets.TryGetValue(name, out var set) && value.ValueKind == JsonValueKind.Array)
            {
                var order = new List<byte>();
                foreach (var item in value.EnumerateArray())
                {
                    if (ValueCode(name, item.GetString()) is var bit and >= 0)
                    {
                        sets[set] |= 1UL << bit;
                        order.Add((byte)bit);
                    }
                }
                orders[set] = [.. order];
            }
            else if (_numbers.TryGetValue(name, out var number))
            {
                numbers[number] = value.ValueKind switch
                {
                    JsonValueKind.Number => value.GetSingle(),
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    _ => float.NaN,
                };
            }
            else if (value.ValueKind == JsonValueKind.Object && _numbers.TryGetValue(name + ".min", out var min))
            {
                numbers[min] = value.GetProperty("min").GetSingle();
                numbers[_numbers[name + ".max"]] = value.GetProperty("max").GetSingle();
            }
        }
        return new Encoded(codes, sets, orders, numbers);
    }
}

/// <summary>
/// Field values as flat arrays: category codes (−1 when missing), value sets as bit masks with
/// their order (for ranked lists: first is most wanted), numbers (NaN when missing).
/// </summary>
public sealed record Encoded(int[] Codes, ulong[] Sets, byte[]?[] Orders, float[] Numbers)
{
    /// <summary>Rank weight of a value in a ranked list: first = 1, last of n = 1/n, absent = 0.</summary>
    public float Rank(int set, int code)
    {
        if (Orders[set] is not { Length: > 0 } order || code < 0)
        {
            return 0;
        }
        for (var i = 0; i < order.Length; i++)
        {
            if (order[i] == code)
            {
                return (float)(order.Length - i) / order.Length;
            }
        }
        return 0;
    }
}

/// <summary>
/// One rankable card: a listing's features as flat arrays and numbers, plus what ranking needs
/// from its owner's profile. Immutable; a change replaces the card.
/// </summary>
public sealed class CandidateCard
{
    public required string Id { get; init; }
    public required string Side { get; init; }
    public required string OwnerProfileId { get; init; }
    public required string OwnerUserId { get; init; }
    /// <summary>The card's attributes (and, for profile cards, its owner's preferences) as flat arrays.</summary>
    public required Encoded Features { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public float Price { get; init; } = float.NaN;
    public float Lat { get; init; } = float.NaN;
    public float Lon { get; init; } = float.NaN;
    public long CreatedAt { get; init; }
    public long ExpiresAt { get; init; } = long.MaxValue;
    public float Hype { get; init; }
    public long BoostUntil { get; init; }
    public float Completeness { get; init; }
    public long ProfileCreatedAt { get; init; }
    public long LastActiveAt { get; init; }
    public float BadRatio { get; init; }

    /// <summary>Row in the market's embedding matrix, or −1.</summary>
    public int EmbeddingRow { get; set; } = -1;

    private volatile bool _removed;

    /// <summary>Set when a newer version or a deletion replaces this card.</summary>
    public bool Removed
    {
        get => _removed;
        set => _removed = value;
    }
}

/// <summary>
/// The in-memory index of one market's live cards: an append-only array of cards plus, when the
/// recipe uses text similarity, a contiguous matrix of their normalised embeddings (one row per
/// card) for the vector kernel. Readers take a snapshot (array, count) without locks; writers
/// append under a lock and mark replaced cards removed; the arrays are compacted when a quarter
/// of them is dead. Memory per card: ~300 bytes of features and ids, plus 1 KB of embedding
/// (256 floats) in markets that use similarity.
/// </summary>
public sealed class MarketIndex(MarketDefinition market, bool withEmbeddings)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CandidateCard> _byId = new(StringComparer.Ordinal);
    private volatile Snapshot _snapshot = new([], [], 0);
    private int _removed;

    public MarketDefinition Market { get; } = market;

    public bool WithEmbeddings { get; } = withEmbeddings;

    public TaskCompletionSource Loaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public sealed record Snapshot(CandidateCard[] Cards, float[] Embeddings, int Count);

    public Snapshot Current => _snapshot;

    public int LiveCount
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    public CandidateCard? Find(string id)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    public void Upsert(CandidateCard card, float[]? embedding)
    {
        lock (_gate)
        {
            if (_byId.Remove(card.Id, out var old))
            {
                old.Removed = true;
                _removed++;
            }
            var snapshot = _snapshot;
            var cards = snapshot.Cards;
            var embeddings = snapshot.Embeddings;
            if (snapshot.Count == cards.Length)
            {
                var capacity = Math.Max(64, cards.Length * 2);
                Array.Resize(ref cards, capacity);
                if (WithEmbeddings)
                {
                    Array.Resize(ref embeddings, capacity * LocalEmbedder.Dimensions);
                }
            }
            if (WithEmbeddings && embedding is not null)
            {
                embedding.CopyTo(embeddings.AsSpan(snapshot.Count * LocalEmbedder.Dimensions, LocalEmbedder.Dimensions));
                card.EmbeddingRow = snapshot.Count;
            }
            cards[snapshot.Count] = card;
            _byId[card.Id] = card;
            _snapshot = new Snapshot(cards, embeddings, snapshot.Count + 1);
            CompactIfNeeded();
        }
    }

    public void Remove(string id)
    {
        lock (_gate)
        {
            if (_byId.Remove(id, out var old))
            {
                old.Removed = true;
                _removed++;
                CompactIfNeeded();
            }
        }
    }

    private void CompactIfNeeded()
    {
        var snapshot = _snapshot;
        if (_removed < 64 || _removed * 4 < snapshot.Count)
        {
            return;
        }
        var live = _byId.Count;
        var cards = new CandidateCard[Math.Max(64, live * 2)];
        var embeddings = WithEmbeddings ? new float[cards.Length * LocalEmbedder.Dimensions] : [];
        var row = 0;
        for (var i = 0; i < snapshot.Count; i++)
        {
            var card = snapshot.Cards[i];
            if (card.Removed)
            {
                continue;
            }
            // Cards are shared with older snapshots, so a moved card is copied, not re-pointed.
            var moved = Copy(card);
            if (WithEmbeddings && card.EmbeddingRow >= 0)
            {
                snapshot.Embeddings.AsSpan(card.EmbeddingRow * LocalEmbedder.Dimensions, LocalEmbedder.Dimensions)
                    .CopyTo(embeddings.AsSpan(row * LocalEmbedder.Dimensions));
                moved.EmbeddingRow = row;
            }
            cards[row++] = moved;
            _byId[moved.Id] = moved;
            card.Removed = true;
        }
        _removed = 0;
        _snapshot = new Snapshot(cards, embeddings, row);
    }

    private static CandidateCard Copy(CandidateCard card) => new()
    {
        Id = card.Id, Side = card.Side, OwnerProfileId = card.OwnerProfileId, OwnerUserId = card.OwnerUserId,
        Features = card.Features, Tags = card.Tags, Price = card.Price, Lat = card.Lat, Lon = card.Lon,
        CreatedAt = card.CreatedAt, ExpiresAt = card.ExpiresAt, Hype = card.Hype, BoostUntil = card.BoostUntil, Completeness = card.Completeness,
        ProfileCreatedAt = card.ProfileCreatedAt, LastActiveAt = card.LastActiveAt, BadRatio = card.BadRatio,
    };
}

/// <summary>The candidate indexes of every market, by market id.</summary>
public sealed class CandidateIndexes
{
    private readonly ConcurrentDictionary<string, MarketIndex> _markets = new(StringComparer.Ordinal);

    public CandidateIndexes(MarketCatalog catalog)
    {
        foreach (var market in catalog.All)
        {
            _markets[market.Id] = new MarketIndex(market, Recipe.For(market).UsesEmbeddings);
        }
    }

    public MarketIndex? For(string market) => _markets.GetValueOrDefault(market);

    public IEnumerable<MarketIndex> All => _markets.Values;

    /// <summary>Builds a card from a listing and, for cards, its owner's profile.</summary>
    public static CandidateCard Card(MarketDefinition market, ListingRecord listing, ProfileRecord? owner)
    {
        var side = market.FindSide(listing.Side)!;
        var features = Layouts.For(market, side).Encode(listing.Attributes, side.Presentation == Presentation.Card ? owner?.Preferences : null);
        var promoted = listing.Promotion is { BoostUntil: { } until } ? until.UtcTicks : 0;
        return new CandidateCard
        {
            Id = listing.Id,
            Side = listing.Side,
            OwnerProfileId = listing.OwnerProfileId,
            OwnerUserId = listing.OwnerUserId,
            Features = features,
            Tags = listing.Tags,
            Price = listing.Price is { } price ? (float)price : float.NaN,
            Lat = listing.Location is { } at ? (float)at.Lat : float.NaN,
            Lon = listing.Location is { } to ? (float)to.Lon : float.NaN,
            CreatedAt = listing.CreatedAt.UtcTicks,
            ExpiresAt = listing.ExpiresAt?.UtcTicks ?? long.MaxValue,
            Hype = listing.Promotion?.Hype ?? 0,
            BoostUntil = promoted,
            Completeness = (float)(owner?.Completeness ?? 1),
            ProfileCreatedAt = (owner?.CreatedAt ?? listing.CreatedAt).UtcTicks,
            LastActiveAt = (owner?.LastActiveAt ?? owner?.UpdatedAt ?? listing.UpdatedAt).UtcTicks,
            BadRatio = owner?.Ratings is { } ratings ? (float)ratings.BadRatio : 0,
        };
    }

    /// <summary>The text whose embedding stands for a card: a listing's title and description; a profile card's text and tags (not the person's name).</summary>
    public static string Text(ListingRecord listing) => string.Join(' ',
        (listing.IsCard ? [listing.Description, .. listing.Tags] : new[] { listing.Title, listing.Description }).Where(t => !string.IsNullOrWhiteSpace(t)));
}

/// <summary>Field layouts per market side, built once.</summary>
public static class Layouts
{
    private static readonly ConcurrentDictionary<(MarketDefinition, string), FieldLayout> Cache = new();

    /// <summary>The layout of what a side's cards carry: a profile card its profile (attributes and preferences), a listing its attributes.</summary>
    public static FieldLayout For(MarketDefinition market, SideDefinition side) =>
        side.Presentation == Presentation.Listings
            ? Cache.GetOrAdd((market, side.Id + "#listing"), _ => new FieldLayout(market, side.Listings!.Attributes))
            : Profile(market, side);

    /// <summary>The layout of a side's profile: attributes, and preferences under "pref.".</summary>
    public static FieldLayout Profile(MarketDefinition market, SideDefinition side) =>
        Cache.GetOrAdd((market, side.Id + "#profile"), _ => new FieldLayout(market, [.. side.Attributes, .. side.Preferences.Select(p => p with { Name = "pref." + p.Name })]));
}
