using Microsoft.AspNetCore.Http.HttpResults;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pairwise.Platform;

namespace Pairwise.Observability;

/// <summary>Metrics and traces out (OTLP, Prometheus) and the operators' daily activity counters.</summary>
public static class ObservabilityModule
{
    private const string Name = Telemetry.Name;

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        // OTLP goes wherever the standard OTEL_EXPORTER_OTLP_ENDPOINT points; without it, only the Prometheus endpoint.
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("pairwise"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddMeter(Name, "System.Runtime", "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.Server.Kestrel")
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
        builder.Services.AddHostedService(s => s.GetRequiredService<Stats>());
        builder.Services.AddSettings<MetricsOptions>(builder.Configuration, "Pairwise:Metrics");
        return builder;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        // For the scraper: from the configured networks (loopback by default) or with the configured token.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/metrics"), branch => branch.Use(async (context, next) =>
        {
            if (!context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value.Allows(context))
            {
                await TypedResults.Problem("Metrics are served to the configured networks (Pairwise:Metrics:AllowedNetworks) or with the metrics token.",
                    statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(context);
                return;
            }
            await next(context);
        }));
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        app.MapGet("/v1/operator/stats", StatsAsync).WithTags("Operator").RequireAuthorization(Policies.Operator)
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
