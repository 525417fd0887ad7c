using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Accounts;
using Pairwise.Delivery;
using Pairwise.Platform;
using Pairwise.Ranking;
using Pairwise.Scheduling;
using Pairwise.Storage;

namespace Pairwise.Digests;

/// <summary>Every key the digests feature writes (see docs/keys.md).</summary>
public static class DigestKeys
{
    public static ItemKey Settings(string userId) => new($"USER#{userId}", "DIGEST");

    /// <summary>A user's next digest, filed under the UTC hour it is due in: the hourly job reads one partition per hour.</summary>
    public static ItemKey Due(DateTimeOffset at, string userId) => new(Bucket(at), userId);
    public static string Bucket(DateTimeOffset at) => $"DIGESTDUE#{at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture)}";

    /// <summary>The claim that a user's digest for one local day went out: at most one per day.</summary>
    public static ItemKey Sent(string userId, DateOnly localDay) => new($"DIGESTSENT#{userId}", localDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>The first hour whose bucket may still hold digests.</summary>
    public static readonly ItemKey Cursor = new("SYSTEM", "DIGEST-CURSOR");
}

public sealed record DigestSettings(bool Enabled, string LocalTime, string TimeZone, DateTimeOffset? NextAt);

public sealed record DueRecord(DateTimeOffset DueAt);

public sealed record CursorRecord(DateTimeOffset Hour);

[JsonSerializable(typeof(DigestSettings))]
[JsonSerializable(typeof(DueRecord))]
[JsonSerializable(typeof(CursorRecord))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class DigestJson : JsonSerializerContext;

/// <summary>When "08:00 in Auckland" next happens, with the zone's own rules for daylight saving.</summary>
public static class LocalSchedule
{
    /// <summary>
    /// The first instant after <paramref name="after"/> at which the wall clock in
    /// <paramref name="zone"/> reads <paramref name="localTime"/>. A time skipped by a spring-forward
    /// gap moves forward by the gap (02:30 → 03:30); a time repeated by a fall-back is taken the
    /// first time it happens.
    /// </summary>
    public static DateTimeOffset NextAfter(DateTimeOffset after, TimeOnly localTime, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(after, zone).DateTime);
        for (var day = 0; day < 3; day++)
        {
            var local = today.AddDays(day).ToDateTime(localTime, DateTimeKind.Unspecified);
            // Skipped by a spring-forward, the wall time is read with the offset before the gap: the same instant as the time moved on by the gap.
            var offset = zone.IsInvalidTime(local) ? zone.GetUtcOffset(local.AddDays(-1))
                : zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max()
                : zone.GetUtcOffset(local);
            var candidate = new DateTimeOffset(local, offset);
            if (candidate > after)
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("No next local time within three days.");
    }
}

/// <summary>
/// Seed 003's daily recommendation e-mails at each user's chosen local time. A user's next digest
/// is filed under the UTC hour it is due; the hourly job sends what is due, each in one
/// transaction with the "sent for this local day" claim, the outbox mail and the next due entry —
/// so a digest goes out once per local day however many nodes run the job, and a user with no
/// recommendations gets nothing.
/// </summary>
public sealed partial class DigestService(IItemStore store, UserStore users, Ranking.Recommendations recommendations, MailOutbox outbox, TimeProvider time, ILogger<DigestService> logger)
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

    private static EmailMessage Mail(UserRecord user, IReadOnlyList<FeedEntry> entries) =>
        EmailTemplates.Digest(user.Email, user.DisplayName, [.. entries.Select(e => new DigestEntry(e.Listing.Title, e.Listing.Market, e.Score,
            e.Explanation.Features.OrderByDescending(f => f.Points).FirstOrDefault() is { Detail: { } why } ? why : null))]);

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

public static class DigestExtensions
{
    public static WebApplicationBuilder AddDigests(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DigestService>();
        builder.Services.AddScheduledJob<DigestJob>("digests", "0 * * * *");
        return builder;
    }
}

public static class DigestEndpoints
{
    public static RouteGroupBuilder MapDigests(this RouteGroupBuilder v1)
    {
        var digest = v1.MapGroup("/me/digest").WithTags("Digests");
        digest.MapGet("/", Get).WithSummary("My daily digest settings");
        digest.MapPut("/", Put).WithSummary("Turn the daily digest on or off, and choose when")
            .WithDescription("localTime is HH:mm on your wall clock in timeZone (an IANA zone such as Asia/Hong_Kong); daylight saving is followed. "
                + "The digest holds your top recommendations and is sent once per local day, or not at all when there are none. It goes to a verified address only.")
            .WithExample("""{"enabled":true,"localTime":"08:00","timeZone":"Asia/Hong_Kong"}""");
        digest.MapPost("/send-now", SendNow).WithSummary("E-mail me my recommendations now").RequireRateLimiting(PlatformExtensions.SendRateLimit);
        return v1;
    }

    public static async Task<Ok<DigestResponse>> Get(ClaimsPrincipal principal, DigestService digests, CancellationToken cancellationToken) =>
        TypedResults.Ok(DigestResponse.From((await digests.GetAsync(principal.UserId(), cancellationToken))?.Settings ?? new DigestSettings(false, "08:00", "UTC", null)));

    public static async Task<Results<Ok<DigestResponse>, ValidationProblem>> Put(DigestRequest request, ClaimsPrincipal principal, DigestService digests, CancellationToken cancellationToken)
    {
        if (!TimeOnly.TryParseExact(request.LocalTime ?? "08:00", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var localTime))
        {
            return Problems.Invalid("localTime", "Must be HH:mm, e.g. 08:00.");
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone ?? "UTC", out var zone))
        {
            return Problems.Invalid("timeZone", "Must be an IANA time zone, e.g. Asia/Hong_Kong or America/New_York.");
        }
        return TypedResults.Ok(DigestResponse.From(await digests.SetAsync(principal.UserId(), request.Enabled, localTime, zone, cancellationToken)));
    }

    public static async Task<Results<Ok<SendNowResponse>, ProblemHttpResult>> SendNow(ClaimsPrincipal principal, UserStore users, DigestService digests, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(principal.UserId(), cancellationToken);
        if (user is not { EmailVerified: true })
        {
            return Problems.Conflict("Verify your e-mail address first: recommendations are only mailed to a verified address.");
        }
        var count = await digests.SendNowAsync(user, cancellationToken);
        return TypedResults.Ok(new SendNowResponse(count > 0, count));
    }
}

public sealed record DigestRequest(bool Enabled, [System.ComponentModel.DataAnnotations.MaxLength(5)] string? LocalTime, [System.ComponentModel.DataAnnotations.MaxLength(64)] string? TimeZone);

public sealed record DigestResponse(bool Enabled, string LocalTime, string TimeZone, DateTimeOffset? NextAt)
{
    public static DigestResponse From(DigestSettings s) => new(s.Enabled, s.LocalTime, s.TimeZone, s.NextAt);
}

public sealed record SendNowResponse(bool Sent, int Recommendations);
