using Pairwise.Listings;
using Pairwise.Platform;
using Pairwise.Profiles;

namespace Pairwise.Ranking;

/// <summary>
/// The ranked feed: hard filters → the market's recipe → multipliers → top-k, over the in-memory
/// candidate index. Never shows a card the viewer liked, their own, an expired one, or one they
/// passed before the market's cool-down. The first page ranks from the viewer's kept list
/// (<see cref="ViewerLists"/>: the same order as scoring every card) and keeps the order (top 200)
/// for an hour; later pages continue that order, so page 2 never repeats page 1.
/// </summary>
public sealed class FeedService(
    CandidateIndexes indexes, Viewers viewers, ListingStore listings, FeedSnapshots snapshots,
    SeenWriter seen, ProfileService profiles, ViewerLists lists, TimeProvider time)
{
    public const int SnapshotSize = Ranker.SnapshotSize;
    public const int MaxLimit = 50;

    public async Task<FeedResult> GetAsync(FeedRequest request, CancellationToken cancellationToken)
    {
        if (viewers.Markets.Find(request.Market) is not { } market || indexes.For(request.Market) is not { } index)
        {
            return new FeedResult(FeedStatus.NoSuchMarket, [], null);
        }
        var (viewerProfile, side, problem, ownInMarket) = await viewers.ResolveViewerAsync(request, market, cancellationToken);
        if (viewerProfile is null || side is null)
        {
            return problem!;
        }
        if (!index.Loaded.Task.IsCompleted)
        {
            return new FeedResult(FeedStatus.Warming, [], null, "The ranking index is still loading; retry in a few seconds.");
        }
        var limit = request.Limit ?? index.Model.Feed.FeedSize;
        var viewer = await viewers.PrepareAsync(side, viewerProfile.Record, request, index, cancellationToken);
        if (viewer is null)
        {
            return new FeedResult(FeedStatus.NoListing, [], null, "Post a live listing (or name one with for=) to rank members for it.");
        }
        var signals = await viewers.SignalsAsync(viewerProfile.Record.Id, cancellationToken);
        // Users blocked either way never appear, whatever order was kept.
        var hidden = await viewers.HiddenFromAsync(request.UserId, cancellationToken);

        // The order, as (card id, score): a kept order is replayed as it was, so offsets stay true.
        List<(string Id, double Score)> ranked;
        var source = "snapshot";
        int offset;
        string snapshotId;
        if (request.Cursor is { } cursor)
        {
            if (DecodeCursor(cursor) is not { } position
                || await snapshots.FindAsync(position.Snapshot, cancellationToken) is not { } snapshot
                || snapshot.ProfileId != viewerProfile.Record.Id)
            {
                return new FeedResult(FeedStatus.BadCursor, [], null, "The cursor is not one this feed issued, or it is over an hour old.");
            }
            ranked = [.. snapshot.Ids.Select((id, i) => (id, snapshot.Scores[i]))];
            offset = position.Offset;
            snapshotId = position.Snapshot;
        }
        else
        {
            var own = await viewers.ExcludedOwnersAsync(ownInMarket, market.Id, hidden, cancellationToken);
            // A feed from somewhere else (near=) is ranked on its own; the usual one from the viewer's kept list.
            var (order, from) = request.Near is null
                ? await lists.RankAsync(viewer, index, signals, own, cancellationToken)
                : (Ranker.Rank(viewer, index, signals, own), "live");
            source = from;
            ranked = [.. order.Select(r => (r.Card.Id, r.Score))];
            offset = 0;
            snapshotId = Ids.New(Ids.FeedSnapshot, time);
            if (ranked.Count > limit)
            {
                await snapshots.KeepAsync(snapshotId, new FeedSnapshotRecord(viewerProfile.Record.Id, [.. ranked.Select(r => r.Id)], [.. ranked.Select(r => r.Score)]), cancellationToken);
            }
        }

        // A card gone, or liked or passed since the order was made, is skipped; the cursor counts it as consumed.
        var cooldown = index.Model.Feed.PassCooldownDays;
        var page = new List<(CandidateCard Card, double Score)>(limit);
        var consumed = offset;
        for (; consumed < ranked.Count && page.Count < limit; consumed++)
        {
            var (id, score) = ranked[consumed];
            if (index.Find(id) is { } card && !signals.IsExcluded(id, viewer.Now, cooldown) && !hidden.Contains(card.OwnerUserId))
            {
                page.Add((card, score));
            }
        }
        var records = (await listings.GetManyAsync([.. page.Select(p => p.Card.Id)], cancellationToken)).ToDictionary(l => l.Id);
        var entries = new List<FeedEntry>(page.Count);
        foreach (var (card, score) in page)
        {
            if (records.TryGetValue(card.Id, out var listing))
            {
                entries.Add(new FeedEntry(listing, Math.Round(score, 4), Ranker.Explain(viewer, card, signals, index, score)));
            }
        }
        var next = consumed < ranked.Count && page.Count == limit ? EncodeCursor(snapshotId, consumed) : null;
        await profiles.TouchAsync(viewerProfile, cancellationToken);
        return new FeedResult(FeedStatus.Ok, entries, next, Source: source);
    }

    /// <summary>
    /// The client says which cards it showed on screen (not what it fetched: a page fetched and not
    /// looked at, or fetched again on reload or on a second device, changes nothing). Cards no longer in
    /// the market are skipped; the marks count from <see cref="Signals.SeenGrace"/> on.
    /// </summary>
    public async Task<FeedResult> MarkSeenAsync(FeedRequest request, IReadOnlyCollection<string> cardIds, CancellationToken cancellationToken)
    {
        if (viewers.Markets.Find(request.Market) is not { } market || indexes.For(request.Market) is not { } index)
        {
            return new FeedResult(FeedStatus.NoSuchMarket, [], null);
        }
        var (viewerProfile, _, problem, _) = await viewers.ResolveViewerAsync(request, market, cancellationToken);
        if (viewerProfile is null)
        {
            return problem!;
        }
        seen.Record(viewerProfile.Record.Id, cardIds.Where(id => index.Find(id) is not null), time.GetUtcNow());
        return new FeedResult(FeedStatus.Ok, [], null);
    }

    private static string EncodeCursor(string snapshot, int offset) => OpaqueCursor.Encode($"{snapshot}:{offset}");

    private static (string Snapshot, int Offset)? DecodeCursor(string cursor) =>
        OpaqueCursor.Decode(cursor)?.Split(':') is [var snapshot, var position]
        && Ids.IsWellFormed(snapshot, Ids.FeedSnapshot)
        && int.TryParse(position, System.Globalization.CultureInfo.InvariantCulture, out var offset) && offset is >= 0 and <= SnapshotSize
            ? (snapshot, offset)
            : null;
}
