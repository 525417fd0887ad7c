namespace Pairwise.Ranking;

/// <summary>
/// The feed's multipliers for one viewer over one snapshot of the index: time × sentiment, NaN
/// where a card is never shown (liked, passed within the cool-down, the viewer's own). Sentiment
/// and ownership are set once per page by row, for the few cards of the ranked side their owners
/// hold; time is read per card from the viewer's swipes and seen marks.
/// </summary>
public sealed class Multipliers
{
    private readonly Viewer _viewer;
    private readonly MarketIndex _index;
    private readonly Signals _signals;
    private readonly Dictionary<int, float> _owners;
    private readonly bool _timed;

    private Multipliers(Viewer viewer, MarketIndex index, Signals signals, MarketIndex.Snapshot snapshot, Dictionary<int, float> owners)
    {
        (_viewer, _index, _signals, Snapshot, _owners) = (viewer, index, signals, snapshot, owners);
        _timed = signals.Swipes.Count > 0 || signals.Seen.Count > 0;
    }

    /// <summary>The snapshot the rows are of: a row names the same card only within it.</summary>
    public MarketIndex.Snapshot Snapshot { get; }

    public static Multipliers Of(Viewer viewer, MarketIndex index, Signals signals, IReadOnlyList<string> ownProfiles)
    {
        var snapshot = index.Current;
        var side = viewer.Counterpart.Id;
        var owners = new Dictionary<int, float>();
        // Only the ranked side's cards: no other is ever scored for this viewer.
        bool Ranked(CandidateCard card) => card.Side == side && snapshot.Holds(card);
        foreach (var swiper in signals.Inbox.Keys)
        {
            var sentiment = signals.Sentiment(swiper, index.Model.Feed);
            foreach (var owned in index.CardsOf(swiper).Where(Ranked))
            {
                owners[owned.Row] = owners.GetValueOrDefault(owned.Row, 1) * sentiment;
            }
        }
        foreach (var mine in ownProfiles.SelectMany(index.CardsOf).Where(Ranked))
        {
            owners[mine.Row] = float.NaN;
        }
        return new Multipliers(viewer, index, signals, snapshot, owners);
    }

    /// <summary>
    /// A row's multiplier; NaN when its card is never shown, or the row is not live in
    /// <see cref="Snapshot"/> (its card changed or gone since: a live version, if any, is at another row).
    /// </summary>
    public float Of(int row)
    {
        if ((uint)row >= (uint)Snapshot.Count || Snapshot.Columns.Dead[row])
        {
            return float.NaN;
        }
        return Owner(row, _timed && Timed.TryGetValue(row, out var time) ? time : 1);
    }

    /// <summary>Every row's multiplier, into <paramref name="factors"/> (one per row of the snapshot): time from each signal, then the owners'.</summary>
    public void CopyTo(Span<float> factors)
    {
        factors.Fill(1);
        if (_timed)
        {
            foreach (var (row, time) in Timed)
            {
                factors[row] = time;
            }
        }
        foreach (var (row, owner) in _owners)
        {
            factors[row] *= owner;
        }
    }

    /// <summary>
    /// <paramref name="factors"/> (from <see cref="CopyTo"/>) into <paramref name="untimed"/>, NaN
    /// where the viewer swiped on the card or saw it lately (its time multiplier below 1).
    /// </summary>
    public void CopyUntimedTo(ReadOnlySpan<float> factors, Span<float> untimed)
    {
        factors.CopyTo(untimed);
        if (!_timed)
        {
            return;
        }
        foreach (var (row, time) in Timed)
        {
            if (!(time >= 1) || _signals.Swipes.ContainsKey(Snapshot.Columns.Cards[row].Id))
            {
                untimed[row] = float.NaN;
            }
        }
    }

    /// <summary>The time multiplier of each row the viewer swiped on or saw (NaN: never shown), found once by card id.</summary>
    private Dictionary<int, float> Timed => _timeByRow ??= TimeByRow();

    private Dictionary<int, float>? _timeByRow;

    private Dictionary<int, float> TimeByRow()
    {
        var byRow = new Dictionary<int, float>(_signals.Swipes.Count + _signals.Seen.Count);
        foreach (var cardId in _signals.Swipes.Keys.Concat(_signals.Seen.Keys))
        {
            if (_index.Find(cardId) is { } signalled && Snapshot.Holds(signalled))
            {
                var time = _signals.TimeFactor(cardId, _viewer.Now, _index.Model.Feed.PassCooldownDays, out var excluded);
                byRow[signalled.Row] = excluded ? float.NaN : time;
            }
        }
        return byRow;
    }

    /// <summary>The time multiplier times the owner's (sentiment, or NaN for the viewer's own).</summary>
    private float Owner(int row, float time) => _owners.Count > 0 && _owners.TryGetValue(row, out var owner) ? time * owner : time;
}
