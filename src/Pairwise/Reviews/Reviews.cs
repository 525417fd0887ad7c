using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Accounts;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Notifications;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Storage;
using Pairwise.Swipes;

namespace Pairwise.Reviews;

/// <summary>Every key the reviews feature writes (see docs/keys.md).</summary>
public static class ReviewKeys
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

/// <summary>
/// Reviews after a match, deal or job (seeds 001, 002): each party may review the other once per
/// match, on the market's scale. The review, the reviewed profile's rating summary (which the
/// ranking filters read) and the notification are written in one transaction.
/// </summary>
public static class ReviewEndpoints
{
    public static RouteGroupBuilder MapReviews(this RouteGroupBuilder v1)
    {
        var reviews = v1.MapGroup("/users/{userId}/reviews").WithTags("Reviews");
        reviews.MapPost("/", Create).WithSummary("Review someone you matched with")
            .WithDescription("contextId is the match (or deal) you shared. rating is good, neutral or bad, or 1–5 in markets rated with stars. Once per match.")
            .WithExample("""{"rating":"good","text":"On time and friendly.","contextId":"mch_019a5b3c7d2e0000a1b2c3d4e5f60718"}""")
            .RequireRateLimiting(PlatformExtensions.SendRateLimit);
        reviews.MapGet("/", List).WithSummary("Reviews of a user").WithDescription("Newest first, with the summary over all of them.");
        return v1;
    }

    public static async Task<Results<Created<ReviewResponse>, ValidationProblem, ProblemHttpResult>> Create(
        string userId, ReviewRequest request, ClaimsPrincipal principal, IItemStore store, MarketCatalog markets, ProfileStore profiles,
        Listings.ListingStore listings, Notifier notifier, ListingChanges changes, TimeProvider time, CancellationToken cancellationToken)
    {
        var me = principal.UserId();
        if (userId == me)
        {
            return Problems.BadRequest("You cannot review yourself.");
        }
        // Only someone who shared this match with me can be reviewed for it; anyone else is simply not found.
        if (!Ids.IsWellFormed(request.ContextId, Ids.Match) || await store.GetAsync(SwipeKeys.Match(request.ContextId), cancellationToken) is not { } matchItem
            || ItemJson.Deserialize(matchItem, SwipeJson.Default.MatchRecord) is not { } match
            || !match.UserIds.Contains(me) || !match.UserIds.Contains(userId) || markets.Find(match.Market) is not { } market)
        {
            return Problems.NotFound($"You have no match '{request.ContextId}' with user '{userId}'.");
        }
        // A job's parties rate each other once it is done (seed 001).
        if (match.Kind == "selection" && match.ListingId is { } jobId && await listings.GetIncludingExpiredAsync(jobId, cancellationToken) is { } job
            && job.Record.Status != market.FindSide(job.Record.Side)?.Listings?.Statuses[^1])
        {
            return Problems.Conflict("Rate each other once the job is completed.");
        }
        if (Rate(request.Rating, market.Reviews.Scale) is not { } rating)
        {
            return Problems.Invalid("rating", market.Reviews.Scale == ReviewScale.Stars ? "Must be a whole number of stars, 1–5." : "Must be good, neutral or bad.");
        }
        if (request.Text is { Length: var length } && length > market.Reviews.MaxTextLength)
        {
            return Problems.Invalid("text", $"At most {market.Reviews.MaxTextLength} characters.");
        }
        var reviewer = await profiles.GetAsync(match.ProfileIds[match.UserIds[0] == me ? 0 : 1], cancellationToken);
        var targetProfileId = match.ProfileIds[match.UserIds[0] == userId ? 0 : 1];
        var review = new ReviewRecord(Ids.New(Ids.Review, time), me, reviewer?.Record.DisplayName, userId, targetProfileId, market.Id, match.Id,
            rating.Kind, rating.Stars, request.Text, time.GetUtcNow());
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var key = ReviewKeys.Review(userId, review.Id);
            var marker = ReviewKeys.Reviewed(match.Id, me);
            var notice = await notifier.PrepareAsync(userId, NotificationTypes.Review, $"{review.ReviewerName ?? "Someone"} reviewed you: {rating.Kind}.",
                new Dictionary<string, string> { ["reviewId"] = review.Id, ["matchId"] = match.Id }, cancellationToken);
            List<WriteOperation> operations =
            [
                new WriteOperation.Put(new Item { Pk = key.Pk, Sk = key.Sk, Version = 1, Data = ItemJson.Serialize(review, ReviewJson.Default.ReviewRecord) }, Condition.NotExists),
                new WriteOperation.Put(new Item { Pk = marker.Pk, Sk = marker.Sk, Version = 1, Data = ItemJson.Serialize(review, ReviewJson.Default.ReviewRecord) }, Condition.NotExists),
            ];
            if (notice?.Write is { } write)
            {
                operations.Add(write);
            }
            var target = await profiles.GetAsync(targetProfileId, cancellationToken);
            var committed = target is null
                ? (await store.TransactAsync(operations, cancellationToken)).Committed
                : await profiles.ReplaceAsync(target.Record with { Ratings = Add(target.Record.Ratings, rating) }, target.Version, operations, cancellationToken);
            if (committed)
            {
                if (target?.Record.CardId is { } card)
                {
                    changes.Publish(card);
                }
                await notifier.DeliverAsync([notice], cancellationToken);
                return TypedResults.Created($"/v1/users/{userId}/reviews", ReviewResponse.From(review));
            }
            if (await store.GetAsync(marker, cancellationToken) is not null)
            {
                return Problems.Conflict("You already reviewed this match.");
            }
        }
        return Problems.Conflict("The profile keeps changing; try again.");
    }

    public static async Task<Results<Ok<ReviewList>, ValidationProblem, ProblemHttpResult>> List(
        string userId, IItemStore store, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100)
        {
            return Problems.Invalid("limit", "Must be 1–100.");
        }
        if (!Ids.IsWellFormed(userId, Ids.User) || await store.GetAsync(AccountKeys.User(userId), cancellationToken) is null)
        {
            return Problems.NotFound($"There is no user '{userId}'.");
        }
        var page = await store.QueryAsync(new Query { Pk = ReviewKeys.Reviews(userId), Descending = true, Limit = limit ?? 20, Cursor = cursor }, cancellationToken);
        RatingSummary? summary = null;
        await foreach (var item in store.QueryAllAsync(new Query { Pk = ReviewKeys.Reviews(userId), Limit = 1000 }, cancellationToken))
        {
            var review = ItemJson.Deserialize(item, ReviewJson.Default.ReviewRecord);
            summary = Add(summary, (review.Rating, review.Stars));
        }
        return TypedResults.Ok(new ReviewList(
            [.. page.Items.Select(i => ReviewResponse.From(ItemJson.Deserialize(i, ReviewJson.Default.ReviewRecord)))], RatingsResponse.From(summary), page.Cursor));
    }

    /// <summary>good/neutral/bad as given, or stars mapped onto them (4–5 good, 3 neutral, 1–2 bad).</summary>
    private static (string Kind, int? Stars)? Rate(JsonElement rating, ReviewScale scale) => scale switch
    {
        ReviewScale.Stars when rating.ValueKind == JsonValueKind.Number && rating.TryGetInt32(out var stars) && stars is >= 1 and <= 5 =>
            (stars >= 4 ? Ratings.Good : stars == 3 ? Ratings.Neutral : Ratings.Bad, stars),
        ReviewScale.GoodNeutralBad when rating.ValueKind == JsonValueKind.String && rating.GetString() is Ratings.Good or Ratings.Neutral or Ratings.Bad =>
            (rating.GetString()!, null),
        _ => null,
    };

    private static RatingSummary Add(RatingSummary? summary, (string Kind, int? Stars) rating)
    {
        var s = summary ?? new RatingSummary(0, 0, 0);
        s = rating.Kind switch
        {
            Ratings.Good => s with { Good = s.Good + 1 },
            Ratings.Neutral => s with { Neutral = s.Neutral + 1 },
            _ => s with { Bad = s.Bad + 1 },
        };
        return rating.Stars is { } stars ? s with { StarTotal = s.StarTotal + stars, StarCount = s.StarCount + 1 } : s;
    }
}

public sealed record ReviewRequest(JsonElement Rating, [MaxLength(100_000)] string? Text, [Required, MaxLength(64)] string ContextId);

public sealed record ReviewResponse(
    string Id, string ReviewerId, string? ReviewerName, string TargetUserId, string Market, string ContextId, string Rating, int? Stars, string? Text, DateTimeOffset CreatedAt)
{
    public static ReviewResponse From(ReviewRecord r) => new(r.Id, r.ReviewerId, r.ReviewerName, r.TargetUserId, r.Market, r.ContextId, r.Rating, r.Stars, r.Text, r.CreatedAt);
}

public sealed record ReviewList(IReadOnlyList<ReviewResponse> Items, RatingsResponse Summary, string? NextCursor);
