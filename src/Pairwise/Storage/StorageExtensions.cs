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
public sealed partial class ExpiredItemPurger(IItemStore store, TimeProvider time, IOptions<PairwiseOptions> options, ILogger<ExpiredItemPurger> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundJobs)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                int purged, total = 0;
                do
                {
                    purged = await store.PurgeExpiredAsync(BatchSize, stoppingToken);
                    total += purged;
                }
                while (purged == BatchSize && !stoppingToken.IsCancellationRequested);
                if (total > 0)
                {
                    LogPurged(logger, total);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired items")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired items failed; will retry")]
    private static partial void LogFailed(ILogger logger, Exception exception);
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
