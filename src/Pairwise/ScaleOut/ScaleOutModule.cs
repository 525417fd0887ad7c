using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Pairwise.Realtime;
using StackExchange.Redis;

namespace Pairwise.ScaleOut;

/// <summary>
/// What lets several nodes serve one platform. Always: a HybridCache (in-process L1). With
/// <c>ConnectionStrings:Redis</c>: Redis as its L2, as the SignalR backplane and the channel of
/// live events (GraphQL subscriptions), and as the stream of listing changes between the nodes'
/// candidate indexes. Redis is never the only copy of anything: when it is down, nodes answer
/// from the store (slower, no cross-node push) and catch up when it returns.
/// </summary>
public static class ScaleOutModule
{
    /// <summary>Redis key and channel prefix, so one Redis can serve other things too.</summary>
    public const string Prefix = "pairwise:";

    public static string? RedisConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("Redis") is { Length: > 0 } value ? value : null;

    public static WebApplicationBuilder AddScaleOut(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHybridCache(options => options.DefaultEntryOptions = new HybridCacheEntryOptions
        {
            Expiration = TimeSpan.FromHours(1),
            LocalCacheExpiration = TimeSpan.FromMinutes(10),
        });

        if (builder.Configuration.RedisConnectionString() is not { } redis)
        {
            return builder;
        }
        services.AddSingleton<IConnectionMultiplexer>(_ => Connect(redis));
        services.AddStackExchangeRedisCache(options => options.InstanceName = Prefix + "cache:");
        services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((options, provider) =>
            options.ConnectionMultiplexerFactory = () => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>()));
        services.AddHostedService<ChangeFanOut>();
        services.AddSingleton<SharedLiveEvents>();
        services.AddHostedService(provider => provider.GetRequiredService<SharedLiveEvents>());
        services.AddSingleton<ILiveEvents>(provider => provider.GetRequiredService<SharedLiveEvents>());
        services.AddSignalR().AddBackplane(builder.Configuration);
        return builder;
    }

    /// <summary>The SignalR backplane on the shared connection: an event for a user reaches their connections on every node.</summary>
    private static ISignalRServerBuilder AddBackplane(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        if (configuration.RedisConnectionString() is null)
        {
            return signalR;
        }
        signalR.AddStackExchangeRedis(options => options.Configuration.ChannelPrefix = RedisChannel.Literal(Prefix + "realtime"));
        signalR.Services.AddOptions<RedisOptions>().Configure<IServiceProvider>((options, provider) =>
            options.ConnectionFactory = _ => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>()));
        return signalR;
    }

    private static ConnectionMultiplexer Connect(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        // Start without Redis and connect when it comes; while it is away, fail at once rather than
        // hold requests in a backlog, and try again every second so recovery takes seconds.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.ConnectTimeout = 2000;
        options.ClientName ??= "pairwise";
        return ConnectionMultiplexer.Connect(options);
    }
}
