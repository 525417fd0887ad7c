using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Safety;

/// <summary>Every key the safety feature writes (see docs/keys.md).</summary>
internal static class SafetyKeys
{
    public static ItemKey Report(string reportId) => new($"REPORT#{reportId}", "REPORT");

    /// <summary>GSI1 of reports: the operators' queue, newest first.</summary>
    public const string ReportQueue = "REPORTS";
}

public sealed record ReportRecord(
    string Id, string ReporterId, string TargetUserId, string? MessageId, string? ConversationId, string Reason, string? Details, string? MessageText, DateTimeOffset At);

[JsonSerializable(typeof(ReportRecord))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class SafetyJson : JsonSerializerContext;
