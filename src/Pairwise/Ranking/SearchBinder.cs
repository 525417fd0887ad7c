using System.Globalization;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Platform;

namespace Pairwise.Ranking;

/// <summary>Reads a search from query parameters (REST's, or GraphQL's arguments put in that shape), naming each bad one.</summary>
public static class SearchBinder
{
    public const int MaxLimit = 100;
    public const int MaxOffset = 1_000;
    public const int MaxQueryLength = 200;

    /// <summary>The market's category attributes that search filters by, by name: those of its listings and cards.</summary>
    private static Dictionary<string, FieldDefinition> Filterable(MarketDefinition market) =>
        market.Sides.SelectMany(s => s.Presentation == Presentation.Card ? s.Attributes : s.Listings?.Attributes ?? [])
            .Where(f => f.Type is FieldType.Category or FieldType.Categories)
            .DistinctBy(f => f.Name)
            .ToDictionary(f => f.Name, StringComparer.Ordinal);

    private static readonly string[] Known = ["q", "sort", "tags", "minPrice", "maxPrice", "near", "radiusKm", "side", "limit", "cursor"];

    public static (SearchRequest? Request, Dictionary<string, string[]> Errors) Bind(MarketDefinition market, IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        var filterable = Filterable(market);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in query.Keys)
        {
            if (query[key].Count > 1)
            {
                errors[key] = ["Give this parameter once."];
            }
            else if (filterable.TryGetValue(key, out var field))
            {
                var allowed = market.AllowedValues(field);
                if (!allowed.Contains(query[key].ToString()))
                {
                    errors[key] = [$"Must be one of: {string.Join(", ", allowed)}."];
                }
                values[key] = query[key].ToString();
            }
            else if (!Known.Contains(key))
            {
                errors[key] = [$"Unknown parameter. Known: {string.Join(", ", Known.Concat(filterable.Keys))}."];
            }
        }
        var text = BrowseFilterBinder.Single(query, "q");
        if (text?.Length > MaxQueryLength)
        {
            errors["q"] = [$"At most {MaxQueryLength} characters."];
        }
        var minPrice = BrowseFilterBinder.ParseDecimal(query, "minPrice", errors);
        var maxPrice = BrowseFilterBinder.ParseDecimal(query, "maxPrice", errors);
        if (minPrice > maxPrice)
        {
            errors["minPrice"] = ["Must not be greater than maxPrice."];
        }
        GeoPoint? near = null;
        if (BrowseFilterBinder.Single(query, "near") is { } nearText)
        {
            near = GeoPoint.TryParse(nearText, out var point) ? point : null;
            if (near is null)
            {
                errors["near"] = [GeoPoint.Format];
            }
        }
        var radius = BrowseFilterBinder.ParseDecimal(query, "radiusKm", errors);
        if (radius is not null && (radius <= 0 || radius > 20_000))
        {
            errors["radiusKm"] = ["Must be greater than 0 and at most 20000."];
        }
        else if (radius is not null && near is null && !errors.ContainsKey("near"))
        {
            errors["radiusKm"] = ["Only with near=LAT,LON."];
        }
        var terms = ListingSearch.Words(text);
        var sort = BrowseFilterBinder.Single(query, "sort") switch
        {
            null => terms.Count > 0 ? SearchSort.Relevance : SearchSort.Newest,
            "relevance" => SearchSort.Relevance,
            "newest" => SearchSort.Newest,
            "price" => SearchSort.PriceLow,
            "-price" => SearchSort.PriceHigh,
            "distance" when near is not null || errors.ContainsKey("near") => SearchSort.Distance,
            "distance" => Fail("sort", "distance needs near=LAT,LON."),
            _ => Fail("sort", "Must be relevance, newest, price, -price or distance."),
        };
        var limit = 20;
        if (BrowseFilterBinder.Single(query, "limit") is { } limitText && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"Must be a whole number 1–{MaxLimit}."];
        }
        var offset = 0;
        if (BrowseFilterBinder.Single(query, "cursor") is { } cursor
            && (OpaqueCursor.Decode(cursor) is not { } position || !position.StartsWith("search:", StringComparison.Ordinal)
                || !int.TryParse(position.AsSpan(7), CultureInfo.InvariantCulture, out offset) || offset is < 0 or > MaxOffset))
        {
            errors["cursor"] = ["The cursor is not one this API issued."];
        }
        var side = BrowseFilterBinder.Single(query, "side");
        if (side is not null && market.FindSide(side) is null)
        {
            errors["side"] = [$"Must be one of: {string.Join(", ", market.Sides.Select(s => s.Id))}."];
        }
        var (tags, tagError) = ListingRules.NormaliseTags(BrowseFilterBinder.Single(query, "tags")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? []);
        if (tagError is not null)
        {
            errors["tags"] = [tagError];
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new SearchRequest
        {
            Market = market.Id, Side = side, Terms = terms, Sort = sort, Tags = tags, MinPrice = minPrice, MaxPrice = maxPrice, Near = near,
            RadiusKm = (double?)radius, Values = values, Offset = offset, Limit = limit,
        }, errors);

        SearchSort Fail(string field, string message)
        {
            errors[field] = [message];
            return SearchSort.Newest;
        }
    }
}
