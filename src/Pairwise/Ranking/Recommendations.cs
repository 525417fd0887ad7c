using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Profiles;

namespace Pairwise.Ranking;

/// <summary>Rankings with no side effects: a user's best cards for the digest, the best members for a listing.</summary>
public sealed class Recommendations(CandidateIndexes indexes, Viewers viewers, ListingStore listings)
{
    /// <summary>
    /// A user's best cards over every side they hold a feed on, for the daily digest (seed 003):
    /// ranked like a first feed page, but leaves no seen marks and no activity.
    /// </summary>
    public async Task<IReadOnlyList<FeedEntry>> RecommendAsync(string userId, int count, CancellationToken cancellationToken)
    {
        var entries = new List<FeedEntry>();
        var hidden = await viewers.HiddenFromAsync(userId, cancellationToken);
        foreach (var summary in await viewers.ListOwnAsync(userId, cancellationToken))
        {
            if (viewers.Markets.Find(summary.Market) is { } market && market.FindSide(summary.Side) is { } side
                && market.CounterpartOf(side).Presentation != Presentation.None
                && await viewers.GetProfileAsync(summary.Id, cancellationToken) is { } profile)
            {
                entries.AddRange(await RankQuietlyAsync(profile.Record, market, side, null, count, hidden, cancellationToken));
            }
        }
        return [.. entries.OrderByDescending(e => e.Score).Take(count)];
    }

    /// <summary>The members a listing's owner would see for it (gigs: the best workers for a job), ranked and explained, with no side effects.</summary>
    public async Task<IReadOnlyList<FeedEntry>> RankForListingAsync(ProfileRecord owner, string listingId, int count, CancellationToken cancellationToken)
    {
        if (viewers.Markets.Find(owner.Market) is not { } market || market.FindSide(owner.Side) is not { } side)
        {
            return [];
        }
        return await RankQuietlyAsync(owner, market, side, listingId, count, await viewers.HiddenFromAsync(owner.UserId, cancellationToken), cancellationToken);
    }

    /// <summary>Ranked like a first feed page, but leaves no seen marks and no activity.</summary>
    private async Task<IReadOnlyList<FeedEntry>> RankQuietlyAsync(
        ProfileRecord profile, MarketDefinition market, SideDefinition side, string? forListingId, int count, HashSet<string> hidden, CancellationToken cancellationToken)
    {
        if (indexes.For(market.Id) is not { } index)
        {
            return [];
        }
        await index.Loaded.Task.WaitAsync(cancellationToken);
        var viewer = await viewers.PrepareAsync(side, profile, new FeedRequest(profile.UserId, market.Id, side.Id, forListingId, null, count, null), index, cancellationToken);
        if (viewer is null)
        {
            return [];
        }
        var signals = await viewers.SignalsAsync(profile.Id, cancellationToken);
        var ranked = Ranker.Rank(viewer, index, signals, await viewers.ExcludedOwnersAsync(profile.UserId, market.Id, hidden, cancellationToken))
            .Where(r => !hidden.Contains(r.Card.OwnerUserId)).Take(count).ToList();
        var records = (await listings.GetManyAsync([.. ranked.Select(r => r.Card.Id)], cancellationToken)).ToDictionary(l => l.Id);
        return [.. ranked.Where(r => records.ContainsKey(r.Card.Id))
            .Select(r => new FeedEntry(records[r.Card.Id], Math.Round(r.Score, 4), Ranker.Explain(viewer, r.Card, signals, index, r.Score)))];
    }
}
