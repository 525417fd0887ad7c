using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Notifications;

/// <summary>A user's tray: newest first, unread and read ones (actioned ones leave it), and the unread count.</summary>
public sealed class NotificationTray(IItemStore store)
{
    /// <summary>Up to <paramref name="limit"/> notifications still in the tray, the cursor of the rest, and the unread count.</summary>
    public async Task<NotificationList> ListAsync(string userId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var items = new List<NotificationResponse>();
        var next = cursor;
        do
        {
            var page = await store.QueryAsync(new Query { Pk = NotificationKeys.Tray(userId), Descending = true, Limit = limit - items.Count, Cursor = next }, cancellationToken);
            items.AddRange(page.Items.Select(Read).Where(n => n.State != NotificationStates.Actioned).Select(NotificationResponse.From));
            next = page.Cursor;
        }
        while (next is not null && items.Count < limit);
        return new NotificationList(items, await UnreadAsync(userId, cancellationToken), next);
    }

    /// <summary>Moves a notification forward (unread → read → actioned, never back); null when the user has no such notification.</summary>
    public Task<NotificationRecord?> MoveAsync(string userId, string id, string state, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync("The notification", async ct =>
        {
            if (!Ids.IsWellFormed(id, Ids.Notification) || await store.GetAsync(NotificationKeys.Notification(userId, id), ct) is not { } item)
            {
                return Attempt.Done<NotificationRecord?>(null);
            }
            var record = Read(item);
            if (record.State == NotificationStates.Actioned || record.State == state)
            {
                return Attempt.Done<NotificationRecord?>(record);
            }
            var moved = record with { State = state };
            return await store.PutAsync(item with { Data = ItemJson.Serialize(moved, NotificationJson.Default.NotificationRecord), Version = item.Version + 1 }, Condition.VersionIs(item.Version), ct)
                ? Attempt.Done<NotificationRecord?>(moved)
                : Attempt.Conflict<NotificationRecord?>();
        }, cancellationToken);

    public async Task ReadAllAsync(string userId, CancellationToken cancellationToken)
    {
        await foreach (var item in Tray(userId, cancellationToken))
        {
            var record = Read(item);
            if (record.State == NotificationStates.Unread)
            {
                // A concurrent change wins; this one is then moot.
                await store.PutAsync(item with { Data = ItemJson.Serialize(record with { State = NotificationStates.Read }, NotificationJson.Default.NotificationRecord), Version = item.Version + 1 },
                    Condition.VersionIs(item.Version), cancellationToken);
            }
        }
    }

    /// <summary>Marks read the user's unread notifications of a type about one thing (the "new message" of a conversation just read).</summary>
    public async Task ReadAboutAsync(string userId, string type, string key, string value, CancellationToken cancellationToken)
    {
        await foreach (var item in Tray(userId, cancellationToken))
        {
            var record = Read(item);
            if (record.State == NotificationStates.Unread && record.Type == type && record.Data.TryGetValue(key, out var about) && about == value)
            {
                // A concurrent change wins; this one is then moot.
                await store.PutAsync(item with { Data = ItemJson.Serialize(record with { State = NotificationStates.Read }, NotificationJson.Default.NotificationRecord), Version = item.Version + 1 },
                    Condition.VersionIs(item.Version), cancellationToken);
            }
        }
    }

    /// <summary>Counted from the tray itself (30 days of notifications), so it can never drift.</summary>
    private async Task<int> UnreadAsync(string userId, CancellationToken cancellationToken)
    {
        var unread = 0;
        await foreach (var item in Tray(userId, cancellationToken))
        {
            unread += Read(item).State == NotificationStates.Unread ? 1 : 0;
        }
        return unread;
    }

    private IAsyncEnumerable<Item> Tray(string userId, CancellationToken cancellationToken) =>
        store.QueryAllAsync(new Query { Pk = NotificationKeys.Tray(userId), Limit = 1000 }, cancellationToken);

    private static NotificationRecord Read(Item item) => ItemJson.Deserialize(item, NotificationJson.Default.NotificationRecord);
}
