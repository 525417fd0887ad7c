using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Platform;

namespace Pairwise.Ranking;

/// <param name="Total">How many listings match in all (the pages together).</param>
public sealed record SearchResponse(IReadOnlyList<ListingResponse> Items, int Total, string? NextCursor);

public sealed record SearchQuery(
    [property: FromQuery(Name = "q"), Description("Words that must all appear in the title, tags or description (any language; word beginnings match).")] string? Q,
    [property: FromQuery(Name = "sort"), Description("relevance (the default with q), newest (the default without), price, -price (dearest first), distance (needs near).")] string? Sort,
    [property: FromQuery(Name = "tags"), Description("Comma-separated tags; a listing must have all of them.")] string? Tags,
    [property: FromQuery(Name = "minPrice"), Description("Lowest price.")] string? MinPrice,
    [property: FromQuery(Name = "maxPrice"), Description("Highest price.")] string? MaxPrice,
    [property: FromQuery(Name = "near"), Description("LAT,LON: each listing's distance from it (and with radiusKm, only those within).")] string? Near,
    [property: FromQuery(Name = "radiusKm"), Description("Only listings within this many km of near.")] string? RadiusKm,
    [property: FromQuery(Name = "side"), Description("Only listings of this side.")] string? Side,
    [property: FromQuery(Name = "limit"), Description("Page size, 1–100 (default 20).")] string? Limit,
    [property: FromQuery(Name = "cursor"), Description("nextCursor of the previous page.")] string? Cursor);

public static class SearchEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/markets/{market}/search", Search).WithTags("Listings")
            .WithSummary("Search listings")
            .WithDescription("Live listings (and cards) of the market whose title, tags or description contain every word of q, with filters and a sort: "
                + "tags, minPrice, maxPrice, near (with radiusKm), side, and any category attribute of the market's listings by name with one of its values "
                + "(marketplace: category=bikes, condition=used). Never your own listings or those of people blocked either way. Results follow "
                + "changes within moments. total says how many match; pages of up to 100, up to the first 1,000 results.")
            .WithExample(parameters: new Dictionary<string, string>
            {
                ["market"] = "marketplace", ["q"] = "road bike", ["category"] = "bikes", ["maxPrice"] = "2000", ["sort"] = "price", ["near"] = "22.2819,114.1582",
            });
        return v1;
    }

    public static async Task<Results<Ok<SearchResponse>, ValidationProblem, ProblemHttpResult>> Search(
        string market, [AsParameters] SearchQuery query, HttpRequest request, ClaimsPrincipal principal, MarketCatalog markets, SearchService search,
        ImageLinks links, CancellationToken cancellationToken)
    {
        _ = query; // bound for the OpenAPI description; read from the raw query to name each bad parameter
        if (markets.Find(market) is not { } definition)
        {
            return Problems.NotFound($"There is no market '{market}'.");
        }
        var (wanted, errors) = SearchBinder.Bind(definition, request.Query);
        if (wanted is null)
        {
            return Problems.Invalid(errors);
        }
        if (await search.SearchAsync(principal.UserId(), definition, wanted, cancellationToken) is not { } page)
        {
            return TypedResults.Problem("The search index is still loading; retry in a few seconds.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Warming up");
        }
        return TypedResults.Ok(new SearchResponse([.. page.Items.Select(i => ListingResponse.From(i.Listing, links, i.DistanceKm))], page.Total, page.NextCursor));
    }
}
