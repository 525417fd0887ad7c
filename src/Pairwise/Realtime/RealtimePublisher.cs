using Microsoft.AspNetCore.SignalR;

namespace Pairwise.Realtime;

/// <summary>
/// Pushes events to users' hub connections and to the other live listeners (GraphQL
/// subscriptions). Delivery is best effort: what matters is stored first.
/// </summary>
public sealed partial class RealtimePublisher(IHubContext<RealtimeHub> hub, ILiveEvents live, ILogger<RealtimePublisher> logger)
{
    public async Task SendAsync(IReadOnlyList<string> userIds, string eventName, object payload, CancellationToken cancellationToken = default)
    {
        if (userIds.Count == 0)
        {
            return;
        }
        try
        {
            await hub.Clients.Groups([.. userIds.Select(RealtimeHub.UserGroup)]).SendAsync(eventName, payload, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A client that missed a push reads the list endpoints; the event is never the only copy.
            LogPushFailed(logger, e, eventName);
        }
        try
        {
            await live.PublishAsync(eventName, userIds, payload, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPushFailed(logger, e, eventName);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing a {Event} event failed")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, string @event);
}
