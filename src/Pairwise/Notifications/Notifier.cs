using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Notifications;

/// <summary>A notification decided but not yet delivered: its write joins the transaction of what caused it; push and e-mail follow the commit.</summary>
public sealed record PendingNotification(string UserId, NotificationRecord Record, WriteOperation? Write, bool Email, bool Push = false, bool Previews = false);

/// <summary>
/// Seed 000's notifications: stored per user for 30 days, unread → read → actioned (actioned ones
/// leave the tray). Backend events write them in the same transaction as the event itself, then
/// <see cref="DeliverAsync"/> pushes them live and e-mails them, as each user's preferences say.
/// </summary>
public sealed partial class Notifier(
    IItemStore store, Accounts.UserStore users, Realtime.RealtimePublisher realtime, Delivery.IEmailSender email, Delivery.PushOutbox pushes,
    Delivery.UnsubscribeLinks links, TimeProvider time, ILogger<Notifier> logger)
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>The notification for <paramref name="userId"/> as their preferences allow, or null when they want it neither in the app nor by e-mail.</summary>
    public async Task<PendingNotification?> PrepareAsync(
        string userId, string type, string body, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
    {
        var preferences = await NotificationPreferences.GetAsync(store, userId, cancellationToken);
        var channels = preferences.For(type);
        if (!channels.InApp && !channels.Email && !channels.Push)
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
        return new PendingNotification(userId, record, write, channels.Email, channels.Push, preferences.Previews);
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
            if (pending.Push)
            {
                await pushes.EnqueueAsync(pending.UserId, PushPayload(pending), cancellationToken);
            }
        }
    }

    /// <summary>Small (push services take about 3 KB) and without a message's text unless the person allows previews.</summary>
    private static string PushPayload(PendingNotification pending)
    {
        var record = pending.Record;
        var body = record.Type == NotificationTypes.Message && !pending.Previews ? "You have a new message." : record.Body;
        return System.Text.Json.JsonSerializer.Serialize(new PushBody(record.Id, record.Type, "Pairwise", body[..Math.Min(body.Length, 240)],
            record.Data.TryGetValue("conversationId", out var conversation) ? $"/#/conversations/{conversation}" : "/#/notifications"), NotificationJson.Default.PushBody);
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
                // A link back to where the app shows it, and one-click unsubscribe from this type (RFC 8058).
                var record = pending.Record;
                var topic = NotificationUnsubscribe.Topic(record.Type);
                var open = links.App(record.Data.TryGetValue("conversationId", out var conversation) ? $"/chat/{conversation}" : "/tray");
                await email.SendAsync(Delivery.EmailTemplates.Notification(user.Email, record.Body, open, links.Link(user.Id, topic), links.Headers(user.Id, topic)), cancellationToken);
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
