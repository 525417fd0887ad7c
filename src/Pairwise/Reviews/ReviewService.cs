using System.Text.Json;
using Pairwise.Accounts;
using Pairwise.Conversations;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Notifications;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Storage;
using Pairwise.Swipes;

namespace Pairwise.Reviews;

public enum ReviewStatus
{
    Done,
    NotFound,
    Invalid,
    Conflict,
}

public sealed record ReviewOutcome(ReviewStatus Status, ReviewRecord? Review = null, string? Detail = null, string? Field = null)
{
    public static ReviewOutcome NotFound(string detail) => new(ReviewStatus.NotFound, Detail: detail);

    public static ReviewOutcome Conflict(string detail) => new(ReviewStatus.Conflict, Detail: detail);

    public static ReviewOutcome Invalid(string detail) => new(ReviewStatus.Invalid, Detail: detail);

    public static ReviewOutcome InvalidField(string field, string detail) => new(ReviewStatus.Invalid, Detail: detail, Field: field);
}

/// <summary>
/// Reviews after a match, deal or job (seeds 001, 002): each party may review the other once per
/// match, on the market's scale. The review, the reviewed profile's rating summary (which the
/// ranking filters read) and the notification are written in one transaction.
/// </summary>
public sealed class ReviewService(
    IItemStore store, MarketCatalog markets, MatchStore matches, ProfileStore profiles, ListingStore listings, ConversationService conversations,
    Deals.DealService deals, UserStore users, Notifier notifier, TimeProvider time)
{
    public async Task<ReviewOutcome> CreateAsync(string me, string userId, ReviewRequest request, CancellationToken cancellationToken)
    {
        if (userId == me)
        {
            return ReviewOutcome.Invalid("You cannot review yourself.");
        }
        // Only someone who shared this match with me can be reviewed for it; anyone else is simply not found.
        if ((await matches.GetAsync(request.ContextId, cancellationToken))?.Record is not { } match
            || !match.UserIds.Contains(me) || !match.UserIds.Contains(userId) || markets.Find(match.Market) is not { } market)
        {
            return ReviewOutcome.NotFound($"You have no match '{request.ContextId}' with user '{userId}'.");
        }
        // A job's parties rate each other once it is done (seed 001).
        if (match.Kind == "selection" && match.ListingId is { } jobId && await listings.GetIncludingExpiredAsync(jobId, cancellationToken) is { } job
            && job.Record.Status != market.FindSide(job.Record.Side)?.Listings?.Statuses[^1])
        {
            return ReviewOutcome.Conflict("Rate each other once the job is completed.");
        }
        if (Rate(request.Rating, market.Reviews.Scale) is not { } rating)
        {
            return ReviewOutcome.InvalidField("rating", market.Reviews.Scale == ReviewScale.Stars ? "Must be a whole number of stars, 1–5." : "Must be good, neutral or bad.");
        }
        if (request.Text is { Length: var length } && length > market.Reviews.MaxTextLength)
        {
            return ReviewOutcome.InvalidField("text", $"At most {market.Reviews.MaxTextLength} characters.");
        }
        // Elsewhere a review needs a real exchange, as the market defines it: one like is not a deal (a completed sale is).
        if (match.Kind != "selection" && market.Reviews.After == ReviewAfter.Conversation
            && !await conversations.AllWroteAsync(match.ConversationId, [me, userId], cancellationToken)
            && !await deals.CompletedAsync(match.Id, cancellationToken))
        {
            return ReviewOutcome.Conflict("You can review each other once you have both written in your conversation (or the sale is done).");
        }
        var reviewer = await profiles.GetAsync(match.ProfileIds[match.UserIds[0] == me ? 0 : 1], cancellationToken);
        var targetProfileId = match.ProfileIds[match.UserIds[0] == userId ? 0 : 1];
        var review = new ReviewRecord(Ids.New(Ids.Review, time), me, reviewer?.Record.DisplayName, userId, targetProfileId, market.Id, match.Id,
            rating.Kind, rating.Stars, request.Text, time.GetUtcNow());
        return await Optimistic.RetryAsync("The reviewed profile", async ct =>
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
                await notifier.DeliverAsync([notice], cancellationToken);
                return Attempt.Done(new ReviewOutcome(ReviewStatus.Done, review));
            }
            if (await store.GetAsync(marker, cancellationToken) is not null)
            {
                return Attempt.Done(ReviewOutcome.Conflict("You already reviewed this match."));
            }
            return Attempt.Conflict<ReviewOutcome>();
        }, cancellationToken);
    }


    /// <summary>A page of a user's reviews, newest first, with the summary over all of them; null when there is no such user.</summary>
    public async Task<ReviewList?> ListAsync(string userId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!await users.ExistsAsync(userId, cancellationToken))
        {
            return null;
        }
        var page = await store.QueryAsync(new Query { Pk = ReviewKeys.Reviews(userId), Descending = true, Limit = limit, Cursor = cursor }, cancellationToken);
        RatingSummary? summary = null;
        await foreach (var item in store.QueryAllAsync(new Query { Pk = ReviewKeys.Reviews(userId), Limit = 1000 }, cancellationToken))
        {
            var review = ItemJson.Deserialize(item, ReviewJson.Default.ReviewRecord);
            summary = Add(summary, (review.Rating, review.Stars));
        }
        return new ReviewList(
            [.. page.Items.Select(i => ReviewResponse.From(ItemJson.Deserialize(i, ReviewJson.Default.ReviewRecord)))], RatingsResponse.From(summary), page.Cursor);
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
