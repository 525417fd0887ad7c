using System.Text.Json;

namespace Pairwise.Realtime;

/// <summary>One of the hub's events on its way to other listeners (the GraphQL subscriptions): its name, the users it concerns, and its payload as the hub sends it (JSON).</summary>
public sealed record LiveEvent(string Name, IReadOnlyList<string> UserIds, ReadOnlyMemory<byte> Payload);

/// <summary>
/// Carries every event the hub sends to the other live listeners: on this node by default, on
/// every node when scale-out shares it. Best effort, like the hub: what matters is stored first.
/// </summary>
public interface ILiveEvents
{
    ValueTask PublishAsync(string name, IReadOnlyList<string> userIds, object payload, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="listener"/> with each event for <paramref name="userId"/> until the result is disposed. Events of one publisher arrive in order.</summary>
    IDisposable Listen(string userId, Action<LiveEvent> listener);
}

/// <summary>This node's listeners: the whole bus on one node, and the local end of a shared one.</summary>
public sealed class LocalLiveEvents(JsonSerializerOptions serializerOptions) : ILiveEvents
{
    private readonly Dictionary<string, List<Action<LiveEvent>>> _listeners = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public JsonSerializerOptions SerializerOptions => serializerOptions;

    public ValueTask PublishAsync(string name, IReadOnlyList<string> userIds, object payload, CancellationToken cancellationToken)
    {
        if (Listens(userIds))
        {
            Deliver(new LiveEvent(name, userIds, JsonSerializer.SerializeToUtf8Bytes(payload, payload.GetType(), serializerOptions)));
        }
        return ValueTask.CompletedTask;
    }

    public IDisposable Listen(string userId, Action<LiveEvent> listener)
    {
        lock (_lock)
        {
            if (!_listeners.TryGetValue(userId, out var list))
            {
                _listeners[userId] = list = [];
            }
            list.Add(listener);
        }
        return new Subscription(this, userId, listener);
    }

    public bool Listens(IReadOnlyList<string> userIds)
    {
        lock (_lock)
        {
            return userIds.Any(_listeners.ContainsKey);
        }
    }

    /// <summary>Hands the event to this node's listeners of its users, each once.</summary>
    public void Deliver(LiveEvent live)
    {
        List<Action<LiveEvent>> targets = [];
        lock (_lock)
        {
            foreach (var userId in live.UserIds.Distinct(StringComparer.Ordinal))
            {
                if (_listeners.TryGetValue(userId, out var list))
                {
                    targets.AddRange(list);
                }
            }
        }
        foreach (var target in targets)
        {
            target(live);
        }
    }

    private void Remove(string userId, Action<LiveEvent> listener)
    {
        lock (_lock)
        {
            if (_listeners.TryGetValue(userId, out var list) && list.Remove(listener) && list.Count == 0)
            {
                _listeners.Remove(userId);
            }
        }
    }

    private sealed class Subscription(LocalLiveEvents owner, string userId, Action<LiveEvent> listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(userId, listener);
            }
        }
    }
}
