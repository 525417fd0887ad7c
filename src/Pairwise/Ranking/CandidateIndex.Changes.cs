namespace Pairwise.Ranking;

/// <summary>
/// The index's recent changes: every card version this node applied, newest last, in a ring of
/// <see cref="ChangeLogCapacity"/> entries. A kept feed list (<see cref="ViewerList"/>) scores the
/// cards changed since it was built, so a new or edited card ranks at once without rebuilding lists.
/// </summary>
public sealed partial class MarketIndex
{
    public const int ChangeLogCapacity = 16_384;

    private readonly TimeProvider _time;
    private readonly CandidateCard[] _changes = new CandidateCard[ChangeLogCapacity];
    private long _changeCount;

    private List<CandidateCard> _loading = [];
    private CandidateCard[] _loaded = [];

    /// <summary>Stamps a card applied now and appends it to the log (under the index's lock); a card read at a load carries when it last changed in the store instead.</summary>
    private void Log(CandidateCard card, bool loading)
    {
        if (loading)
        {
            card.AppliedAt = card.ChangedAt;
            _loading.Add(card);
            return;
        }
        card.AppliedAt = _time.GetUtcNow().UtcTicks;
        _changes[_changeCount % ChangeLogCapacity] = card;
        _changeCount++;
    }

    /// <summary>
    /// A load is complete: its cards, newest change first, answer for the changes a list built
    /// elsewhere or before it may miss (the log holds only changes applied after it).
    /// </summary>
    public void Reloaded()
    {
        lock (_gate)
        {
            _loaded = [.. _loading.OrderByDescending(c => c.ChangedAt)];
            _loading = [];
        }
    }

    /// <summary>
    /// The live cards applied at or after <paramref name="sinceTicks"/>, or read at the last load
    /// and changed in the store since then, each once, at most <paramref name="max"/>; false when the log no longer reaches back that far or holds more
    /// than <paramref name="max"/> of them (then the caller ranks from scratch). With <paramref name="side"/>,
    /// only that side's cards count (a viewer never ranks the cards of their own side).
    /// </summary>
    public bool ChangedSince(long sinceTicks, int max, List<CandidateCard> into, string? side = null)
    {
        lock (_gate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            // Cards read at the last load that changed in the store since then (newest first: stops at the first older one).
            foreach (var card in _loaded)
            {
                if (card.ChangedAt < sinceTicks)
                {
                    break;
                }
                if ((side is null || card.Side == side) && seen.Add(card.Id) && _byId.TryGetValue(card.Id, out var live) && live == card)
                {
                    if (into.Count == max)
                    {
                        return false;
                    }
                    into.Add(card);
                }
            }
            var oldest = Math.Max(0, _changeCount - ChangeLogCapacity);
            for (var i = _changeCount - 1; i >= oldest; i--)
            {
                var card = _changes[i % ChangeLogCapacity];
                if (card.AppliedAt < sinceTicks)
                {
                    return true;
                }
                if ((side is null || card.Side == side) && seen.Add(card.Id) && _byId.TryGetValue(card.Id, out var live) && live == card)
                {
                    if (into.Count == max)
                    {
                        return false;
                    }
                    into.Add(card);
                }
            }
            // Reached the oldest entry: complete only if nothing older was ever overwritten.
            return _changeCount <= ChangeLogCapacity;
        }
    }
}
