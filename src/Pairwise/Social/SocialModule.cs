using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Pairwise.Platform;
using StackExchange.Redis;

namespace Pairwise.Social;

/// <summary>
/// Seed 004's social side: following and posts inside Pairwise, linked accounts on other networks
/// (Bluesky, feeds) polled by connectors, and one aggregated feed served from cached lists.
/// </summary>
public static class SocialModule
{
    public static WebApplicationBuilder AddSocial(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSettings<SocialOptions>(builder.Configuration, SocialOptions.Section);
        // The lists in Redis when the deployment has it (every node shares them), else in this process.
        services.AddSingleton<ITimelineCache>(provider => provider.GetService<IConnectionMultiplexer>() is { } redis
            ? new RedisTimelineCache(redis, provider.GetRequiredService<IOptions<SocialOptions>>(), provider.GetRequiredService<TimeProvider>())
            : new MemoryTimelineCache(provider.GetRequiredService<IOptions<SocialOptions>>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Timelines>();
        services.AddSingleton<Follows>();
        services.AddSingleton<Watches>();
        services.AddSingleton<Posts>();
        services.AddSingleton<LinkedAccounts>();
        services.AddSingleton<SocialFeed>();
        services.AddSingleton<FeedReader>();
        services.AddSingleton<PostBookmarks>();
        services.AddSingleton<ConnectorSync>();
        services.AddSingleton<WebSub>();
        services.AddSingleton<OutboundGuard>();
        services.AddSingleton<ISocialConnector, BlueskyConnector>();
        services.AddSingleton<ISocialConnector, FeedConnector>();
        services.AddSingleton<Listings.IListingAnnouncer, ListingPosts>();
        services.AddSingleton<Accounts.IPersonalData, SocialPersonalData>();
        services.AddSingleton<ConnectorWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<ConnectorWorker>());
        AddProviderClient(services, BlueskyConnector.ClientName);
        AddProviderClient(services, FeedConnector.ClientName);
        return builder;
    }

    /// <summary>
    /// One HTTP client per provider, isolated from the others: every connection through the SSRF
    /// guard; a rate limiter that is the provider's request budget on this node; per host a circuit
    /// breaker (a host failing half its requests is left alone for a while) and a timeout.
    /// </summary>
    private static void AddProviderClient(IServiceCollection services, string name)
    {
        services.AddHttpClient(name, client =>
            {
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Pairwise/1.0 (+social connector)");
                client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeout governs
            })
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                ConnectCallback = provider.GetRequiredService<OutboundGuard>().ConnectAsync,
                AllowAutoRedirect = true,
                MaxAutomaticRedirections = 5,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            .AddResilienceHandler(name, (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<SocialOptions>>().Value;
                pipeline.AddRateLimiter(context.ServiceProvider.GetRequiredKeyedService<RateLimiter>(name));
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 4,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = TimeSpan.FromSeconds(15),
                });
                pipeline.AddTimeout(options.FetchTimeout);
            })
            .SelectPipelineByAuthority();
        services.AddKeyedSingleton<RateLimiter>(name, (provider, _) =>
        {
            var perMinute = provider.GetRequiredService<IOptions<SocialOptions>>().Value.ProviderRequestsPerMinute;
            return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = perMinute,
                TokensPerPeriod = perMinute,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        });
    }

    public static RouteGroupBuilder MapSocial(this RouteGroupBuilder v1)
    {
        SocialEndpoints.Map(v1);
        return LinkedAccountEndpoints.Map(v1);
    }
}
