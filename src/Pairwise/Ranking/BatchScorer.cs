using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Storage;

namespace Pairwise.Ranking;

/// <summary>The daily batch (seed 000) and its per-viewer entries: each profile's top cards, which later first pages start from.</summary>
public sealed class BatchScorer(CandidateIndexes indexes, Viewers viewers, IItemStore store, TimeProvider time)
{
    private static readonly TimeSpan BatchFreshness = TimeSpan.FromHours(26);

    /// <summary>
    /// The rows to score for a large market: the viewer's cards from the daily batch plus every card
    /// created since it ran; null when there is no fresh batch (then everything is scored).
    /// </summary>
    public async Task<int[]?> BatchRowsAsync(MarketIndex index, string profileId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(RankingKeys.Batch(profileId), cancellationToken) is not { } item)
        {
            return null;
        }
        var batch = ItemJson.Deserialize(item, RankingJson.Default.BatchRecord);
        if (time.GetUtcNow() - batch.ComputedAt > BatchFreshness)
        {
            return null;
        }
        var snapshot = index.Current;
        var rows = new List<int>(batch.Ids.Count + 64);
        foreach (var id in batch.Ids)
        {
            if (index.Find(id) is { } card && card.Row < snapshot.Count && snapshot.Columns.Cards[card.Row] == card)
            {
                rows.Add(card.Row);
            }
        }
        var since = batch.ComputedAt.UtcTicks;
        var created = snapshot.Columns.Created;
        for (var row = 0; row < snapshot.Count; row++)
        {
            if (created[row] > since)
            {
                rows.Add(row);
            }
        }
        return [.. rows.Distinct()];
    }

    /// <summary>
    /// The daily batch (seed 000): ranks every profile of the market that has a feed against every
    /// card and keeps each one's top cards, which later first pages start from. Returns how many
    /// profiles it scored.
    /// </summary>
    public async Task<int> ScoreBatchAsync(string marketId, CancellationToken cancellationToken, IProgress<(int Done, int Total)>? progress = null)
    {
        if (viewers.Markets.Find(marketId) is not { } market || indexes.For(marketId) is not { } index)
        {
            throw new ArgumentException($"There is no market '{marketId}'.", nameof(marketId));
        }
        using var activity = Telemetry.Source.StartActivity("batch scoring");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await index.Loaded.Task.WaitAsync(cancellationToken);
        var sides = market.Sides.Where(s => market.CounterpartOf(s).Presentation != Presentation.None).ToList();
        var total = 0;
        if (progress is not null)
        {
            foreach (var side in sides)
            {
                await foreach (var _ in viewers.ListSideAsync(market.Id, side.Id, 1000, cancellationToken))
                {
                    total++;
                }
            }
        }
        int scored = 0, seen = 0;
        foreach (var side in sides)
        {
            await foreach (var profile in viewers.ListSideAsync(market.Id, side.Id, 100, cancellationToken))
            {
                if (await StoreBatchAsync(market, side, index, profile, cancellationToken))
                {
                    scored++;
                }
                progress?.Report((++seen, total));
            }
        }
        Telemetry.ScoringDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("market", market.Id));
        return scored;
    }

    /// <summary>"Get recommendations now" (seed 003): the viewer's batch entry, recomputed at once.</summary>
    public async Task<FeedStatus> RefreshAsync(string userId, string marketId, string? side, CancellationToken cancellationToken)
    {
        if (viewers.Markets.Find(marketId) is not { } market || indexes.For(marketId) is not { } index)
        {
            return FeedStatus.NoSuchMarket;
        }
        var (viewer, viewerSide, problem) = await viewers.ResolveViewerAsync(new FeedRequest(userId, marketId, side, null, null, null, null), market, cancellationToken);
        if (viewer is null || viewerSide is null)
        {
            return problem!.Status;
        }
        await index.Loaded.Task.WaitAsync(cancellationToken);
        return await StoreBatchAsync(market, viewerSide, index, viewer.Record, cancellationToken) ? FeedStatus.Ok : FeedStatus.NoListing;
    }

    public async Task<bool> StoreBatchAsync(MarketDefinition market, SideDefinition side, MarketIndex index, ProfileRecord profile, CancellationToken cancellationToken)
    {
        var viewer = await viewers.PrepareAsync(side, profile, new FeedRequest(profile.UserId, market.Id, side.Id, null, null, null, null), index, cancellationToken);
        if (viewer is null)
        {
            return false;
        }
        var signals = await viewers.SignalsAsync(profile.Id, cancellationToken);
        var own = (await viewers.ListOwnAsync(profile.UserId, cancellationToken)).Where(p => p.Market == market.Id).Select(p => p.Id).ToList();
        var ranked = Ranker.Rank(viewer, index, signals, own, null);
        var key = RankingKeys.Batch(profile.Id);
        var now = time.GetUtcNow();
        await store.PutAsync(new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Data = ItemJson.Serialize(new BatchRecord(now, [.. ranked.Select(r => r.Card.Id)]), RankingJson.Default.BatchRecord),
            Version = 1,
            ExpiresAt = now + TimeSpan.FromDays(2),
        }, Condition.None, cancellationToken);
        return true;
    }
}
