using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;

namespace Pairwise.Markets;

public static class MarketEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var markets = v1.MapGroup("/markets").WithTags("Markets").AllowAnonymous();
        markets.MapGet("/", ListMarkets)
            .WithSummary("List the markets")
            .WithDescription("Every market this platform serves, with its sides. Markets come from JSON files under markets/.");
        markets.MapGet("/{market}", GetMarket)
            .WithSummary("Describe a market")
            .WithDescription("The whole definition: sides, attribute and preference schemas, listing rules, match rule and scoring recipe. Clients build their forms from it.");
        return v1;
    }

    private static Ok<ListResponse<MarketSummary>> ListMarkets(MarketCatalog catalog) =>
        TypedResults.Ok(new ListResponse<MarketSummary>(
            [.. catalog.All.Select(m => new MarketSummary(m.Id, m.Name, m.Description, m.MatchRule,
                [.. m.Sides.Select(s => new SideSummary(s.Id, s.Name, s.Presentation))]))],
            null));

    private static Results<Ok<MarketDefinition>, ProblemHttpResult> GetMarket(string market, MarketCatalog catalog) =>
        catalog.Find(market) is { } definition
            ? TypedResults.Ok(definition)
            : Problems.NotFound($"There is no market '{market}'.");
}

public sealed record MarketSummary(string Id, string Name, string? Description, MatchRule MatchRule, IReadOnlyList<SideSummary> Sides);

public sealed record SideSummary(string Id, string Name, Presentation Presentation);
