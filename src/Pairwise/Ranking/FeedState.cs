using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Caching.Memory;
using Pairwise.Storage;
using Pairwise.Swipes;

namespace Pairwise.Ranking;

/// <summary>
/// A feed's ranked order, kept for an hour so later pages continue it. Held in this node's
/// memory: a feed request writes nothing durable on its hot path. (With several nodes, a cursor
/// that reaches a node without the order gets a 400 and the client starts again from page one.)
/// </summary>
public sealed class FeedSnapshots : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    // Sized in card ids: two million ids is about 200 MB; the oldest orders go first when full.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 2_000_000 });

    public void Keep(string id, FeedSnapshotRecord snapshot) =>
        _cache.Set(id, snapshot, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime, Size = Math.Max(1, snapshot.Ids.Count) });

    public FeedSnapshotRecord? Find(string id) => _cache.TryGetValue(id, out FeedSnapshotRecord? snapshot) ? snapshot : null;

    public void Dispose() => _cache.Dispose();
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
                var key = SwipeKeys.Seen(profileId);
                await store.PutAsync(new Item { Pk = key.Pk, Sk = key.Sk, Data = ItemJson.Serialize(record, SwipeJson.Default.SeenRecord), Version = 1 }, Condition.None, cancellationToken);
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
