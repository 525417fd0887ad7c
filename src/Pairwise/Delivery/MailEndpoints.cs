using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;

namespace Pairwise.Delivery;

/// <summary>
/// The suppression list: addresses that bounced or complained get no more mail. Hard bounces
/// reported by the SMTP server during delivery land here by themselves; bounces and complaints
/// reported later by the provider (e.g. Amazon SES notifications) are posted here by operators
/// or by a small adapter.
/// </summary>
public static class MailEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var suppressions = v1.MapGroup("/operator/mail/suppressions").WithTags("Operator").RequireAuthorization(Policies.Operator);
        suppressions.MapPost("/", Suppress).WithSummary("Stop mail to an address (a bounce or complaint)")
            .WithExample("""{"email":"gone@example.com","reason":"bounce"}""");
        suppressions.MapGet("/", List).WithSummary("Suppressed addresses");
        suppressions.MapDelete("/{email}", Lift).WithSummary("Allow mail to an address again");
        return v1;
    }

    public static async Task<Results<Ok<SuppressionRecord>, ValidationProblem>> Suppress(SuppressionRequest request, MailOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.Reason is not ("bounce" or "complaint"))
        {
            return Problems.Invalid("reason", "Must be bounce or complaint.");
        }
        await outbox.SuppressAsync(request.Email, request.Reason, cancellationToken);
        return TypedResults.Ok(new SuppressionRecord(request.Email, request.Reason, time.GetUtcNow()));
    }

    public static async Task<Ok<ListResponse<SuppressionRecord>>> List(MailOutbox outbox, string? cursor, CancellationToken cancellationToken)
    {
        var (items, next) = await outbox.SuppressionsAsync(cursor, cancellationToken);
        return TypedResults.Ok(new ListResponse<SuppressionRecord>(items, next));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Lift(string email, MailOutbox outbox, CancellationToken cancellationToken) =>
        await outbox.LiftAsync(email, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"'{email}' is not suppressed.");
}

public sealed record SuppressionRequest([Required, EmailAddress, MaxLength(254)] string Email, [Required] string Reason);
