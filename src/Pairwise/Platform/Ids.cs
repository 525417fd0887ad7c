namespace Pairwise.Platform;

/// <summary>
/// Identifiers are a type prefix and 32 hex digits laid out like a GUID v7 — 48 bits of Unix
/// milliseconds, then a 16-bit sequence, then 64 random bits — so they sort by creation, strictly
/// on one node even within a millisecond (messages of one sender stay in order), are unguessable
/// enough for URLs, and are self-describing in logs (<c>usr_…</c>, <c>msg_…</c>).
/// </summary>
public static class Ids
{
    public const string User = "usr";
    public const string Profile = "prf";
    public const string TokenFamily = "tfm";
    public const string Listing = "lst";
    public const string Image = "img";
    public const string Match = "mch";
    public const string Conversation = "cnv";
    public const string FeedSnapshot = "fsn";
    public const string Notification = "ntf";
    public const string Message = "msg";
    public const string Review = "rev";
    public const string Report = "rpt";
    public const string SessionEnd = "end";
    public const string Promotion = "prm";
    public const string ShopVerification = "shv";
    public const string Photo = "pho";
    public const string Post = "pst";
    public const string LinkedAccount = "lnk";
    public const string Offer = "ofr";

    // Milliseconds << 16 | sequence of the last id made on this node.
    private static long s_last;

    public static string New(string prefix, TimeProvider time)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() << 16;
        long last, next;
        do
        {
            last = Volatile.Read(ref s_last);
            next = Math.Max(last + 1, now);
        }
        while (Interlocked.CompareExchange(ref s_last, next, last) != last);
        Span<byte> random = stackalloc byte[8];
        System.Security.Cryptography.RandomNumberGenerator.Fill(random);
        return string.Create(prefix.Length + 33, (prefix, next, BitConverter.ToInt64(random)), static (span, state) =>
        {
            state.prefix.CopyTo(span);
            span[state.prefix.Length] = '_';
            var digits = span[(state.prefix.Length + 1)..];
            state.next.TryFormat(digits[..16], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
            state.Item3.TryFormat(digits[16..], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    /// <summary>The lowest id of this type that could be made at <paramref name="at"/>: a bound for ranges of ids by time.</summary>
    public static string Floor(string prefix, DateTimeOffset at) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}_{at.ToUnixTimeMilliseconds() << 16:x16}{0L:x16}");

    /// <summary>True when <paramref name="id"/> could be an id of this type; anything else is simply not found.</summary>
    public static bool IsWellFormed(string id, string prefix) =>
        id.Length == prefix.Length + 33 && id.StartsWith(prefix, StringComparison.Ordinal) && id[prefix.Length] == '_'
        && !id.AsSpan(prefix.Length + 1).ContainsAnyExcept(Hex);

    private static readonly System.Buffers.SearchValues<char> Hex = System.Buffers.SearchValues.Create("0123456789abcdef");
}
