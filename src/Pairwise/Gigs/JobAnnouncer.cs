using Pairwise.Listings;

namespace Pairwise.Gigs;

/// <summary>Announces new jobs once the ranking index has them, off the request path.</summary>
public sealed partial class JobAnnouncer(SelectionService selection, NewListings posted, ILogger<JobAnnouncer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var jobId in posted.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await selection.AnnounceAsync(jobId, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, jobId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing job {JobId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string jobId);
}
