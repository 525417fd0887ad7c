using System.Globalization;
using Pairwise.Accounts;
using Pairwise.Delivery;
using Pairwise.Ranking;
using Pairwise.Storage;

namespace Pairwise.Digests;

/// <summary>
/// Seed 003's daily recommendation e-mails at each user's chosen local time. A user's next digest
/// is filed under the UTC hour it is due; the hourly job sends what is due, each in one
/// transaction with the "sent for this local day" claim, the outbox mail and the next due entry —
/// so a digest goes out once per local day however many nodes run the job, and a user with no
/// recommendations gets nothing.
/// </summary>
public sealed partial class DigestService(
    IItemStore store, UserStore users, Ranking.Recommendations recommendations, MailOutbox outbox, UnsubscribeLinks links, TimeProvider time, ILogger<DigestService> logger)
    : IUnsubscribeHandler
{
    public const int Recommendations = 5;
    private static readonly TimeSpan FirstLookBack = TimeSpan.FromDays(2);

    public async Task<(DigestSettings Settings, long Version)?> GetAsync(string userId, CancellationToken cancellationToken) =>
        await store.GetAsync(DigestKeys.Settings(userId), cancellationToken) is { } item
            ? (ItemJson.Deserialize(item, DigestJson.Default.DigestSettings), item.Version)
            : null;

    /// <summary>Stores the settings and files the next digest (moving any earlier filing).</summary>
    public Task<DigestSettings> SetAsync(string userId, bool enabled, TimeOnly localTime, TimeZoneInfo zone, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync("The digest settings", async ct =>
        {
            var current = await GetAsync(userId, ct);
            var next = enabled ? LocalSchedule.NextAfter(time.GetUtcNow(), localTime, zone) : (DateTimeOffset?)null;
            var settings = new DigestSettings(enabled, localTime.ToString("HH:mm", CultureInfo.InvariantCulture), zone.Id, next);
            return await CommitAsync(userId, current, settings, [], ct) ? Attempt.Done(settings) : Attempt.Conflict<DigestSettings>();
        }, cancellationToken);

    /// <summary>Sends every digest due by now; returns how many went out.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cursorItem = await store.GetAsync(DigestKeys.Cursor, cancellationToken);
        var hour = cursorItem is null ? Hour(now - FirstLookBack) : ItemJson.Deserialize(cursorItem, DigestJson.Default.CursorRecord).Hour;
        var sent = 0;
        DateTimeOffset? firstUnfinished = null;
        for (; hour <= now; hour = hour.AddHours(1))
        {
            await foreach (var item in store.QueryAllAsync(new Query { Pk = DigestKeys.Bucket(hour), Limit = 100 }, cancellationToken))
            {
                var due = ItemJson.Deserialize(item, DigestJson.Default.DueRecord);
                if (due.DueAt > now)
                {
                    firstUnfinished ??= hour;
                    continue;
                }
                try
                {
                    sent += await SendDueAsync(item.Sk, due.DueAt, cancellationToken) ? 1 : 0;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One user's failure does not hold back the others; their entry stays for the next run.
                    firstUnfinished ??= hour;
                    LogFailed(logger, e, item.Sk);
                }
            }
        }
        var resume = firstUnfinished ?? Hour(now);
        await store.PutAsync(new Item { Pk = DigestKeys.Cursor.Pk, Sk = DigestKeys.Cursor.Sk, Version = 1, Data = ItemJson.Serialize(new CursorRecord(resume), DigestJson.Default.CursorRecord) }, Condition.None, cancellationToken);
        return sent;
    }

    /// <summary>The user's top recommendations, mailed now ("e-mail me recommendations now"); how many, 0 when there were none.</summary>
    public async Task<int> SendNowAsync(UserRecord user, CancellationToken cancellationToken)
    {
        var entries = await recommendations.RecommendAsync(user.Id, Recommendations, cancellationToken);
        if (entries.Count > 0 && await outbox.PrepareAsync(Mail(user, entries), cancellationToken) is { } write)
        {
            await store.TransactAsync([write], cancellationToken);
            outbox.Kick();
        }
        return entries.Count;
    }

    private async Task<bool> SendDueAsync(string userId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var current = await GetAsync(userId, cancellationToken);
        var stale = DigestKeys.Due(dueAt, userId);
        if (current is not { Settings: { Enabled: true } settings } || settings.NextAt != dueAt
            || TimeZoneInfo.TryFindSystemTimeZoneById(settings.TimeZone, out var zone) is false)
        {
            // Settings changed since this was filed; the change filed its own entry.
            await store.DeleteAsync(stale, Condition.None, cancellationToken);
            return false;
        }
        var localTime = TimeOnly.ParseExact(settings.LocalTime, "HH:mm", CultureInfo.InvariantCulture);
        var next = settings with { NextAt = LocalSchedule.NextAfter(Later(time.GetUtcNow(), dueAt), localTime, zone) };
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(dueAt, zone).DateTime);
        var claim = DigestKeys.Sent(userId, day);
        List<WriteOperation> operations = [new WriteOperation.Put(new Item { Pk = claim.Pk, Sk = claim.Sk, Version = 1, ExpiresAt = dueAt + TimeSpan.FromDays(3) }, Condition.NotExists)];
        var user = await users.FindAsync(userId, cancellationToken);
        var entries = user is { EmailVerified: true, Disabled: false } ? await recommendations.RecommendAsync(userId, Recommendations, cancellationToken) : [];
        if (entries.Count > 0 && await outbox.PrepareAsync(Mail(user!, entries), cancellationToken) is { } mail)
        {
            operations.Add(mail);
        }
        var committed = await CommitAsync(userId, current, next, operations, cancellationToken);
        if (!committed)
        {
            // Today's went out already (another node, or an earlier time chosen today): file the next one, send nothing.
            if (await GetAsync(userId, cancellationToken) is { Settings.NextAt: var still } unchanged && still == dueAt
                && await CommitAsync(userId, unchanged, next, [], cancellationToken))
            {
                return false;
            }
            // Or the settings moved meanwhile, and filed their own entry: this one is done.
            await store.DeleteAsync(stale, Condition.None, cancellationToken);
            return false;
        }
        outbox.Kick();
        return operations.Count > 1;
    }

    /// <summary>Settings, their due entry moved from the old hour to the new, and whatever else must commit with them.</summary>
    private async Task<bool> CommitAsync(string userId, (DigestSettings Settings, long Version)? current, DigestSettings settings, List<WriteOperation> with, CancellationToken cancellationToken)
    {
        var key = DigestKeys.Settings(userId);
        List<WriteOperation> operations =
        [
            .. with,
            new WriteOperation.Put(new Item { Pk = key.Pk, Sk = key.Sk, Version = (current?.Version ?? 0) + 1, Data = ItemJson.Serialize(settings, DigestJson.Default.DigestSettings) },
                current is null ? Condition.NotExists : Condition.VersionIs(current.Value.Version)),
        ];
        if (current?.Settings.NextAt is { } old && old != settings.NextAt)
        {
            operations.Add(new WriteOperation.Delete(DigestKeys.Due(old, userId)));
        }
        if (settings.NextAt is { } next)
        {
            var due = DigestKeys.Due(next, userId);
            operations.Add(new WriteOperation.Put(new Item { Pk = due.Pk, Sk = due.Sk, Version = 1, Data = ItemJson.Serialize(new DueRecord(next), DigestJson.Default.DueRecord) }));
        }
        return (await store.TransactAsync(operations, cancellationToken)).Committed;
    }

    private EmailMessage Mail(UserRecord user, IReadOnlyList<FeedEntry> entries) =>
        EmailTemplates.Digest(user.Email, user.DisplayName, [.. entries.Select(e => new DigestEntry(e.Listing.Title, e.Listing.Market, e.Score,
            e.Explanation.Features.OrderByDescending(f => f.Points).FirstOrDefault() is { Detail: { } why } ? why : null, Photo(e.Listing)))],
            links.App("/deck"), links.Link(user.Id, Topic), links.Headers(user.Id, Topic));

    /// <summary>The listing's first photo in its narrowest copy of at least 240 px (a live listing's images are public).</summary>
    private Uri? Photo(Listings.ListingRecord listing) =>
        listing.Images is [var first, ..]
            ? links.Absolute($"/v1/images/{first.Id}{((first.Widths ?? []).Where(w => w >= 240).Order().FirstOrDefault() is var w and > 0 ? $"?w={w}" : "")}")
            : null;

    private const string Topic = "digest";

    public bool Handles(string topic) => topic == Topic;

    /// <summary>One-click unsubscribe from the digest: turned off, the time and zone kept for turning it on again.</summary>
    public async Task<string> UnsubscribeAsync(string userId, string topic, CancellationToken cancellationToken)
    {
        if (await GetAsync(userId, cancellationToken) is { Settings: { Enabled: true } settings })
        {
            await SetAsync(userId, false, TimeOnly.ParseExact(settings.LocalTime, "HH:mm", CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone), cancellationToken);
        }
        return "no more daily digests. Turn it on again in Settings.";
    }

    private static DateTimeOffset Hour(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The digest of {UserId} failed; it is retried at the next run")]
    private static partial void LogFailed(ILogger logger, Exception exception, string userId);
}

/// <summary>The hourly digest dispatch (seed 003's EventBridge rule + Step Functions workflow).</summary>
public sealed class DigestJob(DigestService digests) : Scheduling.IScheduledJob
{
    public Task<int> RunOnceAsync(CancellationToken cancellationToken) => digests.DispatchDueAsync(cancellationToken);
}
