using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pairwise.Platform;

namespace Pairwise.Accounts;

public static class ShopVerificationEndpoints
{
    private const long MaxDocumentBytes = 10 * 1024 * 1024;

    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/me/shop-verification", Request).WithTags("Trust").DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(MaxDocumentBytes + 64 * 1024))
            .WithSummary("Ask to be a verified shop")
            .WithDescription("multipart/form-data: registrationNumber (the business registration) and file (a photo or scan of the certificate). "
                + "An operator checks it; once approved, your public profiles show the verified-shop badge.")
            .LimitPerUser(UserLimit.Report);
        var operators = v1.MapGroup("/operator/shop-verifications").WithTags("Operator").RequireAuthorization(Policies.Operator);
        operators.MapGet("/", List).WithSummary("Shop verification requests").WithDescription("state=pending (default), approved or rejected; oldest first.");
        operators.MapGet("/{id}/document", Document).WithSummary("The document of a request");
        operators.MapPost("/{id}/approve", Approve).WithSummary("Approve a shop verification");
        operators.MapPost("/{id}/reject", Reject).WithSummary("Reject a shop verification").WithExample("""{"reason":"The registration number does not match the certificate."}""");
        return v1;
    }

    public static async Task<Results<Created<ShopVerificationRecord>, ValidationProblem, ProblemHttpResult>> Request(
        [FromForm] string? registrationNumber, IFormFile? file, ClaimsPrincipal principal, ShopVerifications verifications, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(registrationNumber))
        {
            return Problems.Invalid("registrationNumber", "Required: the business registration number.");
        }
        if (file is null || file.Length is 0 or > MaxDocumentBytes)
        {
            return Problems.Invalid("file", "Required: a photo or scan of the certificate, at most 10 MB.");
        }
        var bytes = await file.ReadAllAsync(cancellationToken);
        var outcome = await verifications.RequestAsync(principal.UserId(), registrationNumber, bytes, cancellationToken);
        return outcome.Status switch
        {
            ShopVerificationStatus.Done => TypedResults.Created($"/v1/me/shop-verification/{outcome.Request!.Id}", outcome.Request),
            ShopVerificationStatus.NotAnImage => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Not an image"),
            _ => Problems.Invalid("registrationNumber", outcome.Detail!),
        };
    }

    public static async Task<Results<Ok<ListResponse<ShopVerificationRecord>>, ValidationProblem>> List(
        ShopVerifications verifications, string? state, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (state is not (null or ShopVerifications.Pending or ShopVerifications.Approved or ShopVerifications.Rejected))
        {
            return Problems.Invalid("state", "pending, approved or rejected.");
        }
        if (limit is < 1 or > 100)
        {
            return Problems.Invalid("limit", "Must be 1–100.");
        }
        var (items, next) = await verifications.ListAsync(state ?? ShopVerifications.Pending, limit ?? 20, cursor, cancellationToken);
        return TypedResults.Ok(new ListResponse<ShopVerificationRecord>(items, next));
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Document(string id, ShopVerifications verifications, CancellationToken cancellationToken) =>
        await verifications.DocumentAsync(id, cancellationToken) is { } stream
            ? TypedResults.Stream(stream, "application/octet-stream", $"{id}-document")
            : Problems.NotFound($"There is no shop verification '{id}'.");

    public static async Task<Results<Ok<ShopVerificationRecord>, ProblemHttpResult>> Approve(string id, ShopVerifications verifications, CancellationToken cancellationToken) =>
        Decided(await verifications.DecideAsync(id, approve: true, null, cancellationToken));

    public static async Task<Results<Ok<ShopVerificationRecord>, ProblemHttpResult>> Reject(
        string id, RejectRequest? request, ShopVerifications verifications, CancellationToken cancellationToken) =>
        Decided(await verifications.DecideAsync(id, approve: false, request?.Reason, cancellationToken));

    private static Results<Ok<ShopVerificationRecord>, ProblemHttpResult> Decided(ShopVerificationOutcome outcome) => outcome.Status switch
    {
        ShopVerificationStatus.Done => TypedResults.Ok(outcome.Request!),
        ShopVerificationStatus.NotFound => Problems.NotFound(outcome.Detail!),
        _ => Problems.Conflict(outcome.Detail!),
    };
}

public sealed record RejectRequest([System.ComponentModel.DataAnnotations.MaxLength(500)] string? Reason);
