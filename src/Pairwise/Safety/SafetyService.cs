using Pairwise.Accounts;
using Pairwise.Conversations;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Safety;

public enum SafetyStatus
{
    Done,
    NotFound,
    Invalid,
    Refused,
}

/// <summary>What a block or a report did; <see cref="Field"/> names a wrong input.</summary>
public sealed record SafetyOutcome(SafetyStatus Status, string? Detail = null, string? Field = null, ReportRecord? Report = null, DateTimeOffset At = default)
{
    public static SafetyOutcome Failed(SafetyStatus status, string detail, string? field = null) => new(status, detail, field);
}

/// <summary>Blocking (which closes shared conversations) and reports of users and messages for the operators.</summary>
public sealed class SafetyService(IItemStore store, UserStore users, Blocks blocks, ConversationService conversations, TimeProvider time)
{
    public static readonly IReadOnlyList<string> Reasons = ["spam", "harassment", "inappropriate", "scam", "fake", "underage", "other"];

    public async Task<SafetyOutcome> BlockAsync(string me, string userId, CancellationToken cancellationToken)
    {
        if (userId == me)
        {
            return SafetyOutcome.Failed(SafetyStatus.Refused, "You cannot block yourself.");
        }
        if (!await users.ExistsAsync(userId, cancellationToken))
        {
            return SafetyOutcome.Failed(SafetyStatus.NotFound, $"There is no user '{userId}'.");
        }
        var now = time.GetUtcNow();
        await blocks.BlockAsync(me, userId, now, cancellationToken);
        // Closing after the block is stored: a crash in between leaves conversations that the next block request closes.
        foreach (var conversationId in await conversations.SharedAsync(me, userId, cancellationToken))
        {
            await conversations.CloseAsync(conversationId, "blocked", cancellationToken);
        }
        return new SafetyOutcome(SafetyStatus.Done, At: now);
    }

    public async Task<SafetyOutcome> ReportAsync(string me, ReportRequest request, CancellationToken cancellationToken)
    {
        if ((request.TargetUserId is null) == (request.MessageId is null))
        {
            return SafetyOutcome.Failed(SafetyStatus.Invalid, "Name either targetUserId or messageId.", "targetUserId");
        }
        if (!Reasons.Contains(request.Reason))
        {
            return SafetyOutcome.Failed(SafetyStatus.Invalid, $"Must be one of {string.Join(", ", Reasons)}.", "reason");
        }
        string target;
        string? conversationId = null;
        string? text = null;
        if (request.MessageId is { } messageId)
        {
            if (await conversations.FindMessageAsync(me, messageId, cancellationToken) is not { } message)
            {
                return SafetyOutcome.Failed(SafetyStatus.NotFound, $"There is no message '{messageId}' in your conversations.");
            }
            if (message.SenderId == me)
            {
                return SafetyOutcome.Failed(SafetyStatus.Refused, "That is your own message.");
            }
            (target, conversationId, text) = (message.SenderId, message.ConversationId, message.Text);
        }
        else
        {
            target = request.TargetUserId!;
            if (target == me)
            {
                return SafetyOutcome.Failed(SafetyStatus.Refused, "You cannot report yourself.");
            }
            if (!await users.ExistsAsync(target, cancellationToken))
            {
                return SafetyOutcome.Failed(SafetyStatus.NotFound, $"There is no user '{target}'.");
            }
        }
        var report = new ReportRecord(Ids.New(Ids.Report, time), me, target, request.MessageId, conversationId, request.Reason, request.Details, text, time.GetUtcNow());
        var key = SafetyKeys.Report(report.Id);
        await store.PutAsync(new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Gsi1Pk = SafetyKeys.ReportQueue,
            Gsi1Sk = report.Id,
            Version = 1,
            Data = ItemJson.Serialize(report, SafetyJson.Default.ReportRecord),
        }, Condition.NotExists, cancellationToken);
        return new SafetyOutcome(SafetyStatus.Done, Report: report);
    }

    /// <summary>The operators' queue, newest first.</summary>
    public async Task<(IReadOnlyList<ReportRecord> Items, string? Cursor)> ListReportsAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Index = ItemIndex.Gsi1, Pk = SafetyKeys.ReportQueue, Descending = true, Limit = limit, Cursor = cursor }, cancellationToken);
        return ([.. page.Items.Select(i => ItemJson.Deserialize(i, SafetyJson.Default.ReportRecord))], page.Cursor);
    }
}
