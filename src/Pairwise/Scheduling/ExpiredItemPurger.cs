using Pairwise.Storage;

namespace Pairwise.Scheduling;

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
