using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cronos;
using Microsoft.Extensions.Options;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Scheduling;

/// <summary>A job the scheduler runs on a cron schedule, on exactly one node per occurrence.</summary>
public interface IScheduledJob
{
    /// <summary>Does one round of work and returns how many things it handled.</summary>
    Task<int> RunOnceAsync(CancellationToken cancellationToken);
}

/// <summary>A job's name (its key and configuration section) and default cron schedule (UTC).</summary>
public sealed record JobDefinition(string Name, string Schedule, Type JobType);

public sealed class JobSettings
{
    /// <summary>A cron expression (five fields, or six with seconds), in UTC.</summary>
    public string? Schedule { get; set; }
    public bool Enabled { get; set; } = true;
}

public static class SchedulerKeys
{
    /// <summary>The next occurrence a job owes, shared by every node.</summary>
    public static ItemKey Next(string job) => new($"JOB#{job}", "NEXT");

    /// <summary>One occurrence's run: its claim (the condition that makes it run once) and its record.</summary>
    public static ItemKey Run(string job, DateTimeOffset occurrence) =>
        new($"JOB#{job}", $"RUN#{occurrence.UtcDateTime.ToString("yyyyMMddTHHmmssZ", CultureInfo.InvariantCulture)}");

    public static string Runs(string job) => $"JOB#{job}";
}

public static class RunStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Abandoned = "abandoned";
}

public sealed record NextRecord(DateTimeOffset Occurrence);

public sealed record RunRecord(
    string Job, DateTimeOffset Occurrence, string Status, string Node, int Attempt, DateTimeOffset StartedAt, DateTimeOffset LeaseUntil,
    DateTimeOffset? FinishedAt, DateTimeOffset? RetryAt, int Handled, string? Error);

[JsonSerializable(typeof(NextRecord))]
[JsonSerializable(typeof(RunRecord))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class SchedulerJson : JsonSerializerContext;

/// <summary>
/// Durable cron jobs in-process (seeds 000/003's EventBridge + Step Functions). Every node looks
/// for due occurrences; the first to write an occurrence's run item (a not-exists condition)
/// runs it, so each occurrence runs once however many nodes there are. The run item is the
/// record (status, node, attempts, what it handled, the error). A failed run is retried with
/// exponential backoff by whichever node sees it due; a run whose node died is taken over once
/// its lease lapses. Missed occurrences (every node down) collapse into one run.
/// </summary>
public sealed partial class Scheduler(
    IEnumerable<JobDefinition> definitions, IServiceProvider services, IItemStore store, IConfiguration configuration,
    IOptions<PairwiseOptions> options, TimeProvider time, ILogger<Scheduler> logger) : BackgroundService
{
    public const int MaxAttempts = 5;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan RunHistory = TimeSpan.FromDays(30);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private readonly string _node = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public IReadOnlyList<JobDefinition> Jobs { get; } = [.. definitions];

    public CronExpression ScheduleOf(JobDefinition job) =>
        CronExpression.Parse(Settings(job).Schedule ?? job.Schedule, (Settings(job).Schedule ?? job.Schedule).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);

    private JobSettings Settings(JobDefinition job) => configuration.GetSection($"{PairwiseOptions.Section}:Jobs:{job.Name}").Get<JobSettings>() ?? new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundJobs)
        {
            return;
        }
        using var timer = new PeriodicTimer(Poll, time);
        do
        {
            try
            {
                await RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Runs every job whose occurrence is due and that no other node has claimed; returns how many ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var ran = 0;
        foreach (var job in Jobs)
        {
            if (Settings(job).Enabled && await RunIfDueAsync(job, cancellationToken))
            {
                ran++;
            }
        }
        return ran;
    }

    private async Task<bool> RunIfDueAsync(JobDefinition job, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nextKey = SchedulerKeys.Next(job.Name);
        var nextItem = await store.GetAsync(nextKey, cancellationToken);
        if (nextItem is null)
        {
            // A new job owes its first occurrence now: expiry and purges should not wait a day after a deploy.
            await store.PutAsync(Item(nextKey, ItemJson.Serialize(new NextRecord(now), SchedulerJson.Default.NextRecord), 1), Condition.NotExists, cancellationToken);
            if ((nextItem = await store.GetAsync(nextKey, cancellationToken)) is null)
            {
                return false;
            }
        }
        var occurrence = ItemJson.Deserialize(nextItem, SchedulerJson.Default.NextRecord).Occurrence;
        if (occurrence > now)
        {
            return false;
        }
        var runKey = SchedulerKeys.Run(job.Name, occurrence);
        var existing = await store.GetAsync(runKey, cancellationToken);
        var previous = existing is null ? null : ItemJson.Deserialize(existing, SchedulerJson.Default.RunRecord);
        if (previous is not null && !(previous.Status == RunStatus.Failed && previous.RetryAt <= now)
            && !(previous.Status == RunStatus.Running && previous.LeaseUntil < now))
        {
            // Running elsewhere, waiting for its retry, or finished (the node that finished it advances NEXT).
            if (previous.Status is RunStatus.Succeeded or RunStatus.Abandoned)
            {
                await AdvanceAsync(job, nextItem, now, cancellationToken);
            }
            return false;
        }
        var attempt = (previous?.Attempt ?? 0) + 1;
        var claim = new RunRecord(job.Name, occurrence, RunStatus.Running, _node, attempt, now, now + Lease, null, null, 0, null);
        var claimed = await store.PutAsync(Item(runKey, ItemJson.Serialize(claim, SchedulerJson.Default.RunRecord), (existing?.Version ?? 0) + 1, now + RunHistory),
            existing is null ? Condition.NotExists : Condition.VersionIs(existing.Version), cancellationToken);
        if (!claimed)
        {
            return false;
        }
        var version = (existing?.Version ?? 0) + 1;
        RunRecord outcome;
        try
        {
            var handled = await ((IScheduledJob)services.GetRequiredService(job.JobType)).RunOnceAsync(cancellationToken);
            outcome = claim with { Status = RunStatus.Succeeded, FinishedAt = time.GetUtcNow(), Handled = handled };
            LogRan(logger, job.Name, occurrence, handled);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var retry = TimeSpan.FromSeconds(30 * Math.Pow(4, attempt - 1));
            outcome = claim with
            {
                Status = attempt >= MaxAttempts ? RunStatus.Abandoned : RunStatus.Failed,
                FinishedAt = time.GetUtcNow(),
                RetryAt = attempt >= MaxAttempts ? null : time.GetUtcNow() + retry,
                Error = e.Message,
            };
            LogRunFailed(logger, e, job.Name, occurrence, attempt);
        }
        await store.PutAsync(Item(runKey, ItemJson.Serialize(outcome, SchedulerJson.Default.RunRecord), version + 1, now + RunHistory), Condition.VersionIs(version), cancellationToken);
        if (outcome.Status is RunStatus.Succeeded or RunStatus.Abandoned)
        {
            await AdvanceAsync(job, nextItem, time.GetUtcNow(), cancellationToken);
        }
        return true;
    }

    /// <summary>Moves the job's next occurrence past now (occurrences missed while nobody ran collapse into the one just run).</summary>
    private async Task AdvanceAsync(JobDefinition job, Item nextItem, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var next = ScheduleOf(job).GetNextOccurrence(now, TimeZoneInfo.Utc) ?? DateTimeOffset.MaxValue;
        // A concurrent advance by another node wins; both computed the same next occurrence.
        await store.PutAsync(nextItem with { Data = ItemJson.Serialize(new NextRecord(next), SchedulerJson.Default.NextRecord), Version = nextItem.Version + 1 },
            Condition.VersionIs(nextItem.Version), cancellationToken);
    }

    public async Task<IReadOnlyList<RunRecord>> RunsAsync(string job, int limit, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Pk = SchedulerKeys.Runs(job), SortKey = SortKeyCondition.BeginsWith("RUN#"), Descending = true, Limit = limit }, cancellationToken);
        return [.. page.Items.Select(i => ItemJson.Deserialize(i, SchedulerJson.Default.RunRecord))];
    }

    public async Task<DateTimeOffset?> NextAsync(string job, CancellationToken cancellationToken) =>
        await store.GetAsync(SchedulerKeys.Next(job), cancellationToken) is { } item ? ItemJson.Deserialize(item, SchedulerJson.Default.NextRecord).Occurrence : null;

    private static Item Item(ItemKey key, byte[] data, long version, DateTimeOffset? expiresAt = null) =>
        new() { Pk = key.Pk, Sk = key.Sk, Data = data, Version = version, ExpiresAt = expiresAt };

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} ({Occurrence:o}) handled {Handled} items")]
    private static partial void LogRan(ILogger logger, string job, DateTimeOffset occurrence, int handled);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} ({Occurrence:o}) failed on attempt {Attempt}")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string job, DateTimeOffset occurrence, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A scheduler pass failed; the next one is in a few seconds")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
