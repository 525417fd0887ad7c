using System.Collections.Concurrent;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Profiles;
using Pairwise.Swipes;

namespace Pairwise.Ranking;

/// <summary>The cold part of a card: who and what it is. Scoring reads the hot part from the index's columns.</summary>
public sealed class CandidateCard
{
    private readonly string _id = "";
    private readonly ulong _idHead, _idNext;

    public required string Id
    {
        get => _id;
        init => (_id, _idHead, _idNext) = (value, Head(value), Next(value));
    }
    public required string Side { get; init; }
    public required string OwnerProfileId { get; init; }
    public required string OwnerUserId { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>Position in the index's columns (and embedding matrix).</summary>
    public int Row { get; set; } = -1;

    /// <summary>The card's side and expiry as its row holds them (<see cref="Columns.Side"/>, <see cref="Columns.Expires"/>), kept here too so a kept list's page reads one object per card.</summary>
    public byte SideCode { get; internal set; }

    public long ExpiresAt { get; internal set; }

    /// <summary>Replaced by a newer version or removed (its row is dead): set once, under the index's lock.</summary>
    public bool Retired { get; internal set; }

    /// <summary>When the card or its owner's profile last changed in the store (UTC ticks): the same on every node.</summary>
    public long ChangedAt { get; init; }

    /// <summary>When this node applied this version of the card (UTC ticks): what a kept feed list compares with its own age.</summary>
    public long AppliedAt { get; internal set; }

    /// <summary>
    /// The cards' ids in ordinal order, as <see cref="string.CompareOrdinal(string, string)"/> orders
    /// them, but quicker: our ids' first 20 characters (a 3-letter kind, '_', then a time-ordered hex
    /// number) are compared as two numbers kept with the card; only ids equal that far, or not
    /// ours, are compared as strings.
    /// </summary>
    public static int CompareIds(CandidateCard a, CandidateCard b) =>
        a._idHead == 0 || b._idHead == 0 || (a._idHead == b._idHead && a._idNext == b._idNext) ? string.CompareOrdinal(a._id, b._id)
        : a._idHead != b._idHead ? a._idHead.CompareTo(b._idHead)
        : a._idNext.CompareTo(b._idNext);

    /// <summary>The first four characters, 16 bits each, in order (0 when the id is not one of ours).</summary>
    private static ulong Head(string id) =>
        IsOurs(id) ? ((ulong)id[0] << 48) | ((ulong)id[1] << 32) | ((ulong)id[2] << 16) | id[3] : 0;

    /// <summary>Characters 4–19, lowercase hex digits, as the number they spell (0 when the id is not one of ours).</summary>
    private static ulong Next(string id) =>
        IsOurs(id) ? ulong.Parse(id.AsSpan(4, 16), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture) : 0;

    private static bool IsOurs(string id) =>
        id.Length >= 20 && id[3] == '_' && !id.AsSpan(0, 3).ContainsAnyExceptInRange('a', 'z') && !id.AsSpan(4, 16).ContainsAnyExcept(LowerHex);

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
}

/// <summary>What ranking reads of a card on every request, written into the columns.</summary>
public sealed record CardValues(
    Encoded Features, float Price, float Lat, float Lon, long CreatedAt, long ExpiresAt, float Hype, long BoostUntil,
    float Completeness, long ProfileCreatedAt, long LastActiveAt, float BadRatio, float Engagement = 0)
{
    /// <summary>What people did with the card and what its owner does (decayed counts), for the learned term.</summary>
    public Behaviour Behaviour { get; init; } = Behaviour.None;
}

/// <summary>
/// The in-memory index of one market's live cards, column-oriented (see <see cref="Columns"/>),
/// with the cards' normalised embeddings as one contiguous matrix where the recipe uses text
/// similarity. Readers take a snapshot (columns, count) without locks; writers append rows under a
/// lock and mark replaced rows dead; the columns are compacted when a quarter of them is dead.
/// Memory per card: ~150 bytes of columns (venture: 7 codes, 10 sets with ranked orders, 12 numbers
/// ≈ 28 + 80 + 80 + 48 bytes) plus the card's ids (~250 bytes), and 2.5 KB of embedding (640
/// floats: 384 from the sentence model, 256 hashed) in markets that use similarity.
/// </summary>
public sealed partial class MarketIndex
{
    private readonly Lock _gate = new();
    // Read without the lock (a feed page looks up thousands of ids); written only under it.
    private readonly ConcurrentDictionary<string, CandidateCard> _byId = new(StringComparer.Ordinal);
    private volatile int _live;
    private readonly Dictionary<string, List<CandidateCard>> _byOwner = new(StringComparer.Ordinal);
    private readonly int _codeStride;
    private readonly int _setStride;
    private readonly int _numberStride;
    private readonly int _rankedLength;
    private readonly int _remoteDimensions;
    private volatile Snapshot _snapshot;
    private int _dead;
    private readonly double[] _likesIn;
    private readonly double[] _swipesIn;

    public MarketIndex(RankingModel model, int remoteDimensions = 0, TimeProvider? time = null)
    {
        Model = model;
        _time = time ?? TimeProvider.System;
        var withEmbeddings = WithEmbeddings = model.Recipe.UsesEmbeddings;
        _remoteDimensions = withEmbeddings ? remoteDimensions : 0;
        var layouts = model.Market.Sides.Select(model.Cards).ToList();
        _codeStride = layouts.Max(l => l.CodeCount);
        _setStride = layouts.Max(l => l.SetCount);
        _numberStride = layouts.Max(l => l.NumberCount);
        _rankedLength = model.RankedLength;
        _snapshot = new Snapshot(new Columns(0, _codeStride, _setStride, _numberStride, _rankedLength, withEmbeddings, _remoteDimensions), 0);
        _likesIn = new double[model.Market.Sides.Count];
        _swipesIn = new double[model.Market.Sides.Count];
        Learned = LearnedParameters.Defaults(model.Market.Scoring);
    }

    /// <summary>The market's learned parameters: the defaults until the batch fits them.</summary>
    public LearnedParameters Learned { get; set; }

    /// <summary>The like-rate of swipes on a side's cards, and the market's swipes (decayed), from every live card's counts.</summary>
    public (float LikeRate, float Swipes) Received(string side)
    {
        var code = SideCode(side);
        lock (_gate)
        {
            var swipes = code < _swipesIn.Length ? _swipesIn[code] : 0;
            return (swipes > 0 ? (float)(_likesIn[code] / swipes) : 0.5f, (float)_swipesIn.Sum());
        }
    }

    public RankingModel Model { get; }

    public MarketDefinition Market => Model.Market;

    public bool WithEmbeddings { get; }

    public TaskCompletionSource Loaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public sealed record Snapshot(Columns Columns, int Count)
    {
        /// <summary>Whether the card is the live one at its row here (a card changed or gone since is another object, or none).</summary>
        public bool Holds(CandidateCard card) => card.Row >= 0 && card.Row < Count && Columns.Cards[card.Row] == card;
    }

    public Snapshot Current => _snapshot;

    /// <summary>The code a side has in the <see cref="Columns.Side"/> column.</summary>
    public byte SideCode(string side)
    {
        for (var i = 0; i < Market.Sides.Count; i++)
        {
            if (Market.Sides[i].Id == side)
            {
                return (byte)i;
            }
        }
        return byte.MaxValue;
    }

    public int LiveCount => _live;

    public CandidateCard? Find(string id) => _byId.TryGetValue(id, out var card) ? card : null;

    /// <summary>The live cards a profile owns (one in card markets; its listings otherwise).</summary>
    public IReadOnlyList<CandidateCard> CardsOf(string ownerProfileId)
    {
        lock (_gate)
        {
            return _byOwner.TryGetValue(ownerProfileId, out var cards) ? [.. cards] : [];
        }
    }

    /// <summary>
    /// Adds or replaces a card. <paramref name="loading"/>: read from the store at a (re)load, not a
    /// change applied now; it is stamped with when it last changed there and not logged.
    /// </summary>
    public void Upsert(CandidateCard card, CardValues values, float[]? embedding, float[]? remote = null, bool loading = false)
    {
        lock (_gate)
        {
            if (_byId.TryRemove(card.Id, out var old))
            {
                Forget(old);
            }
            else
            {
                _live++;
            }
            var snapshot = _snapshot;
            var columns = snapshot.Columns;
            if (snapshot.Count == columns.Capacity)
            {
                var grown = new Columns(Math.Max(64, columns.Capacity * 2), _codeStride, _setStride, _numberStride, _rankedLength, WithEmbeddings, _remoteDimensions);
                for (var row = 0; row < snapshot.Count; row++)
                {
                    grown.CopyRow(columns, row, row);
                }
                columns = grown;
            }
            columns.Write(snapshot.Count, card, SideCode(card.Side), values, embedding, remote);
            Count(SideCode(card.Side), values.Behaviour.LikesIn, values.Behaviour.SwipesIn);
            Remember(card);
            Log(card, loading);
            _snapshot = new Snapshot(columns, snapshot.Count + 1);
            CompactIfNeeded();
        }
    }

    /// <summary>
    /// Replaces a live card's behaviour counts in its row (a swipe, not a listing change): no new
    /// row. A reader on an older snapshot sees the old or the new counts, either of them whole enough.
    /// </summary>
    public void SetBehaviour(CandidateCard card, Behaviour behaviour)
    {
        lock (_gate)
        {
            var snapshot = _snapshot;
            var columns = snapshot.Columns;
            if (!_byId.TryGetValue(card.Id, out var live) || live != card || card.Row >= snapshot.Count || columns.Cards[card.Row] != card)
            {
                return;
            }
            var row = card.Row;
            Count(columns.Side[row], behaviour.LikesIn - columns.LikesIn[row], behaviour.SwipesIn - columns.SwipesIn[row]);
            columns.LikesIn[row] = behaviour.LikesIn;
            columns.SwipesIn[row] = behaviour.SwipesIn;
            columns.LikesOut[row] = behaviour.LikesOut;
            columns.SwipesOut[row] = behaviour.SwipesOut;
        }
    }

    public void Remove(string id)
    {
        lock (_gate)
        {
            if (_byId.TryRemove(id, out var old))
            {
                Forget(old);
                _live--;
                CompactIfNeeded();
            }
        }
    }

    private void Count(byte side, double likes, double swipes)
    {
        if (side < _likesIn.Length)
        {
            _likesIn[side] = Math.Max(0, _likesIn[side] + likes);
            _swipesIn[side] = Math.Max(0, _swipesIn[side] + swipes);
        }
    }

    private void Forget(CandidateCard card)
    {
        var columns = _snapshot.Columns;
        Count(columns.Side[card.Row], -columns.LikesIn[card.Row], -columns.SwipesIn[card.Row]);
        columns.Dead[card.Row] = true;
        card.Retired = true;
        _dead++;
        if (_byOwner.TryGetValue(card.OwnerProfileId, out var owned))
        {
            owned.Remove(card);
            if (owned.Count == 0)
            {
                _byOwner.Remove(card.OwnerProfileId);
            }
        }
    }

    private void Remember(CandidateCard card)
    {
        _byId[card.Id] = card;
        if (!_byOwner.TryGetValue(card.OwnerProfileId, out var owned))
        {
            _byOwner[card.OwnerProfileId] = owned = [];
        }
        owned.Add(card);
    }

    private void CompactIfNeeded()
    {
        var snapshot = _snapshot;
        if (_dead < 64 || _dead * 4 < snapshot.Count)
        {
            return;
        }
        var old = snapshot.Columns;
        var columns = new Columns(Math.Max(64, _live * 2), _codeStride, _setStride, _numberStride, _rankedLength, WithEmbeddings, _remoteDimensions);
        var row = 0;
        for (var i = 0; i < snapshot.Count; i++)
        {
            if (!old.Dead[i])
            {
                // The card object moves to its new row; a reader on the old snapshot still reads the old columns by its loop index.
                columns.CopyRow(old, i, row++);
            }
        }
        _dead = 0;
        _snapshot = new Snapshot(columns, row);
    }
}

/// <summary>The candidate indexes of every market, by market id.</summary>
public sealed class CandidateIndexes
{
    private readonly Dictionary<string, MarketIndex> _markets = new(StringComparer.Ordinal);

    public CandidateIndexes(MarketCatalog catalog, Embeddings embeddings, TimeProvider time)
    {
        foreach (var market in catalog.All)
        {
            _markets[market.Id] = new MarketIndex(new RankingModel(market), embeddings.Remote?.Dimensions ?? 0, time);
        }
    }

    public MarketIndex? For(string market) => _markets.GetValueOrDefault(market);

    public IEnumerable<MarketIndex> All => _markets.Values;

    /// <summary>A card and its ranking values from a listing and, for profile cards, the owner's profile.</summary>
    public static (CandidateCard Card, CardValues Values) Card(RankingModel model, ListingRecord listing, ProfileRecord? owner)
    {
        var side = model.Market.FindSide(listing.Side)!;
        var features = model.Cards(side).Encode(listing.Attributes, side.Presentation == Presentation.Card ? owner?.Preferences : null);
        var card = new CandidateCard
        {
            Id = listing.Id, Side = listing.Side, OwnerProfileId = listing.OwnerProfileId, OwnerUserId = listing.OwnerUserId, Tags = listing.Tags,
            ChangedAt = Math.Max(listing.UpdatedAt.UtcTicks, owner?.UpdatedAt.UtcTicks ?? 0),
        };
        var values = new CardValues(
            features,
            listing.Price is { } price ? (float)price : float.NaN,
            listing.Location is { } at ? (float)at.Lat : float.NaN,
            listing.Location is { } to ? (float)to.Lon : float.NaN,
            listing.CreatedAt.UtcTicks,
            listing.ExpiresAt?.UtcTicks ?? long.MaxValue,
            listing.Promotion?.Hype ?? 0,
            listing.Promotion is { BoostUntil: { } until } ? until.UtcTicks : 0,
            (float)(owner?.Completeness ?? 1),
            (owner?.CreatedAt ?? listing.CreatedAt).UtcTicks,
            (owner?.LastActiveAt ?? owner?.UpdatedAt ?? listing.UpdatedAt).UtcTicks,
            owner?.Ratings is { } ratings ? (float)ratings.BadRatio : 0,
            (float)(listing.Hype ?? 0));
        return (card, values);
    }

    /// <summary>The text whose embedding stands for a card: a listing's title and description; a profile card's text and tags (not the person's name).</summary>
    public static string Text(ListingRecord listing) => string.Join(' ',
        (listing.IsCard ? [listing.Description, .. listing.Tags] : new[] { listing.Title, listing.Description }).Where(t => !string.IsNullOrWhiteSpace(t)));
}
