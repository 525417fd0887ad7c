using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Reviews;

/// <summary>Every key the reviews feature writes (see docs/keys.md).</summary>
internal static class ReviewKeys
{
    /// <summary>A review of a user; ids are time-ordered, so the partition reads newest first descending.</summary>
    public static ItemKey Review(string targetUserId, string reviewId) => new($"REVIEWS#{targetUserId}", reviewId);
    public static string Reviews(string targetUserId) => $"REVIEWS#{targetUserId}";

    /// <summary>One review per reviewer and deal: the condition that makes a second one fail.</summary>
    public static ItemKey Reviewed(string contextId, string reviewerId) => new($"REVIEWED#{contextId}#{reviewerId}", "REVIEWED");
}

public static class Ratings
{
    public const string Good = "good";
    public const string Neutral = "neutral";
    public const string Bad = "bad";
}

public sealed record ReviewRecord(
    string Id, string ReviewerId, string? ReviewerName, string TargetUserId, string TargetProfileId, string Market, string ContextId,
    string Rating, int? Stars, string? Text, DateTimeOffset CreatedAt);

[JsonSerializable(typeof(ReviewRecord))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class ReviewJson : JsonSerializerContext;

