using System.Threading.Channels;
using Pairwise.Listings;
using StackExchange.Redis;

namespace Pairwise.ScaleOut;

/// <summary>
/// Carries listing changes between nodes through a Redis stream, so a listing created on one node
/// shows in feeds served by every other within a second. Each node appends its own changes and
/// reads everyone's from where it last was; a stream (not pub/sub) means a node whose link drops
/// reads what it missed when the link returns, and a node's own changes wait here while Redis is
/// down. Applying a change twice is harmless (the index re-reads the listing from the store).
/// </summary>
public sealed partial class ChangeFanOut(IConnectionMultiplexer redis, ListingChanges changes, TimeProvider time, ILogger<ChangeFanOut> logger)
    : BackgroundService
{
    private static readonly RedisKey Stream = ScaleOutModule.Prefix + "listing-changes";
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private const int Batch = 500;
    // About a quarter of an hour of changes at 100 a second; a node cut off for longer misses the oldest.
    private const int Retained = 100_000;
    // Changes from just before this node started are read again: the store load may have raced them.
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(1);

    private readonly string _node = Guid.NewGuid().ToString("n");
    private readonly ChannelReader<string> _outgoing = changes.Share();
    private readonly List<string> _unsent = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RedisValue position = $"{(time.GetUtcNow() - Overlap).ToUnixTimeMilliseconds()}-0";
        var connected = true;
        var database = redis.GetDatabase();
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                await SendAsync(database);
                var entries = await database.StreamReadAsync(Stream, position, Batch);
                foreach (var entry in entries)
                {
                    position = entry.Id;
                    if (entry["node"] != _node && entry["id"] is { IsNullOrEmpty: false } id)
                    {
                        changes.Receive(id.ToString());
                    }
                }
                more = entries.Length == Batch;
                if (!connected)
                {
                    connected = true;
                    LogRestored(logger);
                }
            }
            catch (RedisException e)
            {
                if (connected)
                {
                    connected = false;
                    LogLost(logger, e);
                }
            }
            if (!more)
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Appends this node's changes in order; what fails stays queued for the next round.</summary>
    private async Task SendAsync(IDatabase database)
    {
        while (_unsent.Count < Batch && _outgoing.TryRead(out var id))
        {
            _unsent.Add(id);
        }
        if (_unsent.Count == 0)
        {
            return;
        }
        var batch = database.CreateBatch();
        var appends = _unsent.Select(id => batch.StreamAddAsync(Stream, [new("node", _node), new("id", id)], maxLength: Retained, useApproximateMaxLength: true)).ToList();
        batch.Execute();
        await Task.WhenAll(appends);
        _unsent.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable: listing changes from other nodes wait until it returns")]
    private static partial void LogLost(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is back: listing changes flow between nodes again")]
    private static partial void LogRestored(ILogger logger);
}
