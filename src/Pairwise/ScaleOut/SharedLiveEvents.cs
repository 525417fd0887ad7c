using System.Buffers;
using System.Text.Json;
using Pairwise.Realtime;
using StackExchange.Redis;

namespace Pairwise.ScaleOut;

/// <summary>
/// The live events of every node: each event is published once on one Redis channel (beside the
/// hub's backplane channels) with the users it concerns, and every node hands it to its own
/// listeners. A node hears its own events back through Redis, so each listener gets an event once
/// and in publishing order; while Redis is away, a node's events still reach its own listeners.
/// </summary>
public sealed partial class SharedLiveEvents(IConnectionMultiplexer redis, LocalLiveEvents local, ILogger<SharedLiveEvents> logger)
    : BackgroundService, ILiveEvents
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(ScaleOutModule.Prefix + "live");

    private readonly IConnectionMultiplexer _redis = redis;
    private readonly LocalLiveEvents _local = local;
    private readonly ILogger<SharedLiveEvents> _logger = logger;
    private ChannelMessageQueue? _queue;

    /// <summary>Subscribes once Redis answers (the client subscribes again by itself after a reconnect).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (_queue is null && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A queue, not a handler: messages are handled one at a time, in the order Redis sent them.
                _queue = await _redis.GetSubscriber().SubscribeAsync(Channel);
                _queue.OnMessage(message =>
                {
                    if (!message.Message.IsNullOrEmpty && Decode(message.Message!) is { } live)
                    {
                        _local.Deliver(live);
                    }
                });
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public async ValueTask PublishAsync(string name, IReadOnlyList<string> userIds, object payload, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(payload, payload.GetType(), _local.SerializerOptions);
        var live = new LiveEvent(name, userIds, json);
        if (_queue is null)
        {
            // Not subscribed yet: this node would not hear its own event back.
            _local.Deliver(live);
            return;
        }
        try
        {
            await _redis.GetSubscriber().PublishAsync(Channel, Encode(live));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogLocalOnly(_logger, e);
            _local.Deliver(live);
        }
    }

    public IDisposable Listen(string userId, Action<LiveEvent> listener) => _local.Listen(userId, listener);

    public override void Dispose()
    {
        _queue?.Unsubscribe();
        base.Dispose();
    }

    private static byte[] Encode(LiveEvent live)
    {
        var buffer = new ArrayBufferWriter<byte>(live.Payload.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", live.Name);
            writer.WriteStartArray("users");
            foreach (var user in live.UserIds)
            {
                writer.WriteStringValue(user);
            }
            writer.WriteEndArray();
            writer.WritePropertyName("payload");
            writer.WriteRawValue(live.Payload.Span, skipInputValidation: true);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static LiveEvent? Decode(byte[] message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            var users = root.GetProperty("users").EnumerateArray().Select(u => u.GetString()!).ToList();
            return new LiveEvent(root.GetProperty("name").GetString()!, users, JsonSerializer.SerializeToUtf8Bytes(root.GetProperty("payload")));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable: a live event reaches only this node's listeners")]
    private static partial void LogLocalOnly(ILogger logger, Exception exception);
}
