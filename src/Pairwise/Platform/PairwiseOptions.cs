namespace Pairwise.Platform;

/// <summary>The <c>Pairwise</c> configuration section.</summary>
public sealed class PairwiseOptions
{
    public const string Section = "Pairwise";

    /// <summary>Where the embedded engine keeps its database, mail pickup folder and outbox.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary><c>sqlite</c> (default) or <c>dynamodb</c>.</summary>
    public string Storage { get; set; } = "sqlite";

    /// <summary>An extra folder of market definitions, read after the presets that ship beside the binary.</summary>
    public string? MarketsDirectory { get; set; }

    /// <summary>Whether this node runs the periodic jobs (expiry purges). Tests that drive jobs by hand turn it off.</summary>
    public bool BackgroundJobs { get; set; } = true;

    /// <summary>E-mail addresses of the operators (verified accounts with those addresses may use /v1/operator/…).</summary>
#pragma warning disable CA1819 // Bound from configuration as an array.
    public string[] Operators { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>
    /// The address at which people and other servers reach this deployment (e.g.
    /// <c>https://pairwise.example.com</c>): links back into the app, WebSub callbacks. Unset, nothing
    /// that needs it is offered.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    public TokenOptions Tokens { get; set; } = new();

    public RateLimitOptions RateLimits { get; set; } = new();

    public string DataPath(params string[] parts) => Path.GetFullPath(Path.Combine([DataDirectory, .. parts]));
}

public sealed class TokenOptions
{
    public string Issuer { get; set; } = "pairwise";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);
}

public sealed class RateLimitOptions
{
    /// <summary>Requests to the sign-up, log-in, refresh and verification endpoints per client IP per minute.</summary>
    public int AuthPerIpPerMinute { get; set; } = 30;

    /// <summary>Log-in attempts per account from one address in <see cref="LoginWindow"/>; beyond as many failures from everywhere, attempts slow down.</summary>
    public int LoginsPerAccount { get; set; } = 10;

    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Messages (and typing signals, user-made notifications) a user may send at once…</summary>
    public int SendBurst { get; set; } = 20;

    /// <summary>…and the steady rate after the burst.</summary>
    public int SendsPerMinute { get; set; } = 60;

    /// <summary>Reports a user may file at once, then per hour.</summary>
    public int ReportBurst { get; set; } = 5;

    public int ReportsPerHour { get; set; } = 10;

    /// <summary>Reviews a user may write at once, then per hour.</summary>
    public int ReviewBurst { get; set; } = 5;

    public int ReviewsPerHour { get; set; } = 20;

    /// <summary>Listings a user may create at once, then per hour.</summary>
    public int ListingBurst { get; set; } = 100;

    public int ListingsPerHour { get; set; } = 300;
}
