using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Markets;
using Pairwise.Platform;

namespace Pairwise.Listings;

public static class ListingEndpoints
{
    public const int MaxBrowseLimit = 100;

    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var market = v1.MapGroup("/markets/{market}/listings").WithTags("Listings");
        market.MapPost("/", CreateListing)
            .WithSummary("Create a listing")
            .WithDescription("A job, a product: what a profile on a listings side offers. Attributes are checked against the market's listing schema. "
                + "Created live unless status is \"draft\" (only the owner sees drafts). Expires after the market's listing lifetime.")
            .WithExample("""
                {"title":"Road bike","description":"Steel frame, new tyres.","price":300,"tags":["bikes","vintage"],
                 "location":{"lat":22.2819,"lon":114.1582},"attributes":{"condition":"used","localPickup":true}}
                """, new Dictionary<string, string> { ["market"] = "marketplace" })
            .LimitPerUser(UserLimit.Listing);
        market.MapGet("/", Browse)
            .WithSummary("Browse listings")
            .WithDescription("Live listings, newest first, with combinable filters: tags (comma-separated, all must match), minPrice, maxPrice, "
                + "condition, near=LAT,LON with radiusKm (default 10), owner (a profile id), side. Paged with limit (1–100, default 20) and cursor.")
            .WithExample(parameters: new Dictionary<string, string>
            {
                ["market"] = "marketplace", ["tags"] = "bikes,vintage", ["minPrice"] = "50", ["maxPrice"] = "500", ["condition"] = "used",
                ["near"] = "22.2819,114.1582", ["radiusKm"] = "5", ["limit"] = "20",
            });

        var listing = v1.MapGroup("/listings/{id}").WithTags("Listings");
        listing.MapGet("/", GetListing).WithSummary("Get a listing").WithDescription("Returns an ETag for If-Match on PATCH.");
        listing.MapPatch("/", UpdateListing)
            .WithSummary("Change my listing")
            .WithDescription("Fields present replace the stored ones; attributes merge by name (null removes one). Status moves forward only "
                + "(draft → live → …). Send If-Match with the ETag to avoid overwriting a newer change (412 if stale).")
            .WithExample("""{"price":250,"attributes":{"localPickup":false},"status":"sold"}""");
        listing.MapDelete("/", DeleteListing).WithSummary("Delete my listing");
        listing.MapGet("/hype", GetHype).WithSummary("My listing's hype")
            .WithDescription("For the owner: the hype score (0–100) the ranking lifts listings by, and the decayed counts of views, likes, saves, offers and messages it comes from. "
                + "Recomputed every ten minutes from the last 30 days (a day's counts weigh half after a week).");

        v1.MapGet("/me/listings", MyListings).WithTags("Listings")
            .WithSummary("My listings").WithDescription("Every listing I own, of every status (drafts too), newest first.");
        v1.MapPost("/operator/listings/{id}/promotion", Promote).WithTags("Operator").RequireAuthorization(Policies.Operator)
            .WithSummary("Grant a promotion")
            .WithDescription("Operators only. Sets a listing's hype level (0–100) and a boost window in days; payment is out of scope.")
            .WithExample("""{"hype":80,"boostDays":7}""");
        return v1;
    }

    public static async Task<Results<Created<ListingResponse>, ValidationProblem, ProblemHttpResult>> CreateListing(
        string market, CreateListingRequest request, ClaimsPrincipal principal, HttpContext http, ListingService listings, ImageLinks links, CancellationToken cancellationToken)
    {
        var outcome = await listings.CreateAsync(principal.UserId(), market, request, cancellationToken);
        if (outcome.Status != ListingStatus.Done)
        {
            return Problem(outcome);
        }
        SetETag(http, outcome.Version);
        return TypedResults.Created($"/v1/listings/{outcome.Listing!.Id}", ListingResponse.From(outcome.Listing, links));
    }

    public static async Task<Results<Ok<ListingResponse>, ProblemHttpResult>> GetListing(
        string id, ClaimsPrincipal principal, HttpContext http, ListingService listings, ImageLinks links, CancellationToken cancellationToken)
    {
        if (await listings.ViewAsync(id, principal.UserId(), cancellationToken) is not { } listing)
        {
            return Problems.NotFound($"There is no listing '{id}'.");
        }
        SetETag(http, listing.Version);
        return TypedResults.Ok(ListingResponse.From(listing.Record, links));
    }

    public static async Task<Results<Ok<ListingResponse>, ValidationProblem, ProblemHttpResult>> UpdateListing(
        string id, UpdateListingRequest request, ClaimsPrincipal principal, HttpContext http, ListingService listings, ImageLinks links, CancellationToken cancellationToken)
    {
        var outcome = await listings.UpdateAsync(id, principal.UserId(), request, IfMatch(http), cancellationToken);
        if (outcome.Status != ListingStatus.Done)
        {
            return Problem(outcome);
        }
        SetETag(http, outcome.Version);
        return TypedResults.Ok(ListingResponse.From(outcome.Listing!, links));
    }

    public static async Task<Results<Ok<HypeScore>, ProblemHttpResult>> GetHype(string id, ClaimsPrincipal principal, ListingService listings, CancellationToken cancellationToken) =>
        await listings.HypeAsync(id, principal.UserId(), cancellationToken) is { } hype ? TypedResults.Ok(hype) : Problems.NotFound($"There is no listing '{id}' of yours.");

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteListing(
        string id, ClaimsPrincipal principal, ListingService listings, CancellationToken cancellationToken) =>
        await listings.DeleteAsync(id, principal.UserId(), cancellationToken) is { Status: not ListingStatus.Done } outcome
            ? Problem(outcome)
            : TypedResults.NoContent();

    public static async Task<Results<Ok<ListResponse<ListingResponse>>, ValidationProblem>> MyListings(
        ClaimsPrincipal principal, ListingStore listings, ImageLinks links, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxBrowseLimit)
        {
            return Problems.Invalid("limit", $"Must be 1–{MaxBrowseLimit}.");
        }
        var (items, next) = await listings.ListOwnedAsync(principal.UserId(), limit ?? 20, cursor, cancellationToken);
        return TypedResults.Ok(new ListResponse<ListingResponse>([.. items.Select(l => ListingResponse.From(l, links))], next));
    }

    public static async Task<Results<Ok<ListResponse<ListingResponse>>, ValidationProblem, ProblemHttpResult>> Browse(
        string market, [AsParameters] BrowseQuery query, HttpRequest request, MarketCatalog markets, ListingService listings, ImageLinks links, CancellationToken cancellationToken)
    {
        if (markets.Find(market) is null)
        {
            return Problems.NotFound($"There is no market '{market}'.");
        }
        _ = query; // bound for the OpenAPI description; bound from the raw query to name each bad filter
        var (filter, errors) = BrowseFilterBinder.Bind(market, request.Query);
        if (filter is null)
        {
            return Problems.Invalid(errors);
        }
        var (hits, nextBefore) = await listings.BrowseAsync(filter, cancellationToken);
        var items = hits.Select(h => ListingResponse.From(h.Listing, links, h.DistanceKm)).ToList();
        return TypedResults.Ok(new ListResponse<ListingResponse>(items, nextBefore is null ? null : BrowseFilterBinder.EncodeCursor(nextBefore)));
    }

    public static async Task<Results<Ok<ListingResponse>, ValidationProblem, ProblemHttpResult>> Promote(
        string id, PromotionRequest request, ListingService listings, ImageLinks links, CancellationToken cancellationToken)
    {
        var outcome = await listings.PromoteAsync(id, request.Hype, request.BoostDays, cancellationToken);
        return outcome.Status == ListingStatus.Done ? TypedResults.Ok(ListingResponse.From(outcome.Listing!, links)) : Problem(outcome);
    }

    /// <summary>The one translation of a listing outcome into HTTP.</summary>
    private static ProblemHttpResult Problem(ListingOutcome outcome) => outcome.Status switch
    {
        ListingStatus.NotFound => Problems.NotFound(outcome.Detail!),
        ListingStatus.Invalid => TypedResults.Problem(new HttpValidationProblemDetails(outcome.Errors!) { Status = StatusCodes.Status400BadRequest }),
        ListingStatus.Stale => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed"),
        _ => Problems.Conflict(outcome.Detail!),
    };

    internal static void SetETag(HttpContext http, long version) => http.Response.Headers.ETag = $"\"{version}\"";

    private static long? IfMatch(HttpContext http) =>
        http.Request.Headers.IfMatch is [{ } value] && long.TryParse(value.Trim('"', 'W', '/'), CultureInfo.InvariantCulture, out var version) ? version : null;

}
