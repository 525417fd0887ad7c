using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Pairwise.Platform;

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
        builder.Services.AddHostedService<ExpiredItemPurger>();
        return builder;
    }
}

/// <summary>Deletes expired items in small batches so storage does not grow with dead data.</summary>
public sealed class ExpiredItemPurger(IItemStore store, TimeProvider time, IOptions<PairwiseOptions> options, ILogger<ExpiredItemPurger> logger)
    : PeriodicJob(time, options, logger)
{
    private const int BatchSize = 500;

    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
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
