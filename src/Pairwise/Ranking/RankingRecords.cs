using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Ranking;

/// <summary>Every key the ranking feature writes (see docs/keys.md).</summary>
internal static class RankingKeys
{
    /// <summary>When a viewer last saw each card in their feed (the time multiplier).</summary>
    public static ItemKey Seen(string profileId) => new($"SEEN#{profileId}", "SEEN");

    /// <summary>A profile's kept feed list from the daily batch (<see cref="ViewerList"/>).</summary>
    public static ItemKey Batch(string profileId) => new($"TOPN#{profileId}", "TOPN");

    /// <summary>A market's learned parameters, as the batch last fitted them.</summary>
    public static ItemKey Learned(string market) => new($"LEARNED#{market}", "LEARNED");
}

public sealed record SeenRecord(Dictionary<string, long> Cards);

/// <summary>A feed's ranked order, kept for an hour so that later pages continue it.</summary>
public sealed record FeedSnapshotRecord(string ProfileId, IReadOnlyList<string> Ids, IReadOnlyList<double> Scores);


[JsonSerializable(typeof(SeenRecord))]
[JsonSerializable(typeof(FeedSnapshotRecord))]
[JsonSerializable(typeof(ViewerList))]
[JsonSerializable(typeof(LearnedParameters))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class RankingJson : JsonSerializerContext;
