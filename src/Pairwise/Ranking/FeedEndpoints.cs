using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pairwise.Listings;
using Pairwise.Platform;

namespace Pairwise.Ranking;

public static class FeedEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/markets/{market}/feed", GetFeed).WithTags("Feed")
            .WithSummary("My ranked feed")
            .WithDescription("The cards of the other side, ranked by the market's recipe blended with what people do (the learned term, unless the market "
                + "turns learning off), each with its score and an explanation: every feature's points, which add up to the base, and every multiplier "
                + "(sentiment: they liked you ×2, passed on you ×½; time: recently seen or passed); `behaviour` summarises the learned term. Never a card "
                + "you liked, your own, an expired one, one outside the market's hard filters either way, or one you passed within the market's cool-down. "
                + "Pages continue the first page's order for an hour (no repeats).")
            .WithExample(parameters: new Dictionary<string, string> { ["market"] = "venture", ["side"] = "investor", ["limit"] = "10" });
        v1.MapPost("/markets/{market}/feed/refresh", Refresh).WithTags("Feed")
            .WithSummary("Get recommendations now")
            .WithDescription("Recomputes my entry of the daily batch at once (seed 003's \"get recommendations\" button); the next first page starts from it.");
        v1.MapPost("/markets/{market}/feed/seen", MarkSeen).WithTags("Feed")
            .WithSummary("Say which cards were shown")
            .WithDescription("The cards your app showed on screen (fetching a page marks nothing, so a reload or a second device shows the same next cards). "
                + "From an hour later they count as seen: the time multiplier halves them, whole again after a week. Up to 100 ids a call; ids of cards no "
                + "longer in the market are skipped.")
            .WithExample("""{"listingIds":["lst_0193a1b2c3d4e5f60000000000000001"]}""", new Dictionary<string, string> { ["market"] = "venture" });
        return v1;
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> Refresh(
        string market, [FromQuery(Name = "side")] string? side, ClaimsPrincipal principal, BatchScorer batches, CancellationToken cancellationToken) =>
        await batches.RefreshAsync(principal.UserId(), market, side, cancellationToken) switch
        {
            FeedStatus.Ok => TypedResults.Accepted($"/v1/markets/{market}/feed"),
            FeedStatus.NoSuchMarket => Problems.NotFound($"There is no market '{market}'."),
            _ => Problems.Conflict($"You have no profile with a feed in '{market}' (name it with side=), or no live listing to rank for."),
        };

    public const int MaxSeenPerCall = 100;

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> MarkSeen(
        string market, [FromQuery(Name = "side")] string? side, SeenRequest request, ClaimsPrincipal principal, FeedService feed, CancellationToken cancellationToken)
    {
        if (request.ListingIds is not { Count: > 0 and <= MaxSeenPerCall } ids)
        {
            return Problems.Invalid("listingIds", $"Name 1–{MaxSeenPerCall} listing ids.");
        }
        List<string> named = [.. ids.OfType<string>()];
        if (named.Count < ids.Count)
        {
            return Problems.Invalid("listingIds", "An id is missing (null).");
        }
        if (named.FirstOrDefault(id => !Ids.IsWellFormed(id, Ids.Listing)) is { } bad)
        {
            return Problems.Invalid("listingIds", $"'{bad}' is not a listing id.");
        }
        var result = await feed.MarkSeenAsync(new FeedRequest(principal.UserId(), market, side, null, null, null, null), named, cancellationToken);
        return result.Status switch
        {
            FeedStatus.Ok => TypedResults.NoContent(),
            FeedStatus.NoSuchMarket => Problems.NotFound($"There is no market '{market}'."),
            _ => Problems.Conflict(result.Detail!),
        };
    }

    public static async Task<Results<Ok<FeedResponse>, ValidationProblem, ProblemHttpResult>> GetFeed(
        string market, [AsParameters] FeedQuery query, ClaimsPrincipal principal, FeedService feed, ImageLinks links, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        int? limit = null;
        if (query.Limit is { } limitText)
        {
            if (int.TryParse(limitText, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= FeedService.MaxLimit)
            {
                limit = value;
            }
            else
            {
                errors["limit"] = [$"Must be a whole number 1–{FeedService.MaxLimit}."];
            }
        }
        GeoPoint? near = null;
        if (query.Near is { } nearText)
        {
            if (GeoPoint.TryParse(nearText, out var point))
            {
                near = point;
            }
            else
            {
                errors["near"] = [GeoPoint.Format];
            }
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await feed.GetAsync(new FeedRequest(principal.UserId(), market, query.Side, query.For, near, limit, query.Cursor), cancellationToken);
        Telemetry.FeedDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
            new("market", market), new("source", result.Source), new("status", result.Status.ToString()));
        return result.Status switch
        {
            FeedStatus.Ok => TypedResults.Ok(new FeedResponse(
                [.. result.Entries.Select(e => new FeedItem(ListingResponse.From(e.Listing, links), e.Score, e.Explanation))], result.NextCursor, result.Source)),
            FeedStatus.NoSuchMarket => Problems.NotFound($"There is no market '{market}'."),
            FeedStatus.BadCursor => Problems.Invalid("cursor", result.Detail!),
            FeedStatus.Warming => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Warming up"),
            _ => Problems.Conflict(result.Detail!),
        };
    }
}

public sealed record FeedQuery(
    [property: FromQuery(Name = "side"), Description("The side you are looking as, when you have profiles on several.")] string? Side,
    [property: FromQuery(Name = "limit"), Description("Cards per page, 1–50 (default: the market's feed size, 10 in venture).")] string? Limit,
    [property: FromQuery(Name = "cursor"), Description("nextCursor of the previous page.")] string? Cursor,
    [property: FromQuery(Name = "near"), Description("LAT,LON: where you are now, instead of your profile's location.")] string? Near,
    [property: FromQuery(Name = "for"), Description("Employers: the listing (job) to rank members for; default your newest live one.")] string? For);

/// <param name="ListingIds">The cards shown, as the feed gave them (listing.id).</param>
public sealed record SeenRequest(IReadOnlyList<string?>? ListingIds);

public sealed record FeedItem(ListingResponse Listing, double Score, Explanation Explanation);

/// <param name="Source">live (every card scored now), list (the viewer's kept list, the cards changed since and today's signals, scored now: the same order) or snapshot (a later page of an earlier order).</param>
public sealed record FeedResponse(IReadOnlyList<FeedItem> Items, string? NextCursor, string Source);
