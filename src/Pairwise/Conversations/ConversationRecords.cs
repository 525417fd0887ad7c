using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Conversations;

/// <summary>
/// Every key the conversations feature writes (see docs/keys.md). A conversation's partition
/// holds, in sort-key order: <c>CLIENTMSG#…</c> (send idempotency), <c>CONV</c> (the
/// conversation) and <c>MSG#…</c> (messages, time-ordered), so a range above <c>MSG#</c> is
/// messages only.
/// </summary>
public static class ConversationKeys
{
    public const string MessagePrefix = "MSG#";

    public static ItemKey Conversation(string conversationId) => new($"CONV#{conversationId}", "CONV");
    public static string Partition(string conversationId) => $"CONV#{conversationId}";
    public static ItemKey Message(string conversationId, string messageId) => new($"CONV#{conversationId}", MessagePrefix + messageId);
    public static string MessageSk(string messageId) => MessagePrefix + messageId;

    /// <summary>A sender's idempotency key: a retried send finds the message it already stored.</summary>
    public static ItemKey ClientMessage(string conversationId, string senderId, string clientMessageId) =>
        new($"CONV#{conversationId}", $"CLIENTMSG#{senderId}#{clientMessageId}");

    /// <summary>GSI2 of a message: finds it by id alone (reports name a message, not its conversation).</summary>
    public static string MessageLookup(string messageId) => $"MESSAGE#{messageId}";

    /// <summary>A member's entry for a conversation: their unread count, read marker and the last message.</summary>
    public static ItemKey Member(string userId, string conversationId) => new($"USERCONV#{userId}", conversationId);
    public static string Members(string userId) => $"USERCONV#{userId}";

    /// <summary>GSI1: a member's conversations by last activity; GSI2: the same, for one role (side).</summary>
    public static string Inbox(string userId) => $"INBOX#{userId}";
    public static string InboxForRole(string userId, string side) => $"INBOX#{userId}#{side}";

    /// <summary>
    /// Orders by the newest message, or the conversation itself before any: both ids come from one
    /// time-ordered generator, so their digits compare across types (and strictly on one node).
    /// </summary>
    public static string ActivitySk(string latestId, string conversationId) => $"{latestId[(latestId.IndexOf('_', StringComparison.Ordinal) + 1)..]}#{conversationId}";
}

/// <summary>Who takes part, as what: the user, their profile in the market and its side (the role).</summary>
public sealed record ConversationMember(string UserId, string ProfileId, string Side, string? DisplayName);

public sealed record ConversationRecord
{
    public required string Id { get; init; }
    public required string Market { get; init; }
    public required string MatchId { get; init; }
    public string? ListingId { get; init; }
    public required IReadOnlyList<ConversationMember> Members { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set when a member blocked the other or the match ended: nobody can send any more.</summary>
    public DateTimeOffset? ClosedAt { get; init; }
    public string? ClosedReason { get; init; }

    public ConversationMember? Member(string userId) => Members.FirstOrDefault(m => m.UserId == userId);
}

public sealed record MessageRecord(string Id, string ConversationId, string SenderId, string Text, DateTimeOffset SentAt, string ClientMessageId);

public sealed record MessagePreview(string Id, string SenderId, string Text, DateTimeOffset SentAt);

/// <summary>A member's own view of a conversation, kept in step by every send and read.</summary>
public sealed record MemberEntry
{
    public required string ConversationId { get; init; }
    public required string Market { get; init; }
    public required string Side { get; init; }

    /// <summary>The other members' user ids (to find what two users share, e.g. on a block).</summary>
    public IReadOnlyList<string> Others { get; init; } = [];
    public required DateTimeOffset LastActivityAt { get; init; }
    public MessagePreview? LastMessage { get; init; }
    public int Unread { get; init; }
    public string? ReadUpTo { get; init; }
    public DateTimeOffset? ReadAt { get; init; }
    public bool Closed { get; init; }
}

[JsonSerializable(typeof(ConversationRecord))]
[JsonSerializable(typeof(MessageRecord))]
[JsonSerializable(typeof(MemberEntry))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class ConversationJson : JsonSerializerContext;
