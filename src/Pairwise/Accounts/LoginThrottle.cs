using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Accounts;

/// <summary>
/// Log-in throttling that a stranger cannot turn against the owner. A wall per (account, address):
/// one address gets <c>LoginsPerAccount</c> tries per window, then waits. No wall per account: when
/// an account collects more failures than that from everywhere, every attempt on it takes longer
/// (from a quarter of a second up to five), which slows guessing from many addresses while the
/// owner still gets in. Per address across accounts, the "auth" rate limit applies. Counted per node.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private static readonly TimeSpan LongestSlowdown = TimeSpan.FromSeconds(5);
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly MemoryCache _failures = new(new MemoryCacheOptions { SizeLimit = 1_000_000 });
    private readonly RateLimitOptions _limits;

    public LoginThrottle(IOptions<PairwiseOptions> options)
    {
        _limits = options.Value.RateLimits;
        _perAddress = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ =>
            new SlidingWindowRateLimiterOptions { PermitLimit = _limits.LoginsPerAccount, Window = _limits.LoginWindow, SegmentsPerWindow = 5, QueueLimit = 0 }));
    }

    /// <summary>Null when this address may try this account now; otherwise how long to wait.</summary>
    public TimeSpan? TryAttempt(string account, IPAddress? address)
    {
        using var lease = _perAddress.AttemptAcquire($"{account}|{address}");
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
    }

    /// <summary>How long to hold an attempt on an account that many addresses are guessing at.</summary>
    public TimeSpan SlowdownFor(string account)
    {
        if (!_failures.TryGetValue(account, out Counter? counter) || counter!.Value <= _limits.LoginsPerAccount)
        {
            return TimeSpan.Zero;
        }
        var doublings = Math.Min(8, (counter.Value - _limits.LoginsPerAccount) / _limits.LoginsPerAccount);
        return TimeSpan.FromMilliseconds(Math.Min(LongestSlowdown.TotalMilliseconds, 250 * Math.Pow(2, doublings)));
    }

    public void Failed(string account)
    {
        var counter = _failures.GetOrCreate(account, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = _limits.LoginWindow;
            entry.Size = 1;
            return new Counter();
        })!;
        Interlocked.Increment(ref counter.Value);
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _failures.Dispose();
    }

    private sealed class Counter
    {
        public int Value;
    }
}
