using System.Text;
using Pairwise.Markets;
using Pairwise.Notifications;
using Pairwise.Observability;
using Pairwise.Platform;
using Pairwise.Realtime;
using Pairwise.Storage;

namespace Pairwise.Conversations;

/// <summary>
/// Conversations between matched members (seed 002's rooms). A message is stored — with its
/// idempotency key and both members' entries, in one transaction — before it is acknowledged
/// and before it is pushed, so a client that missed the push finds it by listing. Each member's
/// entry carries their unread count and "read up to" marker, as Stream and Sendbird keep them:
/// sending marks the conversation read for the sender; every message from someone else counts
/// one unread until the reader's marker passes it.
/// </summary>
public sealed partial class ConversationService(
    IItemStore store, MarketCatalog markets, Notifier notifier, NotificationTray tray, RealtimePublisher realtime, Listings.Hype hype, Stats stats, TimeProvider time) : ITypingRelay
{
    public const int PreviewLength = 140;

    public const string ClosedDetail = "This conversation is closed: a member blocked the other or the match ended.";

    private const string MessagesEnd = "MSG$";

    /// <summary>The writes that open a conversation, to add to the transaction that makes the match.</summary>
    public static IEnumerable<WriteOperation> Open(ConversationRecord conversation)
    {
        var key = ConversationKeys.Conversation(conversation.Id);
        yield return new WriteOperation.Put(new Item { Pk = key.Pk, Sk = key.Sk, Version = 1, Data = ItemJson.Serialize(conversation, ConversationJson.Default.ConversationRecord) }, Condition.NotExists);
        foreach (var member in conversation.Members)
        {
            yield return new WriteOperation.Put(EntryItem(member.UserId, Fresh(conversation, member), 1), Condition.NotExists);
        }
    }

    /// <summary>The conversation if <paramref name="userId"/> is a member; null (not found) for anyone else.</summary>
    public async Task<Conversation?> FindAsync(string userId, string conversationId, CancellationToken cancellationToken)
    {
        if (!Ids.IsWellFormed(conversationId, Ids.Conversation) || await store.GetAsync(ConversationKeys.Conversation(conversationId), cancellationToken) is not { } item)
        {
            return null;
        }
        var record = ItemJson.Deserialize(item, ConversationJson.Default.ConversationRecord);
        return record.Member(userId) is null ? null : new Conversation(record, item.Version);
    }

    /// <summary>The message with this id in one of the user's conversations; null when there is none (or it is someone else's).</summary>
    public async Task<MessageRecord?> FindMessageAsync(string userId, string messageId, CancellationToken cancellationToken)
    {
        if (!Ids.IsWellFormed(messageId, Ids.Message)
            || (await store.QueryAsync(new Query { Index = ItemIndex.Gsi2, Pk = ConversationKeys.MessageLookup(messageId), Limit = 1 }, cancellationToken)).Items is not [var hit, ..])
        {
            return null;
        }
        var message = ItemJson.Deserialize(hit, ConversationJson.Default.MessageRecord);
        return await FindAsync(userId, message.ConversationId, cancellationToken) is null ? null : message;
    }

    public async Task<SendOutcome> SendAsync(string userId, string conversationId, string text, string clientMessageId, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, conversationId, cancellationToken) is not { } conversation)
        {
            return new SendOutcome(SendStatus.NotFound);
        }
        if (Refuse(text, clientMessageId, (markets.Find(conversation.Record.Market)?.Conversations ?? new()).MaxMessageLength) is { } refusal)
        {
            return new SendOutcome(SendStatus.Invalid, Field: refusal.Field, Detail: refusal.Detail);
        }
        var idempotency = ConversationKeys.ClientMessage(conversationId, userId, clientMessageId);
        if (await ReplayAsync(idempotency, cancellationToken) is { } earlier)
        {
            return new SendOutcome(SendStatus.Replayed, earlier);
        }
        if (conversation.Record.ClosedAt is not null)
        {
            return new SendOutcome(SendStatus.Closed);
        }
        var retention = TimeSpan.FromDays((markets.Find(conversation.Record.Market)?.Conversations ?? new()).MessageRetentionDays);
        var now = time.GetUtcNow();
        var message = new MessageRecord(Ids.New(Ids.Message, time), conversationId, userId, text, now, clientMessageId);
        var sender = conversation.Record.Member(userId)!;
        var preview = new MessagePreview(message.Id, userId, Preview(text), now);
        return await Optimistic.RetryAsync("The conversation", async ct =>
        {
            var messageKey = ConversationKeys.Message(conversationId, message.Id);
            List<WriteOperation> operations =
            [
                new WriteOperation.Put(new Item
                {
                    Pk = messageKey.Pk,
                    Sk = messageKey.Sk,
                    Gsi2Pk = ConversationKeys.MessageLookup(message.Id),
                    Gsi2Sk = "MSG",
                    Version = 1,
                    Data = ItemJson.Serialize(message, ConversationJson.Default.MessageRecord),
                    ExpiresAt = now + retention,
                }, Condition.NotExists),
                new WriteOperation.Put(new Item { Pk = idempotency.Pk, Sk = idempotency.Sk, Version = 1, Data = Encoding.UTF8.GetBytes(message.Id), ExpiresAt = now + retention }, Condition.NotExists),
            ];
            var notices = new List<PendingNotification?>();
            var entries = await EntriesAsync(conversation.Record, cancellationToken);
            foreach (var member in conversation.Record.Members)
            {
                var (entry, version) = entries.TryGetValue(member.UserId, out var found) ? found : (Fresh(conversation.Record, member), 0L);
                // Concurrent sends may commit out of id order; the entry keeps the latest message.
                var latest = entry.LastMessage is { } last && string.CompareOrdinal(last.Id, message.Id) > 0 ? last : preview;
                var updated = member.UserId == userId
                    ? entry with { LastMessage = latest, LastActivityAt = Later(entry.LastActivityAt, now), Unread = 0, ReadUpTo = Max(entry.ReadUpTo, message.Id), ReadAt = now }
                    : entry with { LastMessage = latest, LastActivityAt = Later(entry.LastActivityAt, now), Unread = entry.Unread + 1 };
                operations.Add(new WriteOperation.Put(EntryItem(member.UserId, updated, version + 1), version == 0 ? Condition.NotExists : Condition.VersionIs(version)));
                // One notification when a conversation turns unread, not one per message.
                if (member.UserId != userId && entry.Unread == 0
                    && await notifier.PrepareAsync(member.UserId, NotificationTypes.Message, $"New message from {sender.DisplayName ?? "your match"}.",
                        new Dictionary<string, string> { ["conversationId"] = conversationId, ["messageId"] = message.Id }, cancellationToken) is { } notice)
                {
                    notices.Add(notice);
                    if (notice.Write is { } write)
                    {
                        operations.Add(write);
                    }
                }
            }
            var result = await store.TransactAsync(operations, cancellationToken);
            if (result.Committed)
            {
                Telemetry.Messages.Add(1, new KeyValuePair<string, object?>("market", conversation.Record.Market));
                await stats.CountAsync(conversation.Record.Market, "messages", cancellationToken);
                await realtime.SendAsync(UserIds(conversation.Record), RealtimeEvents.Message, MessageResponse.From(message), cancellationToken);
                await notifier.DeliverAsync(notices, cancellationToken);
                if (conversation.Record.ListingId is { } listingId)
                {
                    await hype.RecordAsync(listingId, Listings.HypeSignal.Message, cancellationToken);
                }
                return Attempt.Done<SendOutcome>(new SendOutcome(SendStatus.Sent, message));
            }
            if (result.FailedOperation == 1 && await ReplayAsync(idempotency, cancellationToken) is { } raced)
            {
                return Attempt.Done<SendOutcome>(new SendOutcome(SendStatus.Replayed, raced));
            }
            return Attempt.Conflict<SendOutcome>();
        }, cancellationToken);
    }

    /// <summary>What is wrong with a message, by field; null when it may be sent.</summary>
    private static (string Field, string Detail)? Refuse(string? text, string? clientMessageId, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ("text", "A message needs some text.");
        }
        if (text.Length > maxLength)
        {
            return ("text", $"At most {maxLength} characters in this market.");
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return ("text", "Must not contain NUL characters.");
        }
        if (clientMessageId is not { Length: > 0 and <= 64 } || !clientMessageId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
        {
            return ("clientMessageId", "1–64 letters, digits and . _ : - (a new one per message; a retry reuses it).");
        }
        return null;
    }

    /// <summary>
    /// Moves the caller's marker forward to <paramref name="upToMessageId"/> (or the latest
    /// message) and recounts what is unread after it; a marker never moves back.
    /// </summary>
    public async Task<ReadMarker> MarkReadAsync(string userId, Conversation conversation, string? upToMessageId, CancellationToken cancellationToken)
    {
        var id = conversation.Record.Id;
        upToMessageId ??= (await ListMessagesAsync(id, 1, null, null, cancellationToken)).Items is [var latest, ..] ? latest.Id : null;
        var member = conversation.Record.Member(userId)!;
        return await Optimistic.RetryAsync("The read marker", async ct =>
        {
            var key = ConversationKeys.Member(userId, id);
            var item = await store.GetAsync(key, cancellationToken);
            var entry = item is null ? Fresh(conversation.Record, member) : ItemJson.Deserialize(item, ConversationJson.Default.MemberEntry);
            if (upToMessageId is null || (entry.ReadUpTo is { } current && string.CompareOrdinal(current, upToMessageId) >= 0))
            {
                return Attempt.Done<ReadMarker>(Marker(userId, entry));
            }
            var unread = 0;
            var query = new Query { Pk = ConversationKeys.Partition(id), SortKey = SortKeyCondition.Between(ConversationKeys.MessageSk(upToMessageId), MessagesEnd), Limit = 1000 };
            await foreach (var later in store.QueryAllAsync(query, cancellationToken))
            {
                var message = ItemJson.Deserialize(later, ConversationJson.Default.MessageRecord);
                unread += message.Id != upToMessageId && message.SenderId != userId ? 1 : 0;
            }
            var updated = entry with { ReadUpTo = upToMessageId, ReadAt = time.GetUtcNow(), Unread = unread };
            var version = item?.Version ?? 0;
            if (await store.PutAsync(EntryItem(userId, updated, version + 1), item is null ? Condition.NotExists : Condition.VersionIs(version), cancellationToken))
            {
                if (unread == 0 && entry.Unread > 0)
                {
                    // Read to the end: the "new message" notification has been answered by reading.
                    await tray.ReadAboutAsync(userId, NotificationTypes.Message, "conversationId", id, cancellationToken);
                }
                var marker = Marker(userId, updated);
                await realtime.SendAsync(UserIds(conversation.Record), RealtimeEvents.Read, marker, cancellationToken);
                return Attempt.Done<ReadMarker>(marker);
            }
            return Attempt.Conflict<ReadMarker>();
        }, cancellationToken);
    }

    /// <summary>My conversations by last activity, newest first, optionally only those where I take <paramref name="role"/>.</summary>
    public async Task<(IReadOnlyList<ConversationView> Items, string? Cursor)> ListAsync(string userId, string? role, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var query = role is null
            ? new Query { Index = ItemIndex.Gsi1, Pk = ConversationKeys.Inbox(userId), Descending = true, Limit = limit, Cursor = cursor }
            : new Query { Index = ItemIndex.Gsi2, Pk = ConversationKeys.InboxForRole(userId, role), Descending = true, Limit = limit, Cursor = cursor };
        var page = await store.QueryAsync(query, cancellationToken);
        var mine = page.Items.Select(i => ItemJson.Deserialize(i, ConversationJson.Default.MemberEntry)).ToList();
        var records = new Dictionary<string, ConversationRecord>(StringComparer.Ordinal);
        foreach (var chunk in mine.Chunk(100))
        {
            foreach (var item in await store.GetManyAsync([.. chunk.Select(e => ConversationKeys.Conversation(e.ConversationId))], cancellationToken))
            {
                var record = ItemJson.Deserialize(item, ConversationJson.Default.ConversationRecord);
                records[record.Id] = record;
            }
        }
        var markers = await MarkersAsync([.. records.Values], cancellationToken);
        var views = mine.Where(e => records.ContainsKey(e.ConversationId))
            .Select(e => new ConversationView(records[e.ConversationId], e, markers[e.ConversationId])).ToList();
        return (views, page.Cursor);
    }

    public async Task<ConversationView> ViewAsync(string userId, Conversation conversation, CancellationToken cancellationToken)
    {
        var record = conversation.Record;
        var entries = await EntriesAsync(record, cancellationToken);
        var markers = record.Members.Select(m => entries.TryGetValue(m.UserId, out var e) ? Marker(m.UserId, e.Entry) : new ReadMarker(record.Id, m.UserId, null, null, 0)).ToList();
        var mine = entries.TryGetValue(userId, out var own) ? own.Entry : Fresh(record, record.Member(userId)!);
        return new ConversationView(record, mine, markers);
    }

    /// <summary>Tells the other members that <paramref name="userId"/> is typing; false when the conversation is not theirs or is closed.</summary>
    public async Task<bool> TypingAsync(string userId, string conversationId, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, conversationId, cancellationToken) is not { Record.ClosedAt: null } conversation)
        {
            return false;
        }
        var others = conversation.Record.Members.Where(m => m.UserId != userId).Select(m => m.UserId).ToList();
        await realtime.SendAsync(others, RealtimeEvents.Typing, new TypingEvent(conversationId, userId, time.GetUtcNow()), cancellationToken);
        return true;
    }

    /// <summary>Closes a conversation for good (a block or an ended match): nobody can send; history stays readable.</summary>
    public async Task CloseAsync(string conversationId, string reason, CancellationToken cancellationToken)
    {
        await Optimistic.RetryAsync("The conversation", async ct =>
        {
            if (await store.GetAsync(ConversationKeys.Conversation(conversationId), cancellationToken) is not { } item)
            {
                return Attempt.Done(true);
            }
            var record = ItemJson.Deserialize(item, ConversationJson.Default.ConversationRecord);
            if (record.ClosedAt is not null)
            {
                return Attempt.Done(true);
            }
            var closed = record with { ClosedAt = time.GetUtcNow(), ClosedReason = reason };
            List<WriteOperation> operations = [new WriteOperation.Put(item with { Data = ItemJson.Serialize(closed, ConversationJson.Default.ConversationRecord), Version = item.Version + 1 }, Condition.VersionIs(item.Version))];
            foreach (var (memberId, (entry, version)) in await EntriesAsync(record, cancellationToken))
            {
                operations.Add(new WriteOperation.Put(EntryItem(memberId, entry with { Closed = true }, version + 1), Condition.VersionIs(version)));
            }
            if ((await store.TransactAsync(operations, cancellationToken)).Committed)
            {
                await realtime.SendAsync(UserIds(record), RealtimeEvents.Closed, new ClosedEvent(conversationId, reason, closed.ClosedAt.Value), cancellationToken);
                return Attempt.Done(true);
            }
            return Attempt.Conflict<bool>();
        }, cancellationToken);
    }

    /// <summary>The ids of the open conversations <paramref name="userId"/> shares with <paramref name="otherUserId"/>.</summary>
    public async Task<IReadOnlyList<string>> SharedAsync(string userId, string otherUserId, CancellationToken cancellationToken)
    {
        var shared = new List<string>();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = ConversationKeys.Members(userId), Limit = 1000 }, cancellationToken))
        {
            var entry = ItemJson.Deserialize(item, ConversationJson.Default.MemberEntry);
            if (!entry.Closed && entry.Others.Contains(otherUserId))
            {
                shared.Add(entry.ConversationId);
            }
        }
        return shared;
    }

    private async Task<MessageRecord?> ReplayAsync(ItemKey idempotency, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(idempotency, cancellationToken) is not { } claim)
        {
            return null;
        }
        var conversationId = idempotency.Pk["CONV#".Length..];
        var item = await store.GetAsync(ConversationKeys.Message(conversationId, Encoding.UTF8.GetString(claim.Data)), cancellationToken);
        return item is null ? null : ItemJson.Deserialize(item, ConversationJson.Default.MessageRecord);
    }

    private async Task<Dictionary<string, (MemberEntry Entry, long Version)>> EntriesAsync(ConversationRecord conversation, CancellationToken cancellationToken)
    {
        var items = await store.GetManyAsync([.. conversation.Members.Select(m => ConversationKeys.Member(m.UserId, conversation.Id))], cancellationToken);
        return items.ToDictionary(i => i.Pk["USERCONV#".Length..], i => (ItemJson.Deserialize(i, ConversationJson.Default.MemberEntry), i.Version), StringComparer.Ordinal);
    }

    private async Task<Dictionary<string, IReadOnlyList<ReadMarker>>> MarkersAsync(IReadOnlyList<ConversationRecord> conversations, CancellationToken cancellationToken)
    {
        var keys = conversations.SelectMany(c => c.Members.Select(m => ConversationKeys.Member(m.UserId, c.Id))).ToList();
        var entries = new Dictionary<ItemKey, MemberEntry>();
        foreach (var chunk in keys.Chunk(100))
        {
            foreach (var item in await store.GetManyAsync(chunk, cancellationToken))
            {
                entries[item.Key] = ItemJson.Deserialize(item, ConversationJson.Default.MemberEntry);
            }
        }
        return conversations.ToDictionary(c => c.Id, c => (IReadOnlyList<ReadMarker>)[.. c.Members.Select(m =>
            entries.TryGetValue(ConversationKeys.Member(m.UserId, c.Id), out var entry) ? Marker(m.UserId, entry) : new ReadMarker(c.Id, m.UserId, null, null, 0))], StringComparer.Ordinal);
    }

    private static ReadMarker Marker(string userId, MemberEntry entry) => new(entry.ConversationId, userId, entry.ReadUpTo, entry.ReadAt, entry.Unread);

    private static MemberEntry Fresh(ConversationRecord conversation, ConversationMember member) => new()
    {
        ConversationId = conversation.Id,
        Market = conversation.Market,
        Side = member.Side,
        LastActivityAt = conversation.CreatedAt,
        Others = [.. conversation.Members.Where(m => m.UserId != member.UserId).Select(m => m.UserId)],
        Closed = conversation.ClosedAt is not null,
    };

    private static Item EntryItem(string userId, MemberEntry entry, long version)
    {
        var key = ConversationKeys.Member(userId, entry.ConversationId);
        var activity = ConversationKeys.ActivitySk(entry.LastMessage?.Id ?? entry.ConversationId, entry.ConversationId);
        return new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Gsi1Pk = ConversationKeys.Inbox(userId),
            Gsi1Sk = activity,
            Gsi2Pk = ConversationKeys.InboxForRole(userId, entry.Side),
            Gsi2Sk = activity,
            Version = version,
            Data = ItemJson.Serialize(entry, ConversationJson.Default.MemberEntry),
        };
    }

    private static List<string> UserIds(ConversationRecord conversation) => [.. conversation.Members.Select(m => m.UserId).Distinct()];

    private static string Preview(string text) => text.Length <= PreviewLength ? text : string.Concat(text.AsSpan(0, PreviewLength - 1), "…");

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string Max(string? a, string b) => a is not null && string.CompareOrdinal(a, b) > 0 ? a : b;
}
