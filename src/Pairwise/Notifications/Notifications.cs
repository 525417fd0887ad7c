using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Notifications;

/// <summary>Every key the notifications feature writes (see docs/keys.md).</summary>
public static class NotificationKeys
{
    /// <summary>A user's notification; ids are time-ordered, so the partition reads newest first descending.</summary>
    public static ItemKey Notification(string userId, string notificationId) => new($"NOTIF#{userId}", notificationId);

    public static string Tray(string userId) => $"NOTIF#{userId}";
}

public static class NotificationTypes
{
    public const string Message = "message";
    public const string Match = "match";
    public const string Interested = "interested";
    public const string Marketing = "marketing";
    public const string Account = "account";
    public const string Review = "review";
    public const string Job = "job";
}

public static class NotificationStates
{
    public const string Unread = "unread";
    public const string Read = "read";
    public const string Actioned = "actioned";
}

public sealed record NotificationRecord(
    string Id, string Type, string Body, string State, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Data);

[JsonSerializable(typeof(NotificationRecord))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class NotificationJson : JsonSerializerContext;

/// <summary>A notification decided but not yet delivered: its write joins the transaction of what caused it; push and e-mail follow the commit.</summary>
public sealed record PendingNotification(string UserId, NotificationRecord Record, WriteOperation? Write, bool Email);

/// <summary>
/// Seed 000's notifications: stored per user for 30 days, unread → read → actioned (actioned ones
/// leave the tray). Backend events write them in the same transaction as the event itself, then
/// <see cref="DeliverAsync"/> pushes them live and e-mails them, as each user's preferences say.
/// </summary>
public sealed partial class Notifier(
    IItemStore store, Accounts.UserStore users, Realtime.RealtimePublisher realtime, Delivery.IEmailSender email, TimeProvider time, ILogger<Notifier> logger)
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>The notification for <paramref name="userId"/> as their preferences allow, or null when they want it neither in the app nor by e-mail.</summary>
    public async Task<PendingNotification?> PrepareAsync(
        string userId, string type, string body, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
    {
        var channels = (await NotificationPreferences.GetAsync(store, userId, cancellationToken)).For(type);
        if (!channels.InApp && !channels.Email)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var record = new NotificationRecord(Ids.New(Ids.Notification, time), type, body, NotificationStates.Unread, now, data);
        var key = NotificationKeys.Notification(userId, record.Id);
        var write = channels.InApp
            ? new WriteOperation.Put(new Item
            {
                Pk = key.Pk,
                Sk = key.Sk,
                Data = ItemJson.Serialize(record, NotificationJson.Default.NotificationRecord),
                Version = 1,
                ExpiresAt = now + Retention,
            }, Condition.NotExists)
            : null;
        return new PendingNotification(userId, record, write, channels.Email);
    }

    /// <summary>Stores and delivers one notification on its own (when nothing else is written with it).</summary>
    public async Task NotifyAsync(string userId, string type, string body, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
    {
        if (await PrepareAsync(userId, type, body, data, cancellationToken) is not { } pending)
        {
            return;
        }
        if (pending.Write is { } write)
        {
            await store.TransactAsync([write], cancellationToken);
        }
        await DeliverAsync([pending], cancellationToken);
    }

    /// <summary>After the commit: the live event to the user's connections and the e-mail, if wanted.</summary>
    public async Task DeliverAsync(IEnumerable<PendingNotification?> notifications, CancellationToken cancellationToken)
    {
        foreach (var pending in notifications)
        {
            if (pending is null)
            {
                continue;
            }
            if (pending.Write is not null)
            {
                await realtime.SendAsync([pending.UserId], Realtime.RealtimeEvents.Notification, NotificationResponse.From(pending.Record), cancellationToken);
            }
            if (pending.Email)
            {
                await EmailAsync(pending, cancellationToken);
            }
        }
    }

    private async Task EmailAsync(PendingNotification pending, CancellationToken cancellationToken)
    {
        try
        {
            if (await users.FindAsync(pending.UserId, cancellationToken) is not { } user)
            {
                return;
            }
            // Only to an address its owner proved, and never to a disabled account.
            if (user.EmailVerified && !user.Disabled)
            {
                await email.SendAsync(Delivery.EmailTemplates.Notification(user.Email, pending.Record.Body), cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The notification is in the tray already; the e-mail is a courtesy copy.
            LogEmailFailed(logger, e, pending.Record.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "E-mailing notification {NotificationId} failed")]
    private static partial void LogEmailFailed(ILogger logger, Exception exception, string notificationId);
}

public static class NotificationEndpoints
{
    public static RouteGroupBuilder MapNotifications(this RouteGroupBuilder v1)
    {
        var notifications = v1.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("/", List).WithSummary("My notification tray")
            .WithDescription("Newest first, unread and read ones (actioned ones leave the tray), kept 30 days, with the unread count.");
        notifications.MapPost("/{id}/read", (string id, ClaimsPrincipal principal, IItemStore store, CancellationToken cancellationToken) =>
            MoveAsync(id, NotificationStates.Read, principal, store, cancellationToken)).WithSummary("Mark a notification read");
        notifications.MapPost("/{id}/actioned", (string id, ClaimsPrincipal principal, IItemStore store, CancellationToken cancellationToken) =>
            MoveAsync(id, NotificationStates.Actioned, principal, store, cancellationToken)).WithSummary("Mark a notification actioned")
            .WithDescription("It leaves the tray.");
        notifications.MapPost("/read-all", ReadAll).WithSummary("Mark every notification read");
        return v1;
    }

    public static async Task<Results<Ok<NotificationList>, ValidationProblem>> List(
        ClaimsPrincipal principal, IItemStore store, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100)
        {
            return Problems.Invalid("limit", "Must be 1–100.");
        }
        var userId = principal.UserId();
        var wanted = limit ?? 10;
        var items = new List<NotificationResponse>();
        string? next = cursor;
        do
        {
            var page = await store.QueryAsync(new Query { Pk = NotificationKeys.Tray(userId), Descending = true, Limit = wanted - items.Count, Cursor = next }, cancellationToken);
            items.AddRange(page.Items.Select(Read).Where(n => n.State != NotificationStates.Actioned).Select(NotificationResponse.From));
            next = page.Cursor;
        }
        while (next is not null && items.Count < wanted);
        return TypedResults.Ok(new NotificationList(items, await UnreadAsync(store, userId, cancellationToken), next));
    }

    private static async Task<Results<Ok<NotificationResponse>, ProblemHttpResult>> MoveAsync(
        string id, string state, ClaimsPrincipal principal, IItemStore store, CancellationToken cancellationToken)
    {
        var key = NotificationKeys.Notification(principal.UserId(), id);
        return await Optimistic.RetryAsync("The notification", async ct =>
        {
            if (!Ids.IsWellFormed(id, Ids.Notification) || await store.GetAsync(key, cancellationToken) is not { } item)
            {
                return Attempt.Done<Results<Ok<NotificationResponse>, ProblemHttpResult>>(Problems.NotFound($"You have no notification '{id}'."));
            }
            var record = Read(item);
            // States only move forward: actioned stays actioned.
            if (record.State == NotificationStates.Actioned || record.State == state)
            {
                return Attempt.Done<Results<Ok<NotificationResponse>, ProblemHttpResult>>(TypedResults.Ok(NotificationResponse.From(record)));
            }
            var moved = record with { State = state };
            if (await store.PutAsync(item with { Data = ItemJson.Serialize(moved, NotificationJson.Default.NotificationRecord), Version = item.Version + 1 }, Condition.VersionIs(item.Version), cancellationToken))
            {
                return Attempt.Done<Results<Ok<NotificationResponse>, ProblemHttpResult>>(TypedResults.Ok(NotificationResponse.From(moved)));
            }
            return Attempt.Conflict<Results<Ok<NotificationResponse>, ProblemHttpResult>>();
        }, cancellationToken);
    }

    public static async Task<NoContent> ReadAll(ClaimsPrincipal principal, IItemStore store, CancellationToken cancellationToken)
    {
        await foreach (var item in Tray(store, principal.UserId(), cancellationToken))
        {
            var record = Read(item);
            if (record.State == NotificationStates.Unread)
            {
                // A concurrent change wins; this one is then moot.
                await store.PutAsync(item with { Data = ItemJson.Serialize(record with { State = NotificationStates.Read }, NotificationJson.Default.NotificationRecord), Version = item.Version + 1 },
                    Condition.VersionIs(item.Version), cancellationToken);
            }
        }
        return TypedResults.NoContent();
    }

    /// <summary>Counted from the tray itself (30 days of notifications), so it can never drift.</summary>
    private static async Task<int> UnreadAsync(IItemStore store, string userId, CancellationToken cancellationToken)
    {
        var unread = 0;
        await foreach (var item in Tray(store, userId, cancellationToken))
        {
            unread += Read(item).State == NotificationStates.Unread ? 1 : 0;
        }
        return unread;
    }

    private static IAsyncEnumerable<Item> Tray(IItemStore store, string userId, CancellationToken cancellationToken) =>
        store.QueryAllAsync(new Query { Pk = NotificationKeys.Tray(userId), Limit = 1000 }, cancellationToken);

    private static NotificationRecord Read(Item item) => ItemJson.Deserialize(item, NotificationJson.Default.NotificationRecord);
}

public sealed record NotificationResponse(string Id, string Type, string Body, string State, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Data)
{
    public static NotificationResponse From(NotificationRecord n) => new(n.Id, n.Type, n.Body, n.State, n.CreatedAt, n.Data);
}

public sealed record NotificationList(IReadOnlyList<NotificationResponse> Items, int UnreadCount, string? NextCursor);
