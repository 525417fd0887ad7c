using System.Globalization;
using Pairwise.Platform;

namespace Pairwise.Listings;

/// <summary>Binds the browse filters from the raw query once, naming each bad filter, and keeps the browse cursor opaque.</summary>
public static class BrowseFilterBinder
{
    public static (BrowseFilter? Filter, Dictionary<string, string[]> Errors) Bind(string market, IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        string[] known = ["tags", "minPrice", "maxPrice", "condition", "near", "radiusKm", "owner", "side", "limit", "cursor"];
        foreach (var key in query.Keys.Where(k => !known.Contains(k)))
        {
            errors[key] = [$"Unknown filter. Known: {string.Join(", ", known)}."];
        }
        var minPrice = ParseDecimal(query, "minPrice", errors);
        var maxPrice = ParseDecimal(query, "maxPrice", errors);
        if (minPrice > maxPrice)
        {
            errors["minPrice"] = ["Must not be greater than maxPrice."];
        }
        GeoPoint? near = null;
        if (Single(query, "near") is { } nearText)
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
        var radius = ParseDecimal(query, "radiusKm", errors);
        if (radius is not null && (radius <= 0 || radius > 20_000))
        {
            errors["radiusKm"] = ["Must be greater than 0 and at most 20000."];
        }
        else if (radius is not null && near is null && !errors.ContainsKey("near"))
        {
            errors["radiusKm"] = ["Only with near=LAT,LON."];
        }
        var limit = 20;
        if (Single(query, "limit") is { } limitText && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > ListingEndpoints.MaxBrowseLimit))
        {
            errors["limit"] = [$"Must be a whole number 1–{ListingEndpoints.MaxBrowseLimit}."];
        }
        string? before = null;
        if (Single(query, "cursor") is { } cursor && (before = DecodeCursor(cursor)) is null)
        {
            errors["cursor"] = ["The cursor is not one this API issued."];
        }
        var (tags, tagError) = ListingRules.NormaliseTags(Single(query, "tags")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? []);
        if (tagError is not null)
        {
            errors["tags"] = [tagError];
        }
        foreach (var name in new[] { "tags", "minPrice", "maxPrice", "condition", "near", "radiusKm", "owner", "side", "limit", "cursor" })
        {
            if (query[name].Count > 1)
            {
                errors[name] = ["Give this filter once."];
            }
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new BrowseFilter
        {
            Market = market,
            Side = Single(query, "side"),
            Tags = tags,
            MinPrice = minPrice,
            MaxPrice = maxPrice,
            Condition = Single(query, "condition"),
            Near = near,
            RadiusKm = (double)(radius ?? 10),
            OwnerProfileId = Single(query, "owner"),
            Limit = limit,
            Before = before,
        }, errors);
    }

    public static string? Single(IQueryCollection query, string name) => query[name] is [{ Length: > 0 } value] ? value : null;

    public static decimal? ParseDecimal(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Single(query, name) is not { } text)
        {
            return null;
        }
        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }
        errors[name] = ["Must be a non-negative number."];
        return null;
    }

    // The browse cursor is the id of the last listing shown.
    public static string EncodeCursor(string listingId) => OpaqueCursor.Encode("before:" + listingId);

    private static string? DecodeCursor(string cursor) =>
        OpaqueCursor.Decode(cursor) is { } text && text.StartsWith("before:", StringComparison.Ordinal) && Ids.IsWellFormed(text[7..], Ids.Listing) ? text[7..] : null;
}
