using System.ComponentModel.DataAnnotations;
using Pairwise.Listings;

namespace Pairwise.Ranking;

public sealed record FeedRequest(string UserId, string Market, string? Side, string? ForListingId, GeoPoint? Near, int? Limit, string? Cursor);

public sealed record FeedEntry(ListingRecord Listing, double Score, Explanation Explanation);

public enum FeedStatus
{
    Ok,
    NoSuchMarket,
    NoProfile,
    AmbiguousSide,
    NoListing,
    BadCursor,
    Warming,
}

public sealed record FeedResult(FeedStatus Status, IReadOnlyList<FeedEntry> Entries, string? NextCursor, string? Detail = null, string Source = "live");

/// <summary>The <c>Pairwise:Ranking</c> section.</summary>
public sealed class RankingOptions
{
    /// <summary>Markets with at most this many cards are ranked live on every first page ("instant mode"); larger ones start from the daily batch.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Pairwise:Ranking:InstantModeMaxCards must be 0 or more.")]
    public int InstantModeMaxCards { get; set; } = 20_000;
}
