namespace Pairwise.Ranking;

/// <summary>
/// A list's compact form, in Redis and in the store: a version byte, the fingerprint, when, the
/// threshold, the swipe digest, then each id (our own ids packed in 19 bytes) with its score: ~24 bytes a card.
/// </summary>
internal static class ViewerListCodec
{
    // 2: ids of our own shape (three letters, '_', 32 hex digits) packed into 19 bytes instead of 37.
    private const byte Format = 2;
    private const byte Packed = 1;
    private const byte Plain = 0;
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static byte[] Encode(ViewerList list)
    {
        using var buffer = new MemoryStream(64 + (list.Ids.Count * 24));
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Format);
            writer.Write(list.Fingerprint);
            writer.Write(list.BuiltAt.UtcTicks);
            writer.Write(list.Threshold);
            writer.Write(list.Swiped);
            writer.Write(list.Ids.Count);
            Span<byte> packed = stackalloc byte[19];
            for (var i = 0; i < list.Ids.Count; i++)
            {
                if (TryPack(list.Ids[i], packed))
                {
                    writer.Write(Packed);
                    writer.Write(packed);
                }
                else
                {
                    writer.Write(Plain);
                    writer.Write(list.Ids[i]);
                }
                writer.Write(list.Bases[i]);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>The list, or null for bytes in another format (written by another version: rebuilt).</summary>
    public static ViewerList? Decode(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), System.Text.Encoding.UTF8);
        if (bytes.Length == 0 || reader.ReadByte() != Format)
        {
            return null;
        }
        var fingerprint = reader.ReadString();
        var builtAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
        var threshold = reader.ReadDouble();
        var swiped = reader.ReadUInt64();
        var ids = new string[reader.ReadInt32()];
        var bases = new float[ids.Length];
        Span<byte> packed = stackalloc byte[19];
        for (var i = 0; i < ids.Length; i++)
        {
            if (reader.ReadByte() == Packed)
            {
                reader.ReadExactly(packed);
                ids[i] = Unpack(packed);
            }
            else
            {
                ids[i] = reader.ReadString();
            }
            bases[i] = reader.ReadSingle();
        }
        return new ViewerList(fingerprint, builtAt, threshold, ids, bases, swiped);
    }

    /// <summary>An id like <c>lst_0191…</c> as its three letters and 16 bytes; false for any other shape.</summary>
    private static bool TryPack(string id, Span<byte> packed)
    {
        if (id.Length != 36 || id[3] != '_' || !char.IsAsciiLetterLower(id[0]) || !char.IsAsciiLetterLower(id[1]) || !char.IsAsciiLetterLower(id[2])
            || id.AsSpan(4).ContainsAnyExcept(LowerHex))
        {
            return false;
        }
        for (var i = 0; i < 3; i++)
        {
            packed[i] = (byte)id[i];
        }
        return Convert.FromHexString(id.AsSpan(4), packed[3..], out _, out var written) == System.Buffers.OperationStatus.Done && written == 16;
    }

    private static string Unpack(ReadOnlySpan<byte> packed)
    {
        Span<char> id = stackalloc char[36];
        for (var i = 0; i < 3; i++)
        {
            id[i] = (char)packed[i];
        }
        id[3] = '_';
        Convert.TryToHexStringLower(packed[3..], id[4..], out _);
        return new string(id);
    }
}
