using System.ComponentModel.DataAnnotations;

namespace Pairwise.Social;

/// <summary><c>Pairwise:Social</c>: following, posts, linked accounts and the aggregated feed.</summary>
public sealed class SocialOptions
{
    public const string Section = "Pairwise:Social";

    /// <summary>
    /// Hosts that feed and provider addresses may name although they resolve to loopback, private or
    /// link-local networks (e.g. <c>127.0.0.1</c> or <c>localhost</c> in tests, an intranet blog).
    /// Every other such address is refused, after DNS and on every redirect.
    /// </summary>
#pragma warning disable CA1819 // Bound from configuration as an array.
    public string[] AllowedFeedHosts { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>
    /// The connectors this node runs, comma-separated (<c>bluesky</c>, <c>feeds</c>); empty on API
    /// nodes when connector workers (<c>pairwise worker --connectors …</c>) do the polling.
    /// </summary>
    public string Connectors { get; set; } = "bluesky,feeds";

    /// <summary>How often each linked account is polled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.2", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many item ids a user's aggregated feed list keeps (seed 004's fixed-size list).</summary>
    [Range(20, 10_000)]
    public int FeedSize { get; set; } = 500;

    /// <summary>How long an unread feed list lives in the cache.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan FeedTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Profiles with more followers than this are not fanned out on write; their posts are merged at read.</summary>
    [Range(0, 10_000_000)]
    public int FanOutLimit { get; set; } = 10_000;

    /// <summary>At most one notification per watched source per this interval.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest a provider request may take before that source is marked stale.</summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "00:05:00")]
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest feed document read (bytes).</summary>
    [Range(1024, 50 * 1024 * 1024)]
    public int MaxFeedBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Requests per minute each provider may receive from this node (its rate-limit budget).</summary>
    [Range(1, 100_000)]
    public int ProviderRequestsPerMinute { get; set; } = 600;

    public bool Runs(string connector) =>
        Connectors.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(connector, StringComparer.OrdinalIgnoreCase);
}
