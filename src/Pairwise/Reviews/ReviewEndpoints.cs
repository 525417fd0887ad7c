using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;
using Pairwise.Profiles;

namespace Pairwise.Reviews;

/// <summary>Reviews over HTTP; the rules are in <see cref="ReviewService"/>.</summary>
public static class ReviewEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var reviews = v1.MapGroup("/users/{userId}/reviews").WithTags("Reviews");
        reviews.MapPost("/", Create).WithSummary("Review someone you matched with")
            .WithDescription("contextId is the match (or deal) you shared. rating is good, neutral or bad, or 1–5 in markets rated with stars. Once per match.")
            .WithExample("""{"rating":"good","text":"On time and friendly.","contextId":"mch_019a5b3c7d2e0000a1b2c3d4e5f60718"}""")
            .LimitPerUser(UserLimit.Review);
        reviews.MapGet("/", List).WithSummary("Reviews of a user").WithDescription("Newest first, with the summary over all of them.");
        return v1;
    }

    public static async Task<Results<Created<ReviewResponse>, ValidationProblem, ProblemHttpResult>> Create(
        string userId, ReviewRequest request, ClaimsPrincipal principal, ReviewService reviews, CancellationToken cancellationToken)
    {
        var outcome = await reviews.CreateAsync(principal.UserId(), userId, request, cancellationToken);
        return outcome.Status switch
        {
            ReviewStatus.Done => TypedResults.Created($"/v1/users/{userId}/reviews", ReviewResponse.From(outcome.Review!)),
            ReviewStatus.NotFound => Problems.NotFound(outcome.Detail!),
            ReviewStatus.Invalid when outcome.Field is { } field => Problems.Invalid(field, outcome.Detail!),
            ReviewStatus.Invalid => Problems.BadRequest(outcome.Detail!),
            _ => Problems.Conflict(outcome.Detail!),
        };
    }

    public static async Task<Results<Ok<ReviewList>, ValidationProblem, ProblemHttpResult>> List(
        string userId, ReviewService reviews, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100)
        {
            return Problems.Invalid("limit", "Must be 1–100.");
        }
        return await reviews.ListAsync(userId, limit ?? 20, cursor, cancellationToken) is { } list
            ? TypedResults.Ok(list)
            : Problems.NotFound($"There is no user '{userId}'.");
    }
}

public sealed record ReviewRequest(JsonElement Rating, [MaxLength(100_000)] string? Text, [Required, MaxLength(64)] string ContextId);

public sealed record ReviewResponse(
    string Id, string ReviewerId, string? ReviewerName, string TargetUserId, string Market, string ContextId, string Rating, int? Stars, string? Text, DateTimeOffset CreatedAt)
{
    public static ReviewResponse From(ReviewRecord r) => new(r.Id, r.ReviewerId, r.ReviewerName, r.TargetUserId, r.Market, r.ContextId, r.Rating, r.Stars, r.Text, r.CreatedAt);
}

public sealed record ReviewList(IReadOnlyList<ReviewResponse> Items, RatingsResponse Summary, string? NextCursor);
