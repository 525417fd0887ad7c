using System.Diagnostics;
using System.Globalization;
using Pairwise.Storage;

namespace Pairwise.Observability;

/// <summary>
/// Daily counters per market in the store (an atomic add per event, after the event committed),
/// for the operators' stats endpoint; analytics beyond that go through <c>pairwise export</c>.
/// </summary>
public sealed class Stats(IItemStore store, TimeProvider time)
{
    public const string AllMarkets = "*";

    public static ItemKey Key(DateOnly day, string market, string metric) =>
        new($"STATS#{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", $"{market}#{metric}");

    /// <summary>Counts one event; a failure to count never fails the request that caused it.</summary>
    public async Task CountAsync(string market, string metric, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.AddAsync(Key(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), market, metric), 1, time.GetUtcNow().AddDays(400), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Activity.Current?.AddException(e);
        }
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>> ReadAsync(DateOnly day, CancellationToken cancellationToken)
    {
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
}

public sealed record DayStats(DateOnly Day, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Markets);

public sealed record StatsResponse(IReadOnlyList<DayStats> Days);
