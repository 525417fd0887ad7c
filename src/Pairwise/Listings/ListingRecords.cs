using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Listings;

/// <summary>Every key the listings feature writes (see docs/keys.md).</summary>
public static class ListingKeys
{
    /// <summary>The listing. GSI1: its owner's listings of every status (<c>OWNER#{userId}</c>).</summary>
    public static ItemKey Listing(string listingId) => new($"LISTING#{listingId}", "LISTING");

    public static string OwnerIndex(string userId) => $"OWNER#{userId}";

    /// <summary>Browse index partitions: one small projection per live listing, sort key = listing id (time-ordered).</summary>
    public static string LiveInMarket(string market) => $"LIVE#{market}";
    public static string LiveByOwner(string market, string profileId) => $"LIVE#{market}#OWNER#{profileId}";
    public static string LiveByTag(string market, string tag) => $"LIVE#{market}#TAG#{tag}";
    public static string LiveInCell(string market, string geohash) => $"LIVE#{market}#GEO#{geohash}";
    public static string LiveByTagInCell(string market, string tag, string geohash) => $"LIVE#{market}#TAG#{tag}#GEO#{geohash}";

    /// <summary>Listings that expire in an hour, for the purge job.</summary>
    public static ItemKey ExpirySchedule(DateTimeOffset expiresAt, string listingId) => new(ExpiryBucket(expiresAt), $"LISTING#{listingId}");
    public static string ExpiryBucket(DateTimeOffset at) => $"EXPIRY#{at.UtcDateTime:yyyyMMddHH}";
    public static ItemKey ExpiryCursor => new("SYSTEM", "LISTING-EXPIRY-CURSOR");

    /// <summary>An image's metadata, found by id when it is served.</summary>
    public static ItemKey Image(string imageId) => new($"IMAGE#{imageId}", "IMAGE");
    public static string ImageBlob(string imageId) => $"images/{imageId}";

    /// <summary>A saved listing, under the user; GSI1 orders a user's saved listings by time.</summary>
    public static ItemKey Bookmark(string userId, string listingId) => new($"USER#{userId}", $"BOOKMARK#{listingId}");
    public static string BookmarkIndex(string userId) => $"BOOKMARKS#{userId}";
}

public sealed record ListingRecord
{
    public required string Id { get; init; }
    public required string Market { get; init; }
    public required string Side { get; init; }
    public required string OwnerProfileId { get; init; }
    public required string OwnerUserId { get; init; }

    /// <summary>A card mirrors its profile and changes only with it.</summary>
    public bool IsCard { get; init; }

    public required string Title { get; init; }
    public string? Description { get; init; }
    public required Dictionary<string, JsonElement> Attributes { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public decimal? Price { get; init; }
    public ListingLocation? Location { get; init; }
    public IReadOnlyList<ListingImage> Images { get; init; } = [];
    public required string Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public ListingPromotion? Promotion { get; init; }

    /// <summary>Engagement (views, likes, saves, offers, messages) with time decay, 0–100, written by the hype job.</summary>
    public double? Hype { get; init; }
}

public sealed record ListingLocation(double Lat, double Lon, string? District = null);

/// <param name="Widths">The narrower copies stored beside the full size (320, 800, 1600 px where the image is wider); none for images stored before there were copies.</param>
public sealed record ListingImage(string Id, string ContentType, int Width, int Height, long Bytes, IReadOnlyList<int>? Widths = null);

/// <summary>Paid promotion (seed 002 "hype"): a level and a boost window that ranking reads.</summary>
public sealed record ListingPromotion(int Hype, DateTimeOffset? BoostUntil);

/// <summary>What the browse indexes hold per live listing: just enough to filter without reading the listing.</summary>
public sealed record ListingProjection(
    string Id, string Side, string OwnerProfileId, decimal? Price, double? Lat, double? Lon,
    IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string> Categories);

/// <param name="SharedBlob">Where the bytes are when they are not the image's own: a library photo many listings show (demo data), never deleted with one of them.</param>
public sealed record ImageRecord(string ListingId, string ContentType, long Bytes, string Sha256, string? SharedBlob = null);

public sealed record BookmarkRecord(string ListingId, DateTimeOffset SavedAt);

public sealed record ExpiryCursorRecord(DateTimeOffset ProcessedUpTo);

[JsonSerializable(typeof(ListingRecord))]
[JsonSerializable(typeof(ListingProjection))]
[JsonSerializable(typeof(ImageRecord))]
[JsonSerializable(typeof(BookmarkRecord))]
[JsonSerializable(typeof(ExpiryCursorRecord))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class ListingJson : JsonSerializerContext;
