using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Pairwise.Platform;

/// <summary>What a user does that others receive or that costs the platform: each has its own budget per user.</summary>
public enum UserLimit
{
    /// <summary>Messages, typing signals (over HTTP and the hub), user-made notifications, digests sent now.</summary>
    Send,
    Report,
    Review,
    Listing,

    /// <summary>Sign-up, log-in, refresh, verification codes, password changes: per client address, whoever is signed in.</summary>
    Auth,
}

/// <summary>
/// Per-user token buckets: a burst, then a steady rate. One limiter serves HTTP endpoints (through
/// <see cref="UserRateLimitExtensions.LimitPerUser"/>) and the real-time hub, so typing over the
/// socket spends the same budget as typing over HTTP. Per node: with N nodes a user could reach N
/// times the rate at most, which bounds abuse without a round trip per request.
/// </summary>
public sealed class UserRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<(UserLimit Limit, string User)> _limiter;

    public UserRateLimits(IOptions<PairwiseOptions> options)
    {
        var limits = options.Value.RateLimits;
        _limiter = PartitionedRateLimiter.Create<(UserLimit Limit, string User), (UserLimit, string)>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ =>
        {
            var (burst, period) = key.Limit switch
            {
                UserLimit.Send => (limits.SendBurst, TimeSpan.FromMinutes(1) / limits.SendsPerMinute),
                UserLimit.Report => (limits.ReportBurst, TimeSpan.FromHours(1) / limits.ReportsPerHour),
                UserLimit.Review => (limits.ReviewBurst, TimeSpan.FromHours(1) / limits.ReviewsPerHour),
                UserLimit.Auth => (limits.AuthPerIpPerMinute, TimeSpan.FromMinutes(1) / limits.AuthPerIpPerMinute),
                _ => (limits.ListingBurst, TimeSpan.FromHours(1) / limits.ListingsPerHour),
            };
            return new TokenBucketRateLimiterOptions { TokenLimit = burst, TokensPerPeriod = 1, ReplenishmentPeriod = period, QueueLimit = 0, AutoReplenishment = true };
        }));
    }

    /// <summary>Spends one unit of the caller's budget (the user's, or the address's for <see cref="UserLimit.Auth"/> and anonymous callers): null when they may go ahead, otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(UserLimit limit, System.Security.Claims.ClaimsPrincipal caller, System.Net.IPAddress? address) =>
        TryAcquire(limit, limit != UserLimit.Auth && caller.Identity?.IsAuthenticated == true ? caller.UserId() : "address:" + address);

    /// <summary>Null when the user may go ahead; otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(UserLimit limit, string user)
    {
        using var lease = _limiter.AttemptAcquire((limit, user));
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(5);
    }

    public static string Describe(UserLimit limit) => limit switch
    {
        UserLimit.Send => "You are sending too fast; wait a moment.",
        UserLimit.Report => "You have sent many reports in a short time; our team is looking at them. Try again later.",
        UserLimit.Review => "You have written many reviews in a short time; try again later.",
        UserLimit.Auth => "Too many requests from this address; try again later.",
        _ => "You have created many listings in a short time; try again later.",
    };

    public void Dispose() => _limiter.Dispose();
}

public static class UserRateLimitExtensions
{
    /// <summary>Spends one unit of the caller's <paramref name="limit"/>; past the budget, a 429 problem with Retry-After.</summary>
    public static RouteHandlerBuilder LimitPerUser(this RouteHandlerBuilder endpoint, UserLimit limit) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.RequestServices.GetRequiredService<UserRateLimits>().TryAcquire(limit, http.User, http.Connection.RemoteIpAddress) is { } wait)
            {
                return Problems.TooManyRequests(http, wait, UserRateLimits.Describe(limit));
            }
            return await next(context);
        }).ProducesProblem(StatusCodes.Status429TooManyRequests);
}
