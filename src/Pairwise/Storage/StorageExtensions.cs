using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Pairwise.Platform;
using Pairwise.Scheduling;

namespace Pairwise.Storage;

public static class StorageExtensions
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var engine = builder.Configuration[$"{PairwiseOptions.Section}:{nameof(PairwiseOptions.Storage)}"] ?? "sqlite";
        if (!engine.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Pairwise:Storage is '{engine}'; this build supports 'sqlite'.");
        }
        builder.Services.AddSingleton<IItemStore>(services => new SqliteItemStore(
            services.GetRequiredService<IOptions<PairwiseOptions>>().Value.DataPath("pairwise.db"),
            services.GetRequiredService<TimeProvider>()));
        builder.Services.AddScheduledJob<ExpiredItemPurger>("retention-purge", "*/5 * * * *");
        return builder;
    }
}

/// <summary>
/// Retention: deletes expired items in small batches so storage does not grow with dead data —
/// notifications after 30 days, messages after their market's retention, finished job posts after
/// 90 days, cached embeddings after their TTL, run records after 30 days. (Reads already hide them.)
/// </summary>
public sealed class ExpiredItemPurger(IItemStore store) : IScheduledJob
{
    private const int BatchSize = 500;

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        int purged, total = 0;
        do
        {
            purged = await store.PurgeExpiredAsync(BatchSize, cancellationToken);
            total += purged;
        }
        while (purged == BatchSize && !cancellationToken.IsCancellationRequested);
        return total;
    }
}

public sealed class StoreHealthCheck(IItemStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetAsync(new ItemKey("SYSTEM", "HEALTH"), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The item store does not answer.", e);
        }
    }
}
