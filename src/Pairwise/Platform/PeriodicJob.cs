using Microsoft.Extensions.Options;

namespace Pairwise.Platform;

/// <summary>
/// A job that runs at start and then every <see cref="Interval"/> on the injected clock, logs what
/// it did, and survives its own failures. Nodes with <c>Pairwise:BackgroundJobs</c> off skip it.
/// </summary>
public abstract partial class PeriodicJob(TimeProvider time, IOptions<PairwiseOptions> options, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>Does one round of work and returns how many things it handled.</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundJobs)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval, Time);
        do
        {
            try
            {
                var handled = await RunOnceAsync(stoppingToken);
                if (handled > 0)
                {
                    LogRan(logger, GetType().Name, handled);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job} handled {Count} items")]
    private static partial void LogRan(ILogger logger, string job, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job);
}
