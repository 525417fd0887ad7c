using System.Text;
using Pairwise.Platform;

namespace Pairwise.Conversations;

public enum SendStatus
{
    Sent,
    Replayed,
    NotFound,
    Closed,
    Invalid,
}

public sealed record SendOutcome(SendStatus Status, MessageRecord? Message = null, string? Field = null, string? Detail = null);

public sealed record Conversation(ConversationRecord Record, long Version);

public sealed record MessagePage(IReadOnlyList<MessageRecord> Items, string? NextCursor);

/// <summary>A member's "read up to" marker as the other members see it.</summary>
public sealed record ReadMarker(string ConversationId, string UserId, string? UpToMessageId, DateTimeOffset? ReadAt, int UnreadCount);

/// <summary>What a member sees of a conversation: the record, their own entry, and everyone's read markers.</summary>
public sealed record ConversationView(ConversationRecord Record, MemberEntry Mine, IReadOnlyList<ReadMarker> Markers);

public sealed record TypingEvent(string ConversationId, string UserId, DateTimeOffset At);

/// <summary>The live event when a conversation closes; <paramref name="Reason"/> is "blocked", "unmatched" or "account deleted".</summary>
public sealed record ClosedEvent(string ConversationId, string Reason, DateTimeOffset At);

/// <summary>Message cursors: the oldest id returned and the lower bound of the listing, opaque to clients.</summary>
public static class MessageCursor
{
    public static string Encode(string before, string? after) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{before}|{after}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (string Before, string? After)? Decode(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|');
            if (parts.Length == 2 && Ids.IsWellFormed(parts[0], Ids.Message) && (parts[1].Length == 0 || Ids.IsWellFormed(parts[1], Ids.Message)))
            {
                return (parts[0], parts[1].Length == 0 ? null : parts[1]);
            }
        }
        catch (FormatException)
        {
        }
        return null;
    }
}
