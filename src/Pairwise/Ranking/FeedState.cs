using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Pairwise.Storage;

namespace Pairwise.Ranking;

/// <summary>
/// A feed's ranked order, kept for an hour so later pages continue it (seed 004's fixed-size list
/// with a TTL). In this node's memory as the object itself (a first page serializes nothing), up to
/// <see cref="RankingOptions.SnapshotCacheEntries"/> of them, and in Redis when configured, so a
/// cursor works on any node. A feed request writes nothing durable on its hot path; an order that is
/// gone (evicted, Redis lost) makes the cursor a 400 and the client starts again from page one.
/// </summary>
public sealed partial class FeedSnapshots(IOptions<RankingOptions> options, ILogger<FeedSnapshots> logger, IDistributedCache? shared = null) : IDisposable
{
    /// <summary>How long a cursor continues its order.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>How long an order fetched from Redis stays in this node's memory too.</summary>
    private static readonly TimeSpan Borrowed = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _local = new(new MemoryCacheOptions { SizeLimit = options.Value.SnapshotCacheEntries });
    private readonly IDistributedCache? _shared = shared is MemoryDistributedCache ? null : shared;

    public async ValueTask KeepAsync(string id, FeedSnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        KeepLocally(id, snapshot, Lifetime);
        if (_shared is null)
        {
            return;
        }
        try
        {
            await _shared.SetAsync(Key(id), JsonSerializer.SerializeToUtf8Bytes(snapshot, RankingJson.Default.FeedSnapshotRecord),
                new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Redis down: the cursor still works on this node.
            LogSharedFailed(logger, e, id);
        }
    }

    public async ValueTask<FeedSnapshotRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (_local.TryGetValue(id, out FeedSnapshotRecord? local))
        {
            return local;
        }
        if (_shared is null)
        {
            return null;
        }
        try
        {
            if (await _shared.GetAsync(Key(id), cancellationToken) is { } bytes
                && JsonSerializer.Deserialize(bytes, RankingJson.Default.FeedSnapshotRecord) is { } found)
            {
                KeepLocally(id, found, Borrowed);
                return found;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSharedFailed(logger, e, id);
        }
        return null;
    }

    public void Dispose() => _local.Dispose();

    private void KeepLocally(string id, FeedSnapshotRecord snapshot, TimeSpan lifetime) =>
        _local.Set(id, snapshot, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime, Size = 1 });

    private static string Key(string id) => "feed:" + id;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared cache did not answer for the feed order {SnapshotId}")]
    private static partial void LogSharedFailed(ILogger logger, Exception exception, string snapshotId);
}

/// <summary>
/// Writes "seen" marks (for the time multiplier) behind the request: the cards a viewer was shown
/// are coalesced per viewer and stored moments later as one small item (one write unit for a page
/// of ten), which expires a little after the mark stops counting. A mark lost in a crash only makes a card
/// look new again; nothing a user did is lost.
/// </summary>
public sealed partial class SeenWriter(IItemStore store, TimeProvider time, ILogger<SeenWriter> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, SeenMarks> _pending = new(StringComparer.Ordinal);
    private readonly Channel<string> _dirty = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _writing = new(1, 1);

    public void Record(string profileId, IEnumerable<string> cardIds, DateTimeOffset now)
    {
        var cards = cardIds.ToList();
        if (cards.Count == 0)
        {
            return;
        }
        var at = now.ToUnixTimeSeconds();
        _pending.AddOrUpdate(profileId, _ => new SeenMarks(at, cards),
            (_, waiting) => new SeenMarks(Math.Max(at, waiting.At), [.. waiting.Cards.Union(cards, StringComparer.Ordinal)]));
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
            if (_pending.TryRemove(profileId, out var marks))
            {
                var at = DateTimeOffset.FromUnixTimeSeconds(marks.At);
                var key = RankingKeys.SeenAt(profileId, at, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3)));
                await store.PutAsync(new Item
                {
                    Pk = key.Pk,
                    Sk = key.Sk,
                    Data = ItemJson.Serialize(marks, RankingJson.Default.SeenMarks),
                    Version = 1,
                    ExpiresAt = Max(at, time.GetUtcNow()) + Signals.SeenKept,
                }, Condition.None, cancellationToken);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing seen marks of {ProfileId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string profileId);
}
