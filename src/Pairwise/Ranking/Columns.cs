namespace Pairwise.Ranking;

/// <summary>
/// Column-oriented storage of a market's cards: one array per field, one element (or one stride of
/// elements) per row, so the ranking loop streams through memory instead of chasing a pointer per
/// card. Arrays grow by doubling; a snapshot keeps the arrays it was taken with.
/// </summary>
public sealed class Columns
{
    public Columns(int capacity, int codeStride, int setStride, int numberStride, int rankedLength, bool withEmbeddings, int remoteDimensions)
    {
        RankedLength = rankedLength;
        LikesIn = new float[capacity];
        SwipesIn = new float[capacity];
        LikesOut = new float[capacity];
        SwipesOut = new float[capacity];
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
        Orders = new byte[Math.Max(1, capacity * setStride * rankedLength)];
        Numbers = new float[capacity * numberStride];
        Embeddings = withEmbeddings ? new float[capacity * LocalEmbedder.Dimensions] : [];
    }

    public int Capacity { get; }
    public int CodeStride { get; }
    public int SetStride { get; }
    public int NumberStride { get; }

    /// <summary>Places each ranked list keeps (the market's longest).</summary>
    public int RankedLength { get; }

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

    /// <summary>Likes the card received and swipes on it (decayed): its appeal.</summary>
    public float[] LikesIn { get; }
    public float[] SwipesIn { get; }

    /// <summary>Likes the card's owner gave and swipes they made (decayed): how readily they say yes.</summary>
    public float[] LikesOut { get; }
    public float[] SwipesOut { get; }
    public int[] Codes { get; }
    public ulong[] Sets { get; }
    public byte[] Orders { get; }
    public float[] Numbers { get; }
    public float[] Embeddings { get; }

    /// <summary>The remote model's vectors, for the rows where <see cref="HasRemote"/> is set.</summary>
    public float[] RemoteEmbeddings { get; }
    public bool[] HasRemote { get; }
#pragma warning restore CA1819

    public FeatureView Features(int row) => new(Codes, row * CodeStride, Sets, row * SetStride, Orders, RankedLength, Numbers, row * NumberStride);

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
        (card.SideCode, card.ExpiresAt) = (side, values.ExpiresAt);
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
        LikesIn[row] = values.Behaviour.LikesIn;
        SwipesIn[row] = values.Behaviour.SwipesIn;
        LikesOut[row] = values.Behaviour.LikesOut;
        SwipesOut[row] = values.Behaviour.SwipesOut;
        var features = values.Features;
        Codes.AsSpan(row * CodeStride, CodeStride).Fill(-1);
        features.Codes.CopyTo(Codes, row * CodeStride);
        Sets.AsSpan(row * SetStride, SetStride).Clear();
        features.Sets.CopyTo(Sets, row * SetStride);
        if (SetStride > 0)
        {
            Orders.AsSpan(row * SetStride * RankedLength, SetStride * RankedLength).Fill(FeatureView.End);
            FeatureView.WriteOrders(features, Orders, row * SetStride, RankedLength);
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
        LikesIn[to] = source.LikesIn[from];
        SwipesIn[to] = source.SwipesIn[from];
        LikesOut[to] = source.LikesOut[from];
        SwipesOut[to] = source.SwipesOut[from];
        Array.Copy(source.Codes, from * CodeStride, Codes, to * CodeStride, CodeStride);
        Array.Copy(source.Sets, from * SetStride, Sets, to * SetStride, SetStride);
        Array.Copy(source.Orders, from * SetStride * RankedLength, Orders, to * SetStride * RankedLength, SetStride * RankedLength);
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
