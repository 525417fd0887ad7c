using Pairwise.Accounts;
using Pairwise.Storage;

namespace Pairwise.Conversations;

/// <summary>
/// A deleted account's conversations: the other member keeps the conversation, closed, with the
/// deleted person shown as "Deleted account" and each of their messages replaced by a notice of
/// the deletion (so replies still make sense); the deleted person's own entries and send claims go.
/// </summary>
public sealed class ConversationPersonalData(IItemStore store, ConversationService conversations) : IPersonalData
{
    public const string DeletedName = "Deleted account";
    public const string DeletedText = "This message was deleted with its author's account.";
    public const string DeletedUser = "usr_deleted";

    /// <summary>The messages the person sent (the other side's messages are the other side's).</summary>
    public async Task ExportAsync(string userId, PersonalArchive archive, CancellationToken cancellationToken)
    {
        var sent = new List<MessageRecord>();
        await foreach (var entry in store.QueryAllAsync(new Query { Pk = ConversationKeys.Members(userId), Limit = 1000 }, cancellationToken))
        {
            var query = new Query { Pk = ConversationKeys.Partition(entry.Sk), SortKey = SortKeyCondition.BeginsWith(ConversationKeys.MessagePrefix), Limit = 1000 };
            await foreach (var item in store.QueryAllAsync(query, cancellationToken))
            {
                if (ItemJson.Deserialize(item, ConversationJson.Default.MessageRecord) is { } message && message.SenderId == userId)
                {
                    sent.Add(message);
                }
            }
        }
        archive.Add("messagesSent", PersonalArchive.Array(sent, ConversationJson.Default.MessageRecord));
    }

    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        var entries = new List<string>();
        await foreach (var entry in store.QueryAllAsync(new Query { Pk = ConversationKeys.Members(userId), Limit = 1000 }, cancellationToken))
        {
            entries.Add(entry.Sk);
        }
        foreach (var conversationId in entries)
        {
            await conversations.CloseAsync(conversationId, "account deleted", cancellationToken);
            await foreach (var item in store.QueryAllAsync(new Query { Pk = ConversationKeys.Partition(conversationId), Limit = 1000 }, cancellationToken))
            {
                if (item.Sk.StartsWith(ConversationKeys.MessagePrefix, StringComparison.Ordinal)
                    && ItemJson.Deserialize(item, ConversationJson.Default.MessageRecord) is { } message && message.SenderId == userId)
                {
                    var tombstone = message with { SenderId = DeletedUser, Text = DeletedText, ClientMessageId = "" };
                    await store.PutAsync(item with { Data = ItemJson.Serialize(tombstone, ConversationJson.Default.MessageRecord), Version = item.Version + 1 }, Condition.None, cancellationToken);
                }
                else if (item.Sk.StartsWith($"CLIENTMSG#{userId}#", StringComparison.Ordinal))
                {
                    await store.DeleteAsync(item.Key, Condition.None, cancellationToken);
                }
                else if (item.Sk == ConversationKeys.Conversation(conversationId).Sk && ItemJson.Deserialize(item, ConversationJson.Default.ConversationRecord) is { } record)
                {
                    var anonymous = record with
                    {
                        Members = [.. record.Members.Select(m => m.UserId == userId ? m with { UserId = DeletedUser, DisplayName = DeletedName } : m)],
                    };
                    await store.PutAsync(item with { Data = ItemJson.Serialize(anonymous, ConversationJson.Default.ConversationRecord), Version = item.Version + 1 }, Condition.None, cancellationToken);
                    foreach (var other in record.Members.Where(m => m.UserId != userId))
                    {
                        await AnonymiseEntryAsync(other.UserId, conversationId, userId, cancellationToken);
                    }
                }
            }
        }
        await store.DeletePartitionAsync(ConversationKeys.Members(userId), cancellationToken);
    }

    /// <summary>The other member's entry: the deleted person is no longer named in it, nor quoted in its preview.</summary>
    private async Task AnonymiseEntryAsync(string memberId, string conversationId, string deletedId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(ConversationKeys.Member(memberId, conversationId), cancellationToken) is not { } item)
        {
            return;
        }
        var entry = ItemJson.Deserialize(item, ConversationJson.Default.MemberEntry);
        var anonymous = entry with
        {
            Others = [.. entry.Others.Select(o => o == deletedId ? DeletedUser : o)],
            LastMessage = entry.LastMessage is { } last && last.SenderId == deletedId ? last with { SenderId = DeletedUser, Text = DeletedText } : entry.LastMessage,
        };
        await store.PutAsync(item with { Data = ItemJson.Serialize(anonymous, ConversationJson.Default.MemberEntry), Version = item.Version + 1 }, Condition.None, cancellationToken);
    }
}
