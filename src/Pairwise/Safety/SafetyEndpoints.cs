using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Accounts;
using Pairwise.Platform;

namespace Pairwise.Safety;

public static class SafetyEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var users = v1.MapGroup("/users/{userId}/block").WithTags("Safety");
        users.MapPost("/", Block).WithSummary("Block a user")
            .WithDescription("Both of you vanish from each other's feeds, your conversations close and neither can message the other. Repeating it changes nothing.");
        users.MapDelete("/", Unblock).WithSummary("Unblock a user").WithDescription("Feeds show each other again; closed conversations stay closed.");
        v1.MapGet("/me/blocks", ListBlocks).WithTags("Safety").WithSummary("Users I blocked");

        v1.MapPost("/reports", Report).WithTags("Safety").WithSummary("Report a user or a message")
            .WithDescription($"Name targetUserId or messageId (a message in one of your conversations) and a reason: {string.Join(", ", SafetyService.Reasons)}. Operators review reports.")
            .WithExample("""{"messageId":"msg_019a5b3c7d2e0000a1b2c3d4e5f60718","reason":"harassment","details":"Insults after I declined."}""")
            .LimitPerUser(UserLimit.Report);
        v1.MapGet("/operator/reports", ListReports).WithTags("Operator").WithSummary("Reports, newest first").RequireAuthorization(Policies.Operator);
        return v1;
    }

    public static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> Block(
        string userId, ClaimsPrincipal principal, SafetyService safety, CancellationToken cancellationToken)
    {
        var outcome = await safety.BlockAsync(principal.UserId(), userId, cancellationToken);
        return outcome.Status == SafetyStatus.Done ? TypedResults.Ok(new BlockResponse(userId, outcome.At)) : Problem(outcome);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unblock(string userId, ClaimsPrincipal principal, Blocks blocks, CancellationToken cancellationToken) =>
        await blocks.UnblockAsync(principal.UserId(), userId, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"You have not blocked '{userId}'.");

    /// <summary>With each blocked user's name, so a settings screen can say whom it would unblock.</summary>
    public static async Task<Ok<ListResponse<BlockResponse>>> ListBlocks(ClaimsPrincipal principal, Blocks blocks, UserStore users, CancellationToken cancellationToken)
    {
        var items = new List<BlockResponse>();
        foreach (var block in await blocks.ListAsync(principal.UserId(), cancellationToken))
        {
            items.Add(new BlockResponse(block.UserId, block.At, (await users.FindAsync(block.UserId, cancellationToken))?.DisplayName));
        }
        return TypedResults.Ok(new ListResponse<BlockResponse>(items, null));
    }

    public static async Task<Results<Created<ReportResponse>, ValidationProblem, ProblemHttpResult>> Report(
        ReportRequest request, ClaimsPrincipal principal, SafetyService safety, CancellationToken cancellationToken)
    {
        var outcome = await safety.ReportAsync(principal.UserId(), request, cancellationToken);
        return outcome.Status == SafetyStatus.Done ? TypedResults.Created("/v1/operator/reports", ReportResponse.From(outcome.Report!)) : Problem(outcome);
    }

    public static async Task<Results<Ok<ListResponse<ReportResponse>>, ValidationProblem>> ListReports(
        SafetyService safety, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100)
        {
            return Problems.Invalid("limit", "Must be 1–100.");
        }
        var (items, next) = await safety.ListReportsAsync(limit ?? 50, cursor, cancellationToken);
        return TypedResults.Ok(new ListResponse<ReportResponse>([.. items.Select(ReportResponse.From)], next));
    }

    /// <summary>The one translation of a safety outcome into HTTP.</summary>
    private static ProblemHttpResult Problem(SafetyOutcome outcome) => outcome.Status switch
    {
        SafetyStatus.NotFound => Problems.NotFound(outcome.Detail!),
        SafetyStatus.Invalid => Problems.InvalidField(outcome.Field!, outcome.Detail!),
        _ => Problems.BadRequest(outcome.Detail!),
    };
}

/// <param name="DisplayName">The blocked account's name (absent in the answer to a block, and once the account is deleted).</param>
public sealed record BlockResponse(string UserId, DateTimeOffset BlockedAt, string? DisplayName = null);

public sealed record ReportRequest([MaxLength(64)] string? TargetUserId, [MaxLength(64)] string? MessageId, [Required, MaxLength(32)] string Reason, [MaxLength(2000)] string? Details);

public sealed record ReportResponse(
    string Id, string ReporterId, string TargetUserId, string? MessageId, string? ConversationId, string Reason, string? Details, string? MessageText, DateTimeOffset CreatedAt)
{
    public static ReportResponse From(ReportRecord r) => new(r.Id, r.ReporterId, r.TargetUserId, r.MessageId, r.ConversationId, r.Reason, r.Details, r.MessageText, r.At);
}
