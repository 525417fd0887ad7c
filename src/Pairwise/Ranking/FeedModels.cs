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
    /// <summary>
    /// Markets with at most this many cards are cheap to rank ("instant mode"): the daily batch
    /// skips them, and a viewer whose profile changed gets a new list at once. Larger markets start
    /// from the batch's lists and rebuild a stale list in the background while the old one serves.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "Pairwise:Ranking:InstantModeMaxCards must be 0 or more.")]
    public int InstantModeMaxCards { get; set; } = 20_000;

    /// <summary>How many cards a viewer's kept list holds (seed 004's fixed-size list).</summary>
    [Range(Ranker.SnapshotSize, 100_000, ErrorMessage = "Pairwise:Ranking:ListSize must be between 200 and 100000.")]
    public int ListSize { get; set; } = 1000;

    /// <summary>How long a kept list serves before it is built again (its TTL); at most 2 days, as seen marks are read for 9 (ADR 22).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "2.00:00:00", ErrorMessage = "Pairwise:Ranking:ListLifetime must be between 1 minute and 2 days.")]
    public TimeSpan ListLifetime { get; set; } = TimeSpan.FromHours(26);

    /// <summary>How many viewers' lists one node keeps in memory (about 4 KB each at 500 cards).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Pairwise:Ranking:ListCacheEntries must be 1 or more.")]
    public int ListCacheEntries { get; set; } = 100_000;

    /// <summary>How many feed orders (the first page's 200 cards, for its cursor) one node keeps in memory (about 4 KB each).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Pairwise:Ranking:SnapshotCacheEntries must be 1 or more.")]
    public int SnapshotCacheEntries { get; set; } = 100_000;
}
