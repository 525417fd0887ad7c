using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Platform;

namespace Pairwise.Ranking;

/// <param name="Total">How many listings match in all (the pages together).</param>
public sealed record SearchPage(IReadOnlyList<(ListingRecord Listing, double? DistanceKm)> Items, int Total, string? NextCursor);

/// <summary>
/// Search for one caller, as REST and GraphQL ask it: never their own listings or those of people
/// blocked either way; where the market has hard filters (a dating market's genders, ages,
/// distance), a card shows only to a profile that may see it, as in the feed (both ways between
/// cards), and to nobody without one. The page is read from the store, so it is current.
/// </summary>
public sealed class SearchService(CandidateIndexes indexes, ListingSearch search, ListingStore listings, Viewers viewers, FilterGate gate)
{
    /// <summary>A page, or null while the market's index is still loading.</summary>
    public async Task<SearchPage?> SearchAsync(string userId, MarketDefinition market, SearchRequest request, CancellationToken cancellationToken)
    {
        if (indexes.For(market.Id) is { } index && !index.Loaded.Task.IsCompleted)
        {
            return null;
        }
        var hidden = await viewers.HiddenFromAsync(userId, cancellationToken);
        var gates = await GatesAsync(market, userId, cancellationToken);
        var filtered = market.Scoring.Criteria.Any(c => c.Filter);
        var (page, total) = search.Find(request, d => d.OwnerUserId != userId && !hidden.Contains(d.OwnerUserId)
            && (gates.TryGetValue(d.Side, out var allows) ? allows(d.Id) : !filtered));
        var records = (await listings.GetManyAsync([.. page.Select(h => h.Document.Id)], cancellationToken)).ToDictionary(l => l.Id, StringComparer.Ordinal);
        var items = page.Where(h => records.TryGetValue(h.Document.Id, out var l) && listings.IsLive(l)).Select(h => (records[h.Document.Id], h.DistanceKm)).ToList();
        var next = request.Offset + request.Limit;
        return new SearchPage(items, total, next < total && next < SearchBinder.MaxOffset ? OpaqueCursor.Encode($"search:{next}") : null);
    }

    /// <summary>For each side the caller's profiles in the market look at, the market's hard filters for that profile.</summary>
    private async Task<Dictionary<string, Func<string, bool>>> GatesAsync(MarketDefinition market, string userId, CancellationToken cancellationToken)
    {
        var gates = new Dictionary<string, Func<string, bool>>(StringComparer.Ordinal);
        foreach (var own in (await viewers.ListOwnAsync(userId, cancellationToken)).Where(p => p.Market == market.Id))
        {
            if (market.FindSide(own.Side) is { } side && await viewers.GetProfileAsync(own.Id, cancellationToken) is { } profile)
            {
                gates.TryAdd(market.CounterpartOf(side).Id, gate.For(market, side, profile.Record));
            }
        }
        return gates;
    }
}
