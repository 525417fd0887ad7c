using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Accounts;

/// <summary>
/// Limits log-in attempts per account, whatever the address they come from, so a password
/// cannot be guessed from many IPs (the per-IP limit is the "auth" rate-limit policy).
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public LoginThrottle(IOptions<PairwiseOptions> options)
    {
        var limits = options.Value.RateLimits;
        _limiter = PartitionedRateLimiter.Create<string, string>(email => RateLimitPartition.GetSlidingWindowLimiter(email, _ =>
            new SlidingWindowRateLimiterOptions { PermitLimit = limits.LoginsPerAccount, Window = limits.LoginWindow, SegmentsPerWindow = 5, QueueLimit = 0 }));
    }

    /// <summary>Null when the attempt may go ahead; otherwise how long to wait.</summary>
    public TimeSpan? TryAttempt(string normalisedEmail)
    {
        using var lease = _limiter.AttemptAcquire(normalisedEmail);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => _limiter.Dispose();
}
