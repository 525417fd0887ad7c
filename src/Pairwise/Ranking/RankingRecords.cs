using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Ranking;

/// <summary>Every key the ranking feature writes (see docs/keys.md).</summary>
internal static class RankingKeys
{
    /// <summary>A viewer's seen marks: one small item per page shown (or a few pages stored together), newest last.</summary>
    public static string SeenPartition(string profileId) => $"SEEN#{profileId}";

    /// <summary>One item of seen marks: when, then a few random characters so two at the same second both stay.</summary>
    public static ItemKey SeenAt(string profileId, DateTimeOffset at, string nonce) =>
        new(SeenPartition(profileId), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"AT#{at.ToUnixTimeSeconds():D11}#{nonce}"));

    /// <summary>A profile's kept feed list from the daily batch (<see cref="ViewerList"/>).</summary>
    public static ItemKey Batch(string profileId) => new($"TOPN#{profileId}", "TOPN");

    /// <summary>A market's learned parameters, as the batch last fitted them.</summary>
    public static ItemKey Learned(string market) => new($"LEARNED#{market}", "LEARNED");
}

/// <summary>Cards shown to a viewer at one time (unix seconds).</summary>
public sealed record SeenMarks(long At, IReadOnlyList<string> Cards);

/// <summary>
/// A feed's ranked order, kept for an hour so that later pages continue it. Never changed once
/// made: a node keeps this very object in memory (serialized only for Redis).
/// </summary>
public sealed record FeedSnapshotRecord(string ProfileId, IReadOnlyList<string> Ids, IReadOnlyList<double> Scores);


[JsonSerializable(typeof(SeenMarks))]
[JsonSerializable(typeof(FeedSnapshotRecord))]
[JsonSerializable(typeof(LearnedParameters))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class RankingJson : JsonSerializerContext;
