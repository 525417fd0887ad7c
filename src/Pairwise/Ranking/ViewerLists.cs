using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using Pairwise.Storage;

namespace Pairwise.Ranking;

/// <summary>
/// A viewer's kept list (seed 004's fixed-size list with a TTL): the ids of their best
/// <see cref="RankingOptions.ListSize"/> cards when it was built, then those of the cards they had
/// seen or passed, each with its score before multipliers then (<see cref="Bases"/>), and the
/// threshold no other card can reach while the list lives. <see cref="Fingerprint"/> names what the viewer looked
/// like then (profile, listing, learned parameters): a different one means the list is stale.
/// </summary>
public sealed record ViewerList(
    string Fingerprint, DateTimeOffset BuiltAt, double Threshold, IReadOnlyList<string> Ids, IReadOnlyList<float> Bases, ulong Swiped)
{
    private HashSet<string>? _holds;
    private Resolved? _rows;

    /// <summary>Whether every card that passed the filters is in the list (then it is exact whatever is seen).</summary>
    public bool Complete => double.IsNegativeInfinity(Threshold);

    /// <summary>Whether the list holds a card (the set is built once per list, on its first page).</summary>
    public bool Holds(string cardId) => (_holds ??= Ids.ToHashSet(StringComparer.Ordinal)).Contains(cardId);

    /// <summary>
    /// The rows of the list's cards in <paramref name="snapshot"/>'s columns (−1 where gone), looked
    /// up once per list and columns rather than per page. A row holds one version of one card for
    /// as long as the columns live: a card changed since is dead at its row, and its new version (at
    /// a new row) comes with the changed cards.
    /// </summary>
    public int[] Rows(MarketIndex index, MarketIndex.Snapshot snapshot)
    {
        if (_rows is { } known && known.Columns == snapshot.Columns)
        {
            return known.Rows;
        }
        var rows = new int[Ids.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = index.Find(Ids[i]) is { } card && snapshot.Holds(card) ? card.Row : -1;
        }
        _rows = new Resolved(snapshot.Columns, rows);
        return rows;
    }

    private sealed record Resolved(Columns Columns, int[] Rows);

    /// <summary>
    /// A digest of the cards the viewer has swiped on, up to <paramref name="until"/> when given
    /// (FNV-1a of each id, combined by XOR: the same on every node). A list keeps the digest of the
    /// swipes it was built with. Swipes only add up, so when the swipes made up to the list's time
    /// digest to something else, one was undone, and its card, left out of the list, may be back.
    /// </summary>
    public static ulong SwipeDigest(Signals signals, DateTimeOffset? until = null)
    {
        ulong digest = 0;
        foreach (var (cardId, swipe) in signals.Swipes)
        {
            if (until is null || swipe.At <= until)
            {
                var hash = 14695981039346656037UL;
                foreach (var c in cardId)
                {
                    hash = (hash ^ c) * 1099511628211UL;
                }
                digest ^= hash;
            }
        }
        return digest;
    }
}

/// <summary>
/// Ranks first pages from kept lists instead of scoring every card. A page rescores only the
/// list's cards, the cards whose owners liked the viewer (the one multiplier above 1) and the cards
/// changed since the list was built (the index's change log), with today's signals; the cards
/// scoring at least the list's threshold lead the full scan's order for certain (ADR 22). When
/// fewer than a snapshot's worth remain certain, or the change log no longer reaches back, the
/// list is rebuilt by one full scan. Lists live in this node's memory, in Redis when configured
/// (so one build serves every node), and in the store when the daily batch wrote them.
/// </summary>
public sealed partial class ViewerLists(
    IOptions<RankingOptions> options, IItemStore store, TimeProvider time, ILogger<ViewerLists> logger, IDistributedCache? shared = null) : IDisposable
{
    /// <summary>Cards applied by another node up to this long before a list was built may be missing from it: rescored too.</summary>
    public static readonly TimeSpan ChangeMargin = TimeSpan.FromSeconds(30);

    /// <summary>More changed cards than this since a list was built: rebuild it from scratch instead.</summary>
    public const int MaxChanged = 2048;

    /// <summary>A list that needed this many changed cards rescored is rebuilt in the background for the next page.</summary>
    public const int RebuildAfterChanged = 128;

    /// <summary>
    /// A list with fewer cards certain than this is rebuilt in the background while it still
    /// answers, so a viewer going through many pages rarely waits for a full scan.
    /// </summary>
    public const int RebuildBelowCertain = 2 * Ranker.SnapshotSize;

    private readonly KeptCache<ViewerList> _kept = new("list:", options.Value.ListCacheEntries, ViewerListCodec.Encode, ViewerListCodec.Decode, logger, shared);
    private readonly ConcurrentDictionary<string, Task> _rebuilding = new(StringComparer.Ordinal);

    private RankingOptions Options => options.Value;

    /// <summary>
    /// The viewer's order for a first page (at most a snapshot's worth), from their kept list when it
    /// still answers for certain, else from a full scan that becomes their new list. Source: "list" or "live".
    /// </summary>
    public async Task<(List<(CandidateCard Card, double Score)> Ranked, string Source)> RankAsync(
        Viewer viewer, MarketIndex index, Signals signals, IReadOnlyList<string> excludedOwners, CancellationToken cancellationToken)
    {
        var key = viewer.Profile.Id;
        if (await FindAsync(key, cancellationToken) is { } list && Answer(list, viewer, index, signals, excludedOwners) is { } ranked)
        {
            return (ranked, "list");
        }
        var built = Build(viewer, index, signals, excludedOwners);
        await KeepAsync(key, built.List, cancellationToken);
        return (built.Ranked, "live");
    }

    /// <summary>The order from a kept list, or null when the list cannot answer for certain (then the caller rebuilds it).</summary>
    private List<(CandidateCard Card, double Score)>? Answer(ViewerList list, Viewer viewer, MarketIndex index, Signals signals, IReadOnlyList<string> excludedOwners)
    {
        var stale = list.Fingerprint != viewer.Fingerprint;
        // A small market rebuilds a stale list at once; a large one keeps serving it while a new one is built.
        if (stale && index.LiveCount <= Options.InstantModeMaxCards)
        {
            return null;
        }
        if (ViewerList.SwipeDigest(signals, list.BuiltAt) != list.Swiped)
        {
            return null;
        }
        var changed = new List<CandidateCard>();
        if (!index.ChangedSince((list.BuiltAt - ChangeMargin).UtcTicks, MaxChanged, changed, viewer.Counterpart.Id))
        {
            return null;
        }
        var (ordered, certain) = Order(list, viewer, index, signals, excludedOwners, changed);
        if (!list.Complete && certain < Ranker.SnapshotSize)
        {
            return null;
        }
        if (stale || changed.Count > RebuildAfterChanged || (!list.Complete && certain < RebuildBelowCertain))
        {
            RebuildLater(viewer, index, signals, excludedOwners);
        }
        return ordered.GetRange(0, Math.Min(certain, ordered.Count));
    }

    /// <summary>
    /// What a page from a kept list ranks: its first <see cref="Ranker.SnapshotSize"/> cards in
    /// order, and how many lead the full scan's order for certain. The list's cards that can still
    /// reach its threshold (their score then, times their multipliers now) are rescored, with the
    /// cards whose owners liked the viewer (the one multiplier above 1), the cards passed before
    /// (back after the cool-down) and the <paramref name="changed"/> ones. Every other card scores at
    /// most the threshold, so the cards above it are the full scan's first ones, in its order.
    /// </summary>
    public static (List<(CandidateCard Card, double Score)> Ordered, int Certain) Order(
        ViewerList list, Viewer viewer, MarketIndex index, Signals signals, IReadOnlyList<string> excludedOwners, IEnumerable<CandidateCard> changed)
    {
        var weights = index.Model.Feed;
        var multipliers = Multipliers.Of(viewer, index, signals, excludedOwners);
        var snapshot = multipliers.Snapshot;
        var candidates = new List<(int Row, float Factor)>(list.Ids.Count + 64);
        void Add(CandidateCard card)
        {
            if (snapshot.Holds(card))
            {
                candidates.Add((card.Row, multipliers.Of(card.Row)));
            }
        }
        var rows = list.Rows(index, snapshot);
        for (var i = 0; i < rows.Length; i++)
        {
            // A card whose score then was below the threshold can only reach it through a like (rescored below).
            if (rows[i] < 0 || (!list.Complete && list.Bases[i] < list.Threshold))
            {
                continue;
            }
            // NaN: never shown now, or changed since (its new version comes with the changed cards).
            var factor = multipliers.Of(rows[i]);
            if (!float.IsNaN(factor) && (list.Complete || list.Bases[i] * factor >= list.Threshold))
            {
                candidates.Add((rows[i], factor));
            }
        }
        foreach (var owner in signals.Inbox.Keys)
        {
            if (signals.Sentiment(owner, weights) > 1)
            {
                foreach (var card in index.CardsOf(owner))
                {
                    Add(card);
                }
            }
        }
        foreach (var id in signals.Swipes.Keys)
        {
            // Only passes past their cool-down can come back (likes and recent passes stay out: rescoring would drop them).
            if (!list.Holds(id) && !signals.IsExcluded(id, viewer.Now, weights.PassCooldownDays) && index.Find(id) is { } card)
            {
                Add(card);
            }
        }
        foreach (var card in changed)
        {
            Add(card);
        }
        var scored = Ranker.Rescore(viewer, index, multipliers, candidates);
        var ordered = Ranker.InFeedOrder(snapshot.Columns.Cards, scored, Ranker.SnapshotSize);
        // Certain: up to the first card below the threshold; past the page, how many are at least it.
        var certain = list.Complete ? scored.Count
            : ordered.FindIndex(o => o.Score < list.Threshold) is var below and >= 0 ? below
            : scored.Count(s => s.Score >= list.Threshold);
        return (ordered, certain);
    }

    /// <summary>One full scan: the viewer's first-page order and their new list.</summary>
    public (List<(CandidateCard Card, double Score)> Ranked, ViewerList List) Build(Viewer viewer, MarketIndex index, Signals signals, IReadOnlyList<string> excludedOwners)
    {
        var now = time.GetUtcNow();
        var scan = Ranker.Scan(viewer, index, signals, excludedOwners, Options.ListSize, bound: true);
        var list = new ViewerList(viewer.Fingerprint, now, scan.Threshold, [.. scan.Kept.Select(k => k.Card.Id)], [.. scan.Kept.Select(k => k.Base)], ViewerList.SwipeDigest(signals));
        return (scan.Ranked.Count > Ranker.SnapshotSize ? scan.Ranked.GetRange(0, Ranker.SnapshotSize) : scan.Ranked, list);
    }

    /// <summary>Keeps a list in this node's memory and in Redis when configured, until it expires.</summary>
    public ValueTask KeepAsync(string profileId, ViewerList list, CancellationToken cancellationToken) =>
        _kept.KeepAsync(profileId, list, Left(list), cancellationToken);

    /// <summary>Keeps a list from the daily batch durably too, so every node (and a node started later) starts from it.</summary>
    public async Task KeepBatchAsync(string profileId, ViewerList list, CancellationToken cancellationToken)
    {
        var key = RankingKeys.Batch(profileId);
        await store.PutAsync(new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Data = ViewerListCodec.Encode(list),
            Version = 1,
            ExpiresAt = list.BuiltAt + Options.ListLifetime,
        }, Condition.None, cancellationToken);
        await KeepAsync(profileId, list, cancellationToken);
    }

    /// <summary>Forgets a viewer's list everywhere (their data erased, or "recommendations now").</summary>
    public async Task ForgetAsync(string profileId, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(RankingKeys.Batch(profileId), Condition.None, cancellationToken);
        await _kept.ForgetAsync(profileId, cancellationToken);
    }

    private async Task<ViewerList?> FindAsync(string profileId, CancellationToken cancellationToken)
    {
        if (_kept.TryFindHere(profileId, out var here) && Fresh(here!))
        {
            return here;
        }
        var found = await _kept.FindSharedAsync(profileId, cancellationToken);
        if (found is null && await store.GetAsync(RankingKeys.Batch(profileId), cancellationToken) is { } item)
        {
            found = ViewerListCodec.Decode(item.Data);
        }
        if (found is not null && Fresh(found))
        {
            _kept.KeepHere(profileId, found, Left(found));
            return found;
        }
        return null;
    }

    private bool Fresh(ViewerList list) => Left(list) > TimeSpan.Zero;

    /// <summary>How long a list has left to live (counted from now: the caches keep their own clocks).</summary>
    private TimeSpan Left(ViewerList list) => list.BuiltAt + Options.ListLifetime - time.GetUtcNow();

    /// <summary>Rebuilds a list off the request (one at a time per viewer); the old list serves meanwhile.</summary>
    private void RebuildLater(Viewer viewer, MarketIndex index, Signals signals, IReadOnlyList<string> excludedOwners)
    {
        var key = viewer.Profile.Id;
        if (_rebuilding.ContainsKey(key))
        {
            return;
        }
        var start = new Task<Task>(async () =>
        {
            try
            {
                await KeepAsync(key, Build(viewer, index, signals, excludedOwners).List, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogRebuildFailed(logger, e, key);
            }
            finally
            {
                _rebuilding.TryRemove(key, out _);
            }
        });
        if (_rebuilding.TryAdd(key, start.Unwrap()))
        {
            start.Start(TaskScheduler.Default);
        }
    }

    /// <summary>Waits for background rebuilds under way (tests).</summary>
    public Task SettleAsync() => Task.WhenAll(_rebuilding.Values);

    public void Dispose() => _kept.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding the feed list of {ProfileId} failed")]
    private static partial void LogRebuildFailed(ILogger logger, Exception exception, string profileId);
}
