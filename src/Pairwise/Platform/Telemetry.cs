using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pairwise.Storage;

namespace Pairwise.Platform;

/// <summary>
/// Our own metrics and traces (OpenTelemetry names; Prometheus shows them as <c>pairwise_…</c>):
/// how long feeds and batch scoring take, and how many matches, messages and e-mails happen.
/// </summary>
public static class Telemetry
{
    public const string Name = "Pairwise";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> FeedDuration = Meter.CreateHistogram<double>("pairwise.feed.duration", "s", "Time to rank and explain one feed page",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    public static readonly Histogram<double> ScoringDuration = Meter.CreateHistogram<double>("pairwise.scoring.duration", "s", "Time of one market's daily batch scoring");
    public static readonly Counter<long> Matches = Meter.CreateCounter<long>("pairwise.matches", description: "Matches made");
    public static readonly Counter<long> Messages = Meter.CreateCounter<long>("pairwise.messages", description: "Messages stored");
    public static readonly Counter<long> Emails = Meter.CreateCounter<long>("pairwise.emails", description: "E-mails handed to the transport, by outcome");

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        // OTLP goes wherever the standard OTEL_EXPORTER_OTLP_ENDPOINT points; without it, only the Prometheus endpoint.
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("pairwise"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddMeter(Name, "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.Server.Kestrel")
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation().AddSource(Name);
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        builder.Services.AddSingleton<Stats>();
        return builder;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        // For the scraper on the private network, like /health; put it behind the proxy's allow-list in production.
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        app.MapGet("/v1/operator/stats", StatsAsync).WithTags("Operator").RequireAuthorization(Accounts.OperatorPolicy.Name)
            .WithSummary("Activity per day and market").WithDescription("Sign-ups, listings, swipes, matches and messages per UTC day and market, for the last days= days (default 7, at most 90).");
        return app;
    }

    public static async Task<Results<Ok<StatsResponse>, ValidationProblem>> StatsAsync(Stats stats, TimeProvider time, int? days, CancellationToken cancellationToken)
    {
        if (days is < 1 or > 90)
        {
            return Problems.Invalid("days", "Must be 1–90.");
        }
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var result = new List<DayStats>();
        for (var i = 0; i < (days ?? 7); i++)
        {
            var day = today.AddDays(-i);
            result.Add(new DayStats(day, await stats.ReadAsync(day, cancellationToken)));
        }
        return TypedResults.Ok(new StatsResponse(result));
    }
}

/// <summary>
/// Daily counters per market in the store (an atomic add per event, after the event committed),
/// for the operators' stats endpoint; analytics beyond that go through <c>pairwise export</c>.
/// </summary>
public sealed class Stats(IItemStore store, TimeProvider time)
{
    public const string AllMarkets = "*";

    public static ItemKey Key(DateOnly day, string market, string metric) =>
        new($"STATS#{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", $"{market}#{metric}");

    /// <summary>Counts one event; a failure to count never fails the request that caused it.</summary>
    public async Task CountAsync(string market, string metric, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.AddAsync(Key(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), market, metric), 1, time.GetUtcNow().AddDays(400), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Activity.Current?.AddException(e);
        }
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>> ReadAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var markets = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var pk = $"STATS#{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        await foreach (var item in store.QueryAllAsync(new Query { Pk = pk, Limit = 1000 }, cancellationToken))
        {
            var cut = item.Sk.LastIndexOf('#');
            var market = item.Sk[..cut];
            if (!markets.TryGetValue(market, out var metrics))
            {
                markets[market] = metrics = new(StringComparer.Ordinal);
            }
            metrics[item.Sk[(cut + 1)..]] = item.Counter;
        }
        return markets.ToDictionary(m => m.Key, m => (IReadOnlyDictionary<string, long>)m.Value, StringComparer.Ordinal);
    }
}

public sealed record DayStats(DateOnly Day, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Markets);

public sealed record StatsResponse(IReadOnlyList<DayStats> Days);
