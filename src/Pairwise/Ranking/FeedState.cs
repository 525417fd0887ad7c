using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Caching.Distributed;
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
public sealed class FeedSnapshots(IOptions<RankingOptions> options, ILogger<FeedSnapshots> logger, IDistributedCache? shared = null) : IDisposable
{
    /// <summary>How long a cursor continues its order.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>How long an order fetched from Redis stays in this node's memory too.</summary>
    private static readonly TimeSpan Borrowed = TimeSpan.FromMinutes(10);

    private readonly KeptCache<FeedSnapshotRecord> _kept = new("feed:", options.Value.SnapshotCacheEntries,
        snapshot => JsonSerializer.SerializeToUtf8Bytes(snapshot, RankingJson.Default.FeedSnapshotRecord),
        bytes => JsonSerializer.Deserialize(bytes, RankingJson.Default.FeedSnapshotRecord), logger, shared);

    public ValueTask KeepAsync(string id, FeedSnapshotRecord snapshot, CancellationToken cancellationToken) =>
        _kept.KeepAsync(id, snapshot, Lifetime, cancellationToken);

    public async ValueTask<FeedSnapshotRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (_kept.TryFindHere(id, out var here))
        {
            return here;
        }
        var found = await _kept.FindSharedAsync(id, cancellationToken);
        if (found is not null)
        {
            _kept.KeepHere(id, found, Borrowed);
        }
        return found;
    }

    public void Dispose() => _kept.Dispose();
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
