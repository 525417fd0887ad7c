namespace Pairwise.Platform;

/// <summary>
/// Identifiers are a type prefix and a time-ordered GUID (v7) in hex: sortable by creation,
/// unguessable enough for URLs, and self-describing in logs (<c>usr_…</c>, <c>prf_…</c>).
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

    public static string New(string prefix, TimeProvider time) =>
        $"{prefix}_{Guid.CreateVersion7(time.GetUtcNow()):N}";

    /// <summary>True when <paramref name="id"/> could be an id of this type; anything else is simply not found.</summary>
    public static bool IsWellFormed(string id, string prefix) =>
        id.Length == prefix.Length + 33 && id.StartsWith(prefix, StringComparison.Ordinal) && id[prefix.Length] == '_'
        && !id.AsSpan(prefix.Length + 1).ContainsAnyExcept(Hex);

    private static readonly System.Buffers.SearchValues<char> Hex = System.Buffers.SearchValues.Create("0123456789abcdef");
}
