using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Conversations;

/// <summary>Reading a conversation's messages: pages, catch-up, the page around one message.</summary>
public sealed partial class ConversationService
{
    /// <summary>
    /// True when every one of <paramref name="userIds"/> wrote in the conversation (the newest 2,000
    /// messages are enough: a longer one-sided conversation is not an exchange anyway).
    /// </summary>
    public async Task<bool> AllWroteAsync(string conversationId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var waiting = new HashSet<string>(userIds, StringComparer.Ordinal);
        string? before = null;
        for (var page = 0; page < 20 && waiting.Count > 0; page++)
        {
            var messages = await ListMessagesAsync(conversationId, 100, before, null, cancellationToken);
            foreach (var message in messages.Items)
            {
                waiting.Remove(message.SenderId);
            }
            if (messages.NextCursor is null || messages.Items.Count == 0)
            {
                break;
            }
            before = messages.Items[^1].Id;
        }
        return waiting.Count == 0;
    }

    /// <summary>
    /// Messages newest first, between the exclusive bounds <paramref name="before"/> and
    /// <paramref name="after"/> (message ids), at most <paramref name="limit"/>; the returned
    /// cursor continues below the last one, within the same <paramref name="after"/>.
    /// </summary>
    public async Task<MessagePage> ListMessagesAsync(string conversationId, int limit, string? before, string? after, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return new MessagePage([], null);
        }
        var low = after is null ? ConversationKeys.MessagePrefix : ConversationKeys.MessageSk(after);
        var high = before is null ? MessagesEnd : ConversationKeys.MessageSk(before);
        var items = new List<MessageRecord>(limit + 1);
        var query = new Query { Pk = ConversationKeys.Partition(conversationId), SortKey = SortKeyCondition.Between(low, high), Descending = true, Limit = Math.Min(1000, limit + 3) };
        await foreach (var item in store.QueryAllAsync(query, cancellationToken))
        {
            var message = ItemJson.Deserialize(item, ConversationJson.Default.MessageRecord);
            if (message.Id != before && message.Id != after)
            {
                items.Add(message);
                if (items.Count > limit)
                {
                    break;
                }
            }
        }
        var more = items.Count > limit;
        if (more)
        {
            items.RemoveAt(limit);
        }
        return new MessagePage(items, more ? MessageCursor.Encode(items[^1].Id, after) : null);
    }

    /// <summary>The message and up to <paramref name="limit"/> − 1 around it: half newer, the rest older; newest first.</summary>
    public async Task<MessagePage?> ListAroundAsync(string conversationId, string messageId, int limit, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(ConversationKeys.Message(conversationId, messageId), cancellationToken) is not { } anchor)
        {
            return null;
        }
        var newer = new List<MessageRecord>();
        var query = new Query { Pk = ConversationKeys.Partition(conversationId), SortKey = SortKeyCondition.GreaterThan(ConversationKeys.MessageSk(messageId)), Limit = Math.Max(1, (limit - 1) / 2) };
        foreach (var item in (await store.QueryAsync(query, cancellationToken)).Items)
        {
            newer.Add(ItemJson.Deserialize(item, ConversationJson.Default.MessageRecord));
        }
        newer.Reverse();
        var olderWanted = Math.Max(0, limit - 1 - newer.Count);
        var older = await ListMessagesAsync(conversationId, olderWanted, messageId, null, cancellationToken);
        List<MessageRecord> items = [.. newer, ItemJson.Deserialize(anchor, ConversationJson.Default.MessageRecord), .. older.Items];
        // With no room left for older messages, the cursor simply continues below the oldest one returned.
        var next = olderWanted == 0 ? MessageCursor.Encode(items[^1].Id, null) : older.NextCursor;
        return new MessagePage(items, next);
    }

    public async Task<bool> MessageExistsAsync(string conversationId, string messageId, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(messageId, Ids.Message) && await store.GetAsync(ConversationKeys.Message(conversationId, messageId), cancellationToken) is not null;
}
