using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Caching.Hybrid;
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
        // Ours, for the live events and the change stream. The cache and the hub's backplane each
        // get their own: both dispose the connection they were given, which must not be this one.
        services.AddSingleton<IConnectionMultiplexer>(_ => Connect(redis));
        services.AddStackExchangeRedisCache(options =>
        {
            options.InstanceName = Prefix + "cache:";
            options.ConnectionMultiplexerFactory = () => ConnectAsync(redis);
        });
        services.AddHostedService<ChangeFanOut>();
        services.AddSingleton<SharedLiveEvents>();
        services.AddHostedService(provider => provider.GetRequiredService<SharedLiveEvents>());
        services.AddSingleton<ILiveEvents>(provider => provider.GetRequiredService<SharedLiveEvents>());
        services.AddSignalR().AddBackplane(redis);
        return builder;
    }

    /// <summary>The SignalR backplane: an event for a user reaches their connections on every node.</summary>
    private static void AddBackplane(this ISignalRServerBuilder signalR, string redis)
    {
        signalR.AddStackExchangeRedis(options => options.Configuration.ChannelPrefix = RedisChannel.Literal(Prefix + "realtime"));
        signalR.Services.AddOptions<RedisOptions>().Configure(options => options.ConnectionFactory = _ => ConnectAsync(redis));
    }

    private static ConnectionMultiplexer Connect(string connectionString) => ConnectionMultiplexer.Connect(Options(connectionString));

    private static async Task<IConnectionMultiplexer> ConnectAsync(string connectionString) =>
        await ConnectionMultiplexer.ConnectAsync(Options(connectionString));

    private static ConfigurationOptions Options(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        // Start without Redis and connect when it comes; while it is away, fail at once rather than
        // hold requests in a backlog, and try again every second so recovery takes seconds.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.ConnectTimeout = 2000;
        options.ClientName ??= "pairwise";
        return options;
    }
}
