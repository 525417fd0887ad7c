using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Accounts;
using Pairwise.Conversations;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Safety;

public static class SafetyEndpoints
{
    public static readonly IReadOnlyList<string> Reasons = ["spam", "harassment", "inappropriate", "scam", "fake", "underage", "other"];

    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var users = v1.MapGroup("/users/{userId}/block").WithTags("Safety");
        users.MapPost("/", Block).WithSummary("Block a user")
            .WithDescription("Both of you vanish from each other's feeds, your conversations close and neither can message the other. Repeating it changes nothing.");
        users.MapDelete("/", Unblock).WithSummary("Unblock a user").WithDescription("Feeds show each other again; closed conversations stay closed.");
        v1.MapGet("/me/blocks", ListBlocks).WithTags("Safety").WithSummary("Users I blocked");

        v1.MapPost("/reports", Report).WithTags("Safety").WithSummary("Report a user or a message")
            .WithDescription($"Name targetUserId or messageId (a message in one of your conversations) and a reason: {string.Join(", ", Reasons)}. Operators review reports.")
            .WithExample("""{"messageId":"msg_019a5b3c7d2e0000a1b2c3d4e5f60718","reason":"harassment","details":"Insults after I declined."}""");
        v1.MapGet("/operator/reports", ListReports).WithTags("Operator").WithSummary("Reports, newest first").RequireAuthorization(Policies.Operator);
        return v1;
    }

    public static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> Block(
        string userId, ClaimsPrincipal principal, UserStore users, Blocks blocks, ConversationService conversations, TimeProvider time, CancellationToken cancellationToken)
    {
        var me = principal.UserId();
        if (userId == me)
        {
            return Problems.BadRequest("You cannot block yourself.");
        }
        if (!await users.ExistsAsync(userId, cancellationToken))
        {
            return Problems.NotFound($"There is no user '{userId}'.");
        }
        var now = time.GetUtcNow();
        await blocks.BlockAsync(me, userId, now, cancellationToken);
        // Closing after the block is stored: a crash in between leaves conversations that the next block request closes.
        foreach (var conversationId in await conversations.SharedAsync(me, userId, cancellationToken))
        {
            await conversations.CloseAsync(conversationId, "blocked", cancellationToken);
        }
        return TypedResults.Ok(new BlockResponse(userId, now));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unblock(string userId, ClaimsPrincipal principal, Blocks blocks, CancellationToken cancellationToken) =>
        await blocks.UnblockAsync(principal.UserId(), userId, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"You have not blocked '{userId}'.");

    public static async Task<Ok<ListResponse<BlockResponse>>> ListBlocks(ClaimsPrincipal principal, Blocks blocks, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ListResponse<BlockResponse>([.. (await blocks.ListAsync(principal.UserId(), cancellationToken)).Select(b => new BlockResponse(b.UserId, b.At))], null));

    public static async Task<Results<Created<ReportResponse>, ValidationProblem, ProblemHttpResult>> Report(
        ReportRequest request, ClaimsPrincipal principal, IItemStore store, UserStore users, ConversationService conversations, TimeProvider time, CancellationToken cancellationToken)
    {
        var me = principal.UserId();
        if ((request.TargetUserId is null) == (request.MessageId is null))
        {
            return Problems.Invalid("targetUserId", "Name either targetUserId or messageId.");
        }
        if (!Reasons.Contains(request.Reason))
        {
            return Problems.Invalid("reason", $"Must be one of {string.Join(", ", Reasons)}.");
        }
        string target;
        string? conversationId = null;
        string? text = null;
        if (request.MessageId is { } messageId)
        {
            if (await conversations.FindMessageAsync(me, messageId, cancellationToken) is not { } message)
            {
                return Problems.NotFound($"There is no message '{messageId}' in your conversations.");
            }
            if (message.SenderId == me)
            {
                return Problems.BadRequest("That is your own message.");
            }
            (target, conversationId, text) = (message.SenderId, message.ConversationId, message.Text);
        }
        else
        {
            target = request.TargetUserId!;
            if (target == me)
            {
                return Problems.BadRequest("You cannot report yourself.");
            }
            if (!await users.ExistsAsync(target, cancellationToken))
            {
                return Problems.NotFound($"There is no user '{target}'.");
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
        return TypedResults.Created($"/v1/operator/reports", ReportResponse.From(report));
    }

    public static async Task<Results<Ok<ListResponse<ReportResponse>>, ValidationProblem>> ListReports(IItemStore store, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100)
        {
            return Problems.Invalid("limit", "Must be 1–100.");
        }
        var page = await store.QueryAsync(new Query { Index = ItemIndex.Gsi1, Pk = SafetyKeys.ReportQueue, Descending = true, Limit = limit ?? 50, Cursor = cursor }, cancellationToken);
        return TypedResults.Ok(new ListResponse<ReportResponse>([.. page.Items.Select(i => ReportResponse.From(ItemJson.Deserialize(i, SafetyJson.Default.ReportRecord)))], page.Cursor));
    }
}

public sealed record BlockResponse(string UserId, DateTimeOffset BlockedAt);

public sealed record ReportRequest([MaxLength(64)] string? TargetUserId, [MaxLength(64)] string? MessageId, [Required, MaxLength(32)] string Reason, [MaxLength(2000)] string? Details);

public sealed record ReportResponse(
    string Id, string ReporterId, string TargetUserId, string? MessageId, string? ConversationId, string Reason, string? Details, string? MessageText, DateTimeOffset CreatedAt)
{
    public static ReportResponse From(ReportRecord r) => new(r.Id, r.ReporterId, r.TargetUserId, r.MessageId, r.ConversationId, r.Reason, r.Details, r.MessageText, r.At);
}
