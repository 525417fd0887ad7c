using Pairwise.Platform;

namespace Pairwise.Scheduling;

public static class SchedulingModule
{
    /// <summary>Registers a job under <paramref name="name"/> with a default cron schedule (UTC); <c>Pairwise:Jobs:{name}:Schedule</c> overrides it.</summary>
    public static IServiceCollection AddScheduledJob<T>(this IServiceCollection services, string name, string schedule) where T : class, IScheduledJob
    {
        services.AddSingleton<T>();
        services.AddSingleton(new JobDefinition(name, schedule, typeof(T)));
        return services;
    }

    public static WebApplicationBuilder AddScheduling(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Scheduler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Scheduler>());
        builder.Services.AddScheduledJob<ExpiredItemPurger>("retention-purge", "*/5 * * * *");
        return builder;
    }

    public static RouteGroupBuilder MapScheduling(this RouteGroupBuilder v1)
    {
        v1.MapGet("/operator/jobs", ListJobs).WithTags("Operator").WithSummary("Scheduled jobs, their next occurrence and latest runs")
            .RequireAuthorization(Policies.Operator);
        return v1;
    }

    public static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<ListResponse<JobResponse>>> ListJobs(Scheduler scheduler, CancellationToken cancellationToken)
    {
        var jobs = new List<JobResponse>();
        foreach (var job in scheduler.Jobs)
        {
            jobs.Add(new JobResponse(job.Name, scheduler.ScheduleOf(job).ToString(), await scheduler.NextAsync(job.Name, cancellationToken),
                await scheduler.RunsAsync(job.Name, 10, cancellationToken)));
        }
        return TypedResults.Ok(new ListResponse<JobResponse>(jobs, null));
    }
}

public sealed record JobResponse(string Name, string Schedule, DateTimeOffset? Next, IReadOnlyList<RunRecord> Runs);
