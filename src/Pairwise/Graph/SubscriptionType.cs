using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using Pairwise.Conversations;
using Pairwise.Notifications;
using Pairwise.Realtime;
using Pairwise.Swipes;

namespace Pairwise.Graph;

/// <summary>
/// Live events over WebSocket (graphql-transport-ws): the same events the hub sends, from the same
/// publisher, crossing nodes the same way. Each subscription is checked once when it starts (a
/// room you are not in is refused); events are then filtered to the caller.
/// </summary>
public sealed class SubscriptionType : ObjectGraphType
{
    public SubscriptionType()
    {
        Name = "Subscription";
        Field<NonNullGraphType<MessageType>>("roomMessages").Description("Messages of one of your rooms as they are stored (seed 002's room.{id}).")
            .Argument<NonNullGraphType<IdGraphType>>("roomId")
            .ResolveStreamAsync(async c =>
            {
                var roomId = await MyRoomAsync(c);
                return Stream<MessageResponse>(c, RealtimeEvents.Message, m => m.ConversationId == roomId);
            });
        Field<NonNullGraphType<TypingType>>("typing").Description("Another member is typing in one of your rooms.")
            .Argument<NonNullGraphType<IdGraphType>>("roomId")
            .ResolveStreamAsync(async c =>
            {
                var roomId = await MyRoomAsync(c);
                return Stream<TypingEvent>(c, RealtimeEvents.Typing, t => t.ConversationId == roomId);
            });
        Field<NonNullGraphType<NotificationType>>("notifications").Description("Your new notifications.")
            .ResolveStream(c => Stream<NotificationResponse>(c, RealtimeEvents.Notification, _ => true));
        Field<NonNullGraphType<MatchType>>("matches").Description("Your new matches and offers.")
            .ResolveStream(c => Stream<MatchEvent>(c, RealtimeEvents.Match, _ => true));
    }

    private static async Task<string> MyRoomAsync(IResolveFieldContext c)
    {
        var roomId = c.GetArgument<string>("roomId");
        return await c.Service<ConversationService>().FindAsync(c.UserId(), roomId, c.CancellationToken) is not null
            ? roomId
            : throw QueryType.RoomNotFound(roomId);
    }

    private static LiveStream<T> Stream<T>(IResolveFieldContext c, string eventName, Func<T, bool> keep) where T : class =>
        new LiveStream<T>(c.Service<ILiveEvents>(), c.UserId(), eventName, keep, c.Service<LocalLiveEvents>().SerializerOptions);

    /// <summary>The caller's events of one kind, as an observable; one event at a time, in the order they were published.</summary>
    private sealed class LiveStream<T>(ILiveEvents live, string userId, string eventName, Func<T, bool> keep, JsonSerializerOptions options) : IObservable<T?>
        where T : class
    {
        public IDisposable Subscribe(IObserver<T?> observer)
        {
            var gate = new Lock();
            return live.Listen(userId, e =>
            {
                if (e.Name != eventName)
                {
                    return;
                }
                T? item;
                try
                {
                    item = JsonSerializer.Deserialize<T>(e.Payload.Span, options);
                }
                catch (JsonException)
                {
                    return;
                }
                if (item is not null && keep(item))
                {
                    lock (gate)
                    {
                        observer.OnNext(item);
                    }
                }
            });
        }
    }
}
