using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Caching.Hybrid;
using Pairwise.Storage;

namespace Pairwise.Ranking;

/// <summary>
/// A feed's ranked order, kept for an hour so later pages continue it (seed 004's fixed-size list
/// with a TTL). In the HybridCache: this node's memory, and Redis when configured, so a cursor
/// works on any node. A feed request writes nothing durable on its hot path; an order that is gone
/// (evicted, Redis lost) makes the cursor a 400 and the client starts again from page one.
/// </summary>
public sealed class FeedSnapshots(HybridCache cache)
{
    private static readonly HybridCacheEntryOptions Lookup = new() { Flags = HybridCacheEntryFlags.DisableUnderlyingData };

    public ValueTask KeepAsync(string id, FeedSnapshotRecord snapshot, CancellationToken cancellationToken) =>
        cache.SetAsync(Key(id), snapshot, cancellationToken: cancellationToken);

    public ValueTask<FeedSnapshotRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(Key(id), static _ => ValueTask.FromResult<FeedSnapshotRecord?>(null), Lookup, cancellationToken: cancellationToken);

    private static string Key(string id) => "feed:" + id;
}

/// <summary>
/// Writes "seen" marks (for the time multiplier) behind the request: the newest marks of each
/// viewer are coalesced and stored moments later. A mark lost in a crash only makes a card look
/// new again; nothing a user did is lost.
/// </summary>
public sealed partial class SeenWriter(IItemStore store, ILogger<SeenWriter> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, SeenRecord> _pending = new(StringComparer.Ordinal);
    private readonly Channel<string> _dirty = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _writing = new(1, 1);

    public void Record(string profileId, Signals signals, IEnumerable<string> cardIds, DateTimeOffset now)
    {
        _pending[profileId] = signals.MarkSeen(cardIds, now);
        _dirty.Writer.TryWrite(profileId);
    }

    /// <summary>Stores every pending mark now, after any write already under way (tests and shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        _writing.Release();
        foreach (var profileId in _pending.Keys)
        {
            await WriteAsync(profileId, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var profileId in _dirty.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await WriteAsync(profileId, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, profileId);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task WriteAsync(string profileId, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            if (_pending.TryRemove(profileId, out var record))
            {
                var key = RankingKeys.Seen(profileId);
                await store.PutAsync(new Item { Pk = key.Pk, Sk = key.Sk, Data = ItemJson.Serialize(record, RankingJson.Default.SeenRecord), Version = 1 }, Condition.None, cancellationToken);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing seen marks of {ProfileId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string profileId);
}
