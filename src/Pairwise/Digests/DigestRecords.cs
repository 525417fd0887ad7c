using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Digests;

/// <summary>Every key the digests feature writes (see docs/keys.md).</summary>
public static class DigestKeys
{
    public static ItemKey Settings(string userId) => new($"USER#{userId}", "DIGEST");

    /// <summary>A user's next digest, filed under the UTC hour it is due in: the hourly job reads one partition per hour.</summary>
    public static ItemKey Due(DateTimeOffset at, string userId) => new(Bucket(at), userId);
    public static string Bucket(DateTimeOffset at) => $"DIGESTDUE#{at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture)}";

    /// <summary>The claim that a user's digest for one local day went out: at most one per day.</summary>
    public static string SentPartition(string userId) => $"DIGESTSENT#{userId}";

    public static ItemKey Sent(string userId, DateOnly localDay) => new(SentPartition(userId), localDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>The first hour whose bucket may still hold digests.</summary>
    public static readonly ItemKey Cursor = new("SYSTEM", "DIGEST-CURSOR");
}

public sealed record DigestSettings(bool Enabled, string LocalTime, string TimeZone, DateTimeOffset? NextAt);

public sealed record DueRecord(DateTimeOffset DueAt);

public sealed record CursorRecord(DateTimeOffset Hour);

[JsonSerializable(typeof(DigestSettings))]
[JsonSerializable(typeof(DueRecord))]
[JsonSerializable(typeof(CursorRecord))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class DigestJson : JsonSerializerContext;
