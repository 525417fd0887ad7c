using GraphQL.Types;
using Pairwise.Conversations;
using Pairwise.Notifications;
using Pairwise.Swipes;

namespace Pairwise.Graph;

public sealed class RoomType : ObjectGraphType<ConversationResponse>
{
    public RoomType()
    {
        Name = "Room";
        Description = "A conversation between matched members (seed 002's room), as one of its members sees it.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("market").Resolve(c => c.Source.Market);
        Field<NonNullGraphType<IdGraphType>>("matchId").Resolve(c => c.Source.MatchId);
        Field<NonNullGraphType<StringGraphType>>("role").Description("Your side in it: buyer or seller, investor or startup…").Resolve(c => c.Source.Role);
        Field<ListingType>("listing").Description("What it is about (a product offered on, a job), when it is about one.")
            .Resolve(c => c.Source.ListingId is { } id ? c.Caller().Loaders.Listings.Load(id).Then(l => l is null ? null : new ListingNode(l)) : null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RoomMemberType>>>>("members").Resolve(c => c.Source.Members);
        Field<MessagePreviewType>("lastMessage").Resolve(c => c.Source.LastMessage);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("lastActivityAt").Resolve(c => c.Source.LastActivityAt);
        Field<NonNullGraphType<IntGraphType>>("unreadCount").Resolve(c => c.Source.UnreadCount);
        Field<IdGraphType>("readUpTo").Description("Your read marker: the last message you have read.").Resolve(c => c.Source.ReadUpTo);
        Field<NonNullGraphType<BooleanGraphType>>("closed").Description("A member blocked the other or the match ended: nobody can send.").Resolve(c => c.Source.Closed);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
    }
}

public sealed class RoomMemberType : ObjectGraphType<ConversationMemberResponse>
{
    public RoomMemberType()
    {
        Name = "RoomMember";
        Field<NonNullGraphType<IdGraphType>>("userId").Resolve(c => c.Source.UserId);
        Field<NonNullGraphType<IdGraphType>>("profileId").Resolve(c => c.Source.ProfileId);
        Field(m => m.Side);
        Field(m => m.DisplayName, nullable: true);
        Field<IdGraphType>("readUpTo").Resolve(c => c.Source.ReadUpTo);
        Field<DateTimeOffsetGraphType>("readAt").Resolve(c => c.Source.ReadAt);
    }
}

public sealed class MessagePreviewType : ObjectGraphType<MessagePreview>
{
    public MessagePreviewType()
    {
        Name = "MessagePreview";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("senderId").Resolve(c => c.Source.SenderId);
        Field(m => m.Text).Description("The first characters of the message.");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("sentAt").Resolve(c => c.Source.SentAt);
    }
}

public sealed class MessageType : ObjectGraphType<MessageResponse>
{
    public MessageType()
    {
        Name = "Message";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("roomId").Resolve(c => c.Source.ConversationId);
        Field<NonNullGraphType<IdGraphType>>("senderId").Resolve(c => c.Source.SenderId);
        Field(m => m.Text);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("sentAt").Resolve(c => c.Source.SentAt);
        Field(m => m.ClientMessageId).Description("The sender's idempotency key: a retried send returns the message already stored.");
    }
}

public sealed class ReadMarkerType : ObjectGraphType<ReadMarker>
{
    public ReadMarkerType()
    {
        Name = "ReadMarker";
        Field<NonNullGraphType<IdGraphType>>("roomId").Resolve(c => c.Source.ConversationId);
        Field<NonNullGraphType<IdGraphType>>("userId").Resolve(c => c.Source.UserId);
        Field<IdGraphType>("upToMessageId").Resolve(c => c.Source.UpToMessageId);
        Field<DateTimeOffsetGraphType>("readAt").Resolve(c => c.Source.ReadAt);
        Field<NonNullGraphType<IntGraphType>>("unreadCount").Resolve(c => c.Source.UnreadCount);
    }
}

public sealed class NotificationType : ObjectGraphType<NotificationResponse>
{
    public NotificationType()
    {
        Name = "Notification";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field(n => n.Type).Description("match, message, interested, review, …");
        Field(n => n.Body);
        Field(n => n.State).Description("unread or read (actioned ones leave the tray).");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<NonNullGraphType<JsonGraphType>>("data").Description("What it points at: conversationId, matchId, listingId…").Resolve(c => c.Source.Data);
    }
}

public sealed class NotificationConnectionType : ObjectGraphType<NotificationPage>
{
    public NotificationConnectionType()
    {
        Name = "NotificationTray";
        Description = "Your tray, newest first: a page of it and how many are unread in all.";
        Field<NonNullGraphType<ConnectionType<NotificationType, NotificationResponse>>>("items").Resolve(c => c.Source.Items);
        Field<NonNullGraphType<IntGraphType>>("unreadCount").Resolve(c => c.Source.UnreadCount);
    }
}

public sealed record NotificationPage(Page<NotificationResponse> Items, int UnreadCount);

public sealed class MatchType : ObjectGraphType<MatchEvent>
{
    public MatchType()
    {
        Name = "Match";
        Description = "A new match: two members liked each other, an offer on a product, a worker selected.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.MatchId);
        Field<NonNullGraphType<IdGraphType>>("market").Resolve(c => c.Source.Market);
        Field(m => m.Kind).Description("mutual, offer or selection.");
        Field<NonNullGraphType<IdGraphType>>("roomId").Resolve(c => c.Source.ConversationId);
        Field<IdGraphType>("listingId").Resolve(c => c.Source.ListingId);
    }
}

public sealed class TypingType : ObjectGraphType<TypingEvent>
{
    public TypingType()
    {
        Name = "Typing";
        Field<NonNullGraphType<IdGraphType>>("roomId").Resolve(c => c.Source.ConversationId);
        Field<NonNullGraphType<IdGraphType>>("userId").Resolve(c => c.Source.UserId);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(c => c.Source.At);
    }
}
