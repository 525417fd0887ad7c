using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;

namespace Pairwise.Ranking;

/// <summary>
/// What the feed keeps for a while, as objects in this node's memory (bounded: at most
/// <c>entries</c> of them) and encoded in the shared cache (Redis) when one is configured, so every
/// node finds it. The in-memory distributed cache is not shared, so it is skipped. The shared cache
/// failing is logged and counts as a miss: what is kept can always be rebuilt.
/// </summary>
public sealed partial class KeptCache<T>(
    string prefix, long entries, Func<T, byte[]> encode, Func<byte[], T?> decode, ILogger logger, IDistributedCache? shared) : IDisposable
    where T : class
{
    private readonly MemoryCache _local = new(new MemoryCacheOptions { SizeLimit = entries });
    private readonly IDistributedCache? _shared = shared is MemoryDistributedCache ? null : shared;

    /// <summary>Keeps <paramref name="value"/> here and in the shared cache for <paramref name="lifetime"/> (nowhere when it is not positive).</summary>
    public async ValueTask KeepAsync(string key, T value, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        KeepHere(key, value, lifetime);
        if (_shared is null || lifetime <= TimeSpan.Zero)
        {
            return;
        }
        try
        {
            await _shared.SetAsync(prefix + key, encode(value), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Shared cache down: this node still serves what it keeps.
            LogSharedFailed(logger, e, prefix + key);
        }
    }

    /// <summary>Keeps <paramref name="value"/> in this node's memory only, for <paramref name="lifetime"/> (nothing when it is not positive).</summary>
    public void KeepHere(string key, T value, TimeSpan lifetime)
    {
        if (lifetime > TimeSpan.Zero)
        {
            _local.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime, Size = 1 });
        }
    }

    public bool TryFindHere(string key, out T? value) => _local.TryGetValue(key, out value);

    /// <summary>The shared cache's copy (not kept here: the caller decides for how long), or null.</summary>
    public async ValueTask<T?> FindSharedAsync(string key, CancellationToken cancellationToken)
    {
        if (_shared is null)
        {
            return null;
        }
        try
        {
            return await _shared.GetAsync(prefix + key, cancellationToken) is { } bytes ? decode(bytes) : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSharedFailed(logger, e, prefix + key);
            return null;
        }
    }

    public async ValueTask ForgetAsync(string key, CancellationToken cancellationToken)
    {
        _local.Remove(key);
        if (_shared is not null)
        {
            await _shared.RemoveAsync(prefix + key, cancellationToken);
        }
    }

    public void Dispose() => _local.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared cache did not answer for {Key}")]
    private static partial void LogSharedFailed(ILogger logger, Exception exception, string key);
}
