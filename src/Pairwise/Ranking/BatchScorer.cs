using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Profiles;

namespace Pairwise.Ranking;

/// <summary>The daily batch (seed 000): each profile's kept feed list, built ahead so first pages start from it.</summary>
public sealed class BatchScorer(CandidateIndexes indexes, Viewers viewers, ViewerLists lists)
{
    /// <summary>
    /// The daily batch (seed 000): ranks every profile of the market that has a feed against every
    /// card, two profiles per core at a time, and keeps each one's list, which later first pages
    /// start from. Returns how many profiles it scored. With <paramref name="onlySide"/>, only that side's profiles.
    /// </summary>
    public async Task<int> ScoreBatchAsync(string marketId, CancellationToken cancellationToken, IProgress<(int Done, int Total)>? progress = null, string? onlySide = null)
    {
        if (viewers.Markets.Find(marketId) is not { } market || indexes.For(marketId) is not { } index)
        {
            throw new ArgumentException($"There is no market '{marketId}'.", nameof(marketId));
        }
        using var activity = Telemetry.Source.StartActivity("batch scoring");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await index.Loaded.Task.WaitAsync(cancellationToken);
        var sides = market.Sides.Where(s => market.CounterpartOf(s).Presentation != Presentation.None && (onlySide is null || s.Id == onlySide)).ToList();
        if (onlySide is not null && sides.Count == 0)
        {
            throw new ArgumentException($"Market '{marketId}' has no side '{onlySide}' with a feed.");
        }
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
        // Two viewers per core at a time: each scan reads the shared index and writes only its own
        // list, and while one waits for its list's write the other scores.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 2 * Environment.ProcessorCount, CancellationToken = cancellationToken };
        foreach (var side in sides)
        {
            await Parallel.ForEachAsync(viewers.ListSideAsync(market.Id, side.Id, 100, cancellationToken), parallel, async (profile, token) =>
            {
                if (await StoreBatchAsync(market, side, index, profile, token))
                {
                    Interlocked.Increment(ref scored);
                }
                progress?.Report((Interlocked.Increment(ref seen), total));
            });
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
        var (viewer, viewerSide, problem, _) = await viewers.ResolveViewerAsync(new FeedRequest(userId, marketId, side, null, null, null, null), market, cancellationToken);
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
        var hidden = await viewers.HiddenFromAsync(profile.UserId, cancellationToken);
        var own = await viewers.ExcludedOwnersAsync(profile.UserId, market.Id, hidden, cancellationToken);
        await lists.KeepBatchAsync(profile.Id, lists.Build(viewer, index, signals, own).List, cancellationToken);
        return true;
    }
}
