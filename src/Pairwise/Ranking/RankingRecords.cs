using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Ranking;

/// <summary>Every key the ranking feature writes (see docs/keys.md).</summary>
internal static class RankingKeys
{
    /// <summary>When a viewer last saw each card in their feed (the time multiplier).</summary>
    public static ItemKey Seen(string profileId) => new($"SEEN#{profileId}", "SEEN");

    /// <summary>A profile's top cards from the daily batch.</summary>
    public static ItemKey Batch(string profileId) => new($"TOPN#{profileId}", "TOPN");

    /// <summary>A market's learned parameters, as the batch last fitted them.</summary>
    public static ItemKey Learned(string market) => new($"LEARNED#{market}", "LEARNED");
}

public sealed record SeenRecord(Dictionary<string, long> Cards);

/// <summary>A feed's ranked order, kept for an hour so that later pages continue it.</summary>
public sealed record FeedSnapshotRecord(string ProfileId, IReadOnlyList<string> Ids, IReadOnlyList<double> Scores);

/// <summary>A profile's top cards from the daily batch (seed 000), adjusted at read time.</summary>
public sealed record BatchRecord(DateTimeOffset ComputedAt, IReadOnlyList<string> Ids);

[JsonSerializable(typeof(SeenRecord))]
[JsonSerializable(typeof(FeedSnapshotRecord))]
[JsonSerializable(typeof(BatchRecord))]
[JsonSerializable(typeof(LearnedParameters))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class RankingJson : JsonSerializerContext;
