using System.Collections.Concurrent;
using System.Globalization;
using Pairwise.Storage;

namespace Pairwise.Observability;

/// <summary>
/// Daily counters per market in the store, for the operators' stats endpoint; analytics beyond
/// that go through <c>pairwise export</c>. Events are counted in memory and added to the store
/// once a second, one atomic add per counter: a request never waits for a counter's write, and
/// a busy market's counter item takes one write a second instead of one per event. A node's
/// counts are flushed before it reads them and when it stops; a crash loses at most a second of
/// counts (counters only: the events themselves were committed before they were counted).
/// </summary>
public sealed partial class Stats(IItemStore store, TimeProvider time, ILogger<Stats> logger) : BackgroundService
{
    public const string AllMarkets = "*";

    /// <summary>How often counted events are added to the store.</summary>
    public static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<ItemKey, long> _pending = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);

    public static ItemKey Key(DateOnly day, string market, string metric) =>
        new($"STATS#{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", $"{market}#{metric}");

    /// <summary>Counts one event (in memory until the next flush); counting never fails the request that caused it.</summary>
    public Task CountAsync(string market, string metric, CancellationToken cancellationToken = default)
    {
        _pending.AddOrUpdate(Key(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), market, metric), 1, static (_, n) => n + 1);
        return Task.CompletedTask;
    }

    /// <summary>Adds every counted event to the store now.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            foreach (var key in _pending.Keys)
            {
                if (!_pending.TryRemove(key, out var count))
                {
                    continue;
                }
                try
                {
                    await store.AddAsync(key, count, time.GetUtcNow().AddDays(400), cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Kept for the next flush (the store may be back by then).
                    _pending.AddOrUpdate(key, count, (_, n) => n + count);
                    LogFlushFailed(logger, e, key.Sk);
                }
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await FlushAsync(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>> ReadAsync(DateOnly day, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var markets = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var pk = $"STATS#{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        await foreach (var item in store.QueryAllAsync(new Query { Pk = pk, Limit = 1000 }, cancellationToken))
        {
            var cut = item.Sk.LastIndexOf('#');
            var market = item.Sk[..cut];
            if (!markets.TryGetValue(market, out var metrics))
            {
                markets[market] = metrics = new(StringComparer.Ordinal);
            }
            metrics[item.Sk[(cut + 1)..]] = item.Counter;
        }
        return markets.ToDictionary(m => m.Key, m => (IReadOnlyDictionary<string, long>)m.Value, StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Adding the counter {Counter} to the store failed; it is tried again at the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string counter);
}

public sealed record DayStats(DateOnly Day, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Markets);

public sealed record StatsResponse(IReadOnlyList<DayStats> Days);
