using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Pairwise.Listings;

public sealed record CreateListingRequest(
    [MaxLength(64)] string? Side,
    [Pairwise.Platform.CleanName] string? Title,
    string? Description,
    JsonElement? Attributes,
    IReadOnlyList<string>? Tags,
    decimal? Price,
    LocationInput? Location,
    [MaxLength(32)] string? Status);

public sealed record UpdateListingRequest(
    [Pairwise.Platform.CleanName] string? Title,
    string? Description,
    JsonElement? Attributes,
    IReadOnlyList<string>? Tags,
    decimal? Price,
    LocationInput? Location,
    [MaxLength(32)] string? Status);

/// <summary>The browse filters, all as text so that a malformed one is reported by name rather than failing binding.</summary>
public sealed record BrowseQuery(
    [property: FromQuery(Name = "tags"), Description("Comma-separated tags; a listing must have all of them.")] string? Tags,
    [property: FromQuery(Name = "minPrice"), Description("Lowest price.")] string? MinPrice,
    [property: FromQuery(Name = "maxPrice"), Description("Highest price.")] string? MaxPrice,
    [property: FromQuery(Name = "condition"), Description("The listing's condition attribute, e.g. new, used.")] string? Condition,
    [property: FromQuery(Name = "near"), Description("LAT,LON in degrees: only listings within radiusKm of it, with their distance.")] string? Near,
    [property: FromQuery(Name = "radiusKm"), Description("Radius around near, in km (default 10).")] string? RadiusKm,
    [property: FromQuery(Name = "owner"), Description("A profile id: only that owner's listings.")] string? Owner,
    [property: FromQuery(Name = "side"), Description("Only listings of this side (e.g. startup cards in venture).")] string? Side,
    [property: FromQuery(Name = "limit"), Description("Page size, 1–100 (default 20).")] string? Limit,
    [property: FromQuery(Name = "cursor"), Description("nextCursor of the previous page.")] string? Cursor);

public sealed record PromotionRequest([Range(0, 100)] int Hype, [Range(0, 365)] int BoostDays);

/// <param name="Srcset">The narrower copies for an img srcset ("url 320w, url 800w, …"), the full size last.</param>
public sealed record ImageResponse(string Id, string Url, string ContentType, int Width, int Height, long Bytes, string Srcset)
{
    public static ImageResponse From(ListingImage image, string url) => new(image.Id, url, image.ContentType, image.Width, image.Height, image.Bytes,
        string.Join(", ", (image.Widths ?? []).Select(w => $"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}w={w} {w}w").Append($"{url} {image.Width}w")));
}

public sealed record ListingResponse(
    string Id, string Market, string Side, string OwnerProfileId, bool IsCard, string Title, string? Description,
    IReadOnlyDictionary<string, JsonElement> Attributes, IReadOnlyList<string> Tags, decimal? Price, ListingLocation? Location,
    IReadOnlyList<ImageResponse> Images, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ExpiresAt,
    ListingPromotion? Promotion, double? DistanceKm, double Hype)
{
    public static ListingResponse From(ListingRecord l, ImageLinks links, double? distanceKm = null) => new(
        l.Id, l.Market, l.Side, l.OwnerProfileId, l.IsCard, l.Title, l.Description, l.Attributes, l.Tags, l.Price, l.Location,
        [.. l.Images.Select(i => ImageResponse.From(i, links.Url(l, i)))], l.Status, l.CreatedAt, l.UpdatedAt, l.ExpiresAt, l.Promotion,
        distanceKm is { } d ? Math.Round(d, 3) : null, l.Hype ?? 0);
}
