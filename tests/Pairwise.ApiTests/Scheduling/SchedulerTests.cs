using Microsoft.Extensions.DependencyInjection;
using Pairwise.Scheduling;

namespace Pairwise.Tests.Scheduling;

public sealed class SchedulerTests
{
    /// <summary>Fails its first runs on purpose, then succeeds.</summary>
    public sealed class FlakyJob : IScheduledJob
    {
        public int Calls { get; private set; }
        public int FailFirst { get; set; } = 2;

        public Task<int> RunOnceAsync(CancellationToken cancellationToken) =>
            ++Calls <= FailFirst ? throw new InvalidOperationException($"failure {Calls}") : Task.FromResult(7);
    }

    [Theory]
    [OnEachEngine]
    public async Task TwoNodesOnOneStoreRunEachOccurrenceOnce(Engine engine)
    {
        var data = TempFolder.Create("scheduler");
        using var a = new PairwiseApp(engine, dataDirectory: data);
        using var b = new PairwiseApp(engine, dataDirectory: data);
        var start = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        a.Clock.SetUtcNow(start);
        b.Clock.SetUtcNow(start);
        var (first, second) = (a.Services.GetRequiredService<Scheduler>(), b.Services.GetRequiredService<Scheduler>());
        var jobs = first.Jobs.Count;

        var ran = await Task.WhenAll(first.RunDueAsync(CancellationToken.None), second.RunDueAsync(CancellationToken.None));
        a.Clock.Advance(TimeSpan.FromHours(1));
        b.Clock.Advance(TimeSpan.FromHours(1));
        var hourly = await Task.WhenAll(first.RunDueAsync(CancellationToken.None), second.RunDueAsync(CancellationToken.None));

        Assert.Equal(jobs, ran.Sum());
        // At 11:00 the hourly digest, the five-minute purge and the one-minute expiry are due; the daily batch is not.
        Assert.Equal(jobs - 1, hourly.Sum());
        foreach (var job in first.Jobs)
        {
            var runs = await first.RunsAsync(job.Name, 10, CancellationToken.None);
            Assert.Equal(runs.Count, runs.Select(r => r.Occurrence).Distinct().Count());
            Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        }
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 19, 0, 0, TimeSpan.Zero), await first.NextAsync("batch-scoring", CancellationToken.None));
        TempFolder.Delete(data);
    }

    [Theory]
    [OnEachEngine]
    public async Task AFailedRunIsRecordedAndRetriedWithBackoff(Engine engine)
    {
        using var app = new PairwiseApp(engine, services: services => services.AddScheduledJob<FlakyJob>("flaky", "0 0 * * *"));
        var scheduler = app.Services.GetRequiredService<Scheduler>();
        var job = app.Services.GetRequiredService<FlakyJob>();
        var occurrence = app.Clock.GetUtcNow();

        await scheduler.RunDueAsync(CancellationToken.None);
        await scheduler.RunDueAsync(CancellationToken.None);
        var afterFirst = job.Calls;
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await scheduler.RunDueAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromSeconds(60));
        await scheduler.RunDueAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        await scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal(1, afterFirst);
        Assert.Equal(3, job.Calls);
        var run = Assert.Single(await scheduler.RunsAsync("flaky", 10, CancellationToken.None));
        Assert.Equal(occurrence, run.Occurrence);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(3, run.Attempt);
        Assert.Equal(7, run.Handled);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero), await scheduler.NextAsync("flaky", CancellationToken.None));
    }
}
