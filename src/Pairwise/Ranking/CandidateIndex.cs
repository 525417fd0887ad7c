using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Profiles;

namespace Pairwise.Ranking;

/// <summary>The cold part of a card: who and what it is. Scoring reads the hot part from the index's columns.</summary>
public sealed class CandidateCard
{
    public required string Id { get; init; }
    public required string Side { get; init; }
    public required string OwnerProfileId { get; init; }
    public required string OwnerUserId { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>Position in the index's columns (and embedding matrix).</summary>
    public int Row { get; set; } = -1;
}

/// <summary>What ranking reads of a card on every request, written into the columns.</summary>
public sealed record CardValues(
    Encoded Features, float Price, float Lat, float Lon, long CreatedAt, long ExpiresAt, float Hype, long BoostUntil,
    float Completeness, long ProfileCreatedAt, long LastActiveAt, float BadRatio, float Engagement = 0);

/// <summary>
/// Column-oriented storage of a market's cards: one array per field, one element (or one stride of
/// elements) per row, so the ranking loop streams through memory instead of chasing a pointer per
/// card. Arrays grow by doubling; a snapshot keeps the arrays it was taken with.
/// </summary>
public sealed class Columns
{
    public Columns(int capacity, int codeStride, int setStride, int numberStride, bool withEmbeddings, int remoteDimensions)
    {
        RemoteDimensions = remoteDimensions;
        RemoteEmbeddings = remoteDimensions > 0 ? new float[capacity * remoteDimensions] : [];
        HasRemote = remoteDimensions > 0 ? new bool[capacity] : [];
        Capacity = capacity;
        CodeStride = codeStride;
        SetStride = setStride;
        NumberStride = numberStride;
        Cards = new CandidateCard[capacity];
        Dead = new bool[capacity];
        Side = new byte[capacity];
        Expires = new long[capacity];
        Completeness = new float[capacity];
        ProfileCreated = new long[capacity];
        LastActive = new long[capacity];
        Hype = new float[capacity];
        Engagement = new float[capacity];
        BoostUntil = new long[capacity];
        Price = new float[capacity];
        Lat = new float[capacity];
        Lon = new float[capacity];
        Created = new long[capacity];
        BadRatio = new float[capacity];
        Codes = new int[capacity * codeStride];
        Sets = new ulong[capacity * setStride];
        Orders = new byte[Math.Max(1, capacity * setStride * FeatureView.MaxRanked)];
        Numbers = new float[capacity * numberStride];
        Embeddings = withEmbeddings ? new float[capacity * LocalEmbedder.Dimensions] : [];
    }

    public int Capacity { get; }
    public int CodeStride { get; }
    public int SetStride { get; }
    public int NumberStride { get; }

    /// <summary>Vector length of the remote embedding model, 0 when none is configured.</summary>
    public int RemoteDimensions { get; }
#pragma warning disable CA1819 // Columns are arrays by design: the ranking loop indexes them directly.
    public CandidateCard[] Cards { get; }
    public bool[] Dead { get; }
    public byte[] Side { get; }
    public long[] Expires { get; }
    public float[] Completeness { get; }
    public long[] ProfileCreated { get; }
    public long[] LastActive { get; }
    public float[] Hype { get; }

    /// <summary>Organic hype (engagement with decay), 0–100.</summary>
    public float[] Engagement { get; }
    public long[] BoostUntil { get; }
    public float[] Price { get; }
    public float[] Lat { get; }
    public float[] Lon { get; }
    public long[] Created { get; }
    public float[] BadRatio { get; }
    public int[] Codes { get; }
    public ulong[] Sets { get; }
    public byte[] Orders { get; }
    public float[] Numbers { get; }
    public float[] Embeddings { get; }

    /// <summary>The remote model's vectors, for the rows where <see cref="HasRemote"/> is set.</summary>
    public float[] RemoteEmbeddings { get; }
    public bool[] HasRemote { get; }
#pragma warning restore CA1819

    public FeatureView Features(int row) => new(Codes, row * CodeStride, Sets, row * SetStride, Orders, Numbers, row * NumberStride);

    public ReadOnlySpan<float> Embedding(int row) => Embeddings.AsSpan(row * LocalEmbedder.Dimensions, LocalEmbedder.Dimensions);

    public ReadOnlySpan<float> RemoteEmbedding(int row) => RemoteEmbeddings.AsSpan(row * RemoteDimensions, RemoteDimensions);

    public void Write(int row, CandidateCard card, byte side, CardValues values, float[]? embedding, float[]? remote)
    {
        if (RemoteDimensions > 0)
        {
            HasRemote[row] = remote is not null;
            remote?.CopyTo(RemoteEmbeddings.AsSpan(row * RemoteDimensions));
        }
        card.Row = row;
        Cards[row] = card;
        Dead[row] = false;
        Side[row] = side;
        Expires[row] = values.ExpiresAt;
        Completeness[row] = values.Completeness;
        ProfileCreated[row] = values.ProfileCreatedAt;
        LastActive[row] = values.LastActiveAt;
        Hype[row] = values.Hype;
        Engagement[row] = values.Engagement;
        BoostUntil[row] = values.BoostUntil;
        Price[row] = values.Price;
        Lat[row] = values.Lat;
        Lon[row] = values.Lon;
        Created[row] = values.CreatedAt;
        BadRatio[row] = values.BadRatio;
        var features = values.Features;
        Codes.AsSpan(row * CodeStride, CodeStride).Fill(-1);
        features.Codes.CopyTo(Codes, row * CodeStride);
        Sets.AsSpan(row * SetStride, SetStride).Clear();
        features.Sets.CopyTo(Sets, row * SetStride);
        if (SetStride > 0)
        {
            Orders.AsSpan(row * SetStride * FeatureView.MaxRanked, SetStride * FeatureView.MaxRanked).Fill(FeatureView.End);
            FeatureView.WriteOrders(features, Orders, row * SetStride);
        }
        Numbers.AsSpan(row * NumberStride, NumberStride).Fill(float.NaN);
        features.Numbers.CopyTo(Numbers, row * NumberStride);
        embedding?.CopyTo(Embeddings.AsSpan(row * LocalEmbedder.Dimensions));
    }

    /// <summary>Copies row <paramref name="from"/> of <paramref name="source"/> into row <paramref name="to"/> here.</summary>
    public void CopyRow(Columns source, int from, int to)
    {
        var card = source.Cards[from];
        card.Row = to;
        Cards[to] = card;
        Dead[to] = source.Dead[from];
        Side[to] = source.Side[from];
        Expires[to] = source.Expires[from];
        Completeness[to] = source.Completeness[from];
        ProfileCreated[to] = source.ProfileCreated[from];
        LastActive[to] = source.LastActive[from];
        Hype[to] = source.Hype[from];
        Engagement[to] = source.Engagement[from];
        BoostUntil[to] = source.BoostUntil[from];
        Price[to] = source.Price[from];
        Lat[to] = source.Lat[from];
        Lon[to] = source.Lon[from];
        Created[to] = source.Created[from];
        BadRatio[to] = source.BadRatio[from];
        Array.Copy(source.Codes, from * CodeStride, Codes, to * CodeStride, CodeStride);
        Array.Copy(source.Sets, from * SetStride, Sets, to * SetStride, SetStride);
        Array.Copy(source.Orders, from * SetStride * FeatureView.MaxRanked, Orders, to * SetStride * FeatureView.MaxRanked, SetStride * FeatureView.MaxRanked);
        Array.Copy(source.Numbers, from * NumberStride, Numbers, to * NumberStride, NumberStride);
        if (Embeddings.Length > 0)
        {
            Array.Copy(source.Embeddings, from * LocalEmbedder.Dimensions, Embeddings, to * LocalEmbedder.Dimensions, LocalEmbedder.Dimensions);
        }
        if (RemoteDimensions > 0)
        {
            HasRemote[to] = source.HasRemote[from];
            Array.Copy(source.RemoteEmbeddings, from * RemoteDimensions, RemoteEmbeddings, to * RemoteDimensions, RemoteDimensions);
        }
    }
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
public sealed class MarketIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CandidateCard> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CandidateCard>> _byOwner = new(StringComparer.Ordinal);
    private readonly int _codeStride;
    private readonly int _setStride;
    private readonly int _numberStride;
    private readonly int _remoteDimensions;
    private volatile Snapshot _snapshot;
    private int _dead;

    public MarketIndex(RankingModel model, int remoteDimensions = 0)
    {
        Model = model;
        var withEmbeddings = WithEmbeddings = model.Recipe.UsesEmbeddings;
        _remoteDimensions = withEmbeddings ? remoteDimensions : 0;
        var layouts = model.Market.Sides.Select(model.Cards).ToList();
        _codeStride = layouts.Max(l => l.CodeCount);
        _setStride = layouts.Max(l => l.SetCount);
        _numberStride = layouts.Max(l => l.NumberCount);
        _snapshot = new Snapshot(new Columns(0, _codeStride, _setStride, _numberStride, withEmbeddings, _remoteDimensions), 0);
    }

    public RankingModel Model { get; }

    public MarketDefinition Market => Model.Market;

    public bool WithEmbeddings { get; }

    public TaskCompletionSource Loaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public sealed record Snapshot(Columns Columns, int Count);

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

    /// <summary>The live cards a profile owns (one in card markets; its listings otherwise).</summary>
    public IReadOnlyList<CandidateCard> CardsOf(string ownerProfileId)
    {
        lock (_gate)
        {
            return _byOwner.TryGetValue(ownerProfileId, out var cards) ? [.. cards] : [];
        }
    }

    public void Upsert(CandidateCard card, CardValues values, float[]? embedding, float[]? remote = null)
    {
        lock (_gate)
        {
            if (_byId.Remove(card.Id, out var old))
            {
                Forget(old);
            }
            var snapshot = _snapshot;
            var columns = snapshot.Columns;
            if (snapshot.Count == columns.Capacity)
            {
                var grown = new Columns(Math.Max(64, columns.Capacity * 2), _codeStride, _setStride, _numberStride, WithEmbeddings, _remoteDimensions);
                for (var row = 0; row < snapshot.Count; row++)
                {
                    grown.CopyRow(columns, row, row);
                }
                columns = grown;
            }
            columns.Write(snapshot.Count, card, SideCode(card.Side), values, embedding, remote);
            Remember(card);
            _snapshot = new Snapshot(columns, snapshot.Count + 1);
            CompactIfNeeded();
        }
    }

    public void Remove(string id)
    {
        lock (_gate)
        {
            if (_byId.Remove(id, out var old))
            {
                Forget(old);
                CompactIfNeeded();
            }
        }
    }

    private void Forget(CandidateCard card)
    {
        _snapshot.Columns.Dead[card.Row] = true;
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
        var columns = new Columns(Math.Max(64, _byId.Count * 2), _codeStride, _setStride, _numberStride, WithEmbeddings, _remoteDimensions);
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

    public CandidateIndexes(MarketCatalog catalog, Embeddings embeddings)
    {
        foreach (var market in catalog.All)
        {
            _markets[market.Id] = new MarketIndex(new RankingModel(market), embeddings.Remote?.Dimensions ?? 0);
        }
    }

    public MarketIndex? For(string market) => _markets.GetValueOrDefault(market);

    public IEnumerable<MarketIndex> All => _markets.Values;

    /// <summary>A card and its ranking values from a listing and, for profile cards, the owner's profile.</summary>
    public static (CandidateCard Card, CardValues Values) Card(RankingModel model, ListingRecord listing, ProfileRecord? owner)
    {
        var side = model.Market.FindSide(listing.Side)!;
        var features = model.Cards(side).Encode(listing.Attributes, side.Presentation == Presentation.Card ? owner?.Preferences : null);
        var card = new CandidateCard { Id = listing.Id, Side = listing.Side, OwnerProfileId = listing.OwnerProfileId, OwnerUserId = listing.OwnerUserId, Tags = listing.Tags };
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
