using Microsoft.Extensions.Options;
using Pairwise.Storage;

namespace Pairwise.Social;

/// <summary>
/// The connector worker role: for each connector this node runs (<see cref="SocialOptions.Connectors"/>),
/// every poll interval, each linked account is polled by exactly one worker (a lease item per
/// account and interval), a few at a time. API nodes that run no connector only read the store and
/// the cache.
/// </summary>
public sealed partial class ConnectorWorker(
    IEnumerable<ISocialConnector> connectors, LinkedAccounts accounts, ConnectorSync sync, WebSub webSub, IItemStore store,
    IOptions<SocialOptions> options, TimeProvider time, ILogger<ConnectorWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = connectors.Where(c => options.Value.Runs(c.Name)).ToList();
        if (running.Count == 0)
        {
            return;
        }
        var names = string.Join(", ", running.Select(c => c.Name));
        LogStarted(logger, names, options.Value.PollInterval);
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            // Each connector on its own: a slow provider does not hold up the others.
            await Task.WhenAll(running.Select(c => RoundAsync(c, stoppingToken)));
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass over a connector's accounts; how many were polled here.</summary>
    public async Task<int> RoundAsync(ISocialConnector connector, CancellationToken cancellationToken)
    {
        var polled = 0;
        try
        {
            await Parallel.ForEachAsync(accounts.AllOfAsync(connector.Provider, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (account, ct) =>
                {
                    if (!await LeaseAsync(account.Id, ct))
                    {
                        return;
                    }
                    Interlocked.Increment(ref polled);
                    if (await sync.PollAsync(connector, account, ct) && connector.Provider == Providers.Feed
                        && await accounts.GetAsync(account.UserId, account.Id, ct) is { Account: var fresh })
                    {
                        await webSub.SubscribeIfDueAsync(fresh, ct);
                    }
                });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRoundFailed(logger, connector.Name, e);
        }
        return polled;
    }

    private Task<bool> LeaseAsync(string linkedId, CancellationToken cancellationToken)
    {
        var key = SocialKeys.PollLease(linkedId);
        return store.PutAsync(new Item { Pk = key.Pk, Sk = key.Sk, Version = 1, ExpiresAt = time.GetUtcNow() + options.Value.PollInterval * 0.8 },
            Condition.NotExists, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connectors {Connectors} polling every {Interval}")]
    private static partial void LogStarted(ILogger logger, string connectors, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Error, Message = "A polling round of {Connector} failed")]
    private static partial void LogRoundFailed(ILogger logger, string connector, Exception e);
}
