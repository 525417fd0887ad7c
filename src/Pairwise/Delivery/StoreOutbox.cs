using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Delivery;

public enum DeliveryResult
{
    Sent,
    Retry,
    Drop,
}

/// <summary>One message waiting in a store outbox: how often it was tried, when it may be tried again, and until when a node holds it.</summary>
public sealed record OutboxEntry<T>(T Message, int Attempts, DateTimeOffset NotBefore, DateTimeOffset? ClaimedUntil = null);

/// <summary>
/// A durable queue in the store that every node drains (pushes, text messages): a message is
/// stored before anything is sent, claimed by one node at a time (a version condition), retried
/// with a growing pause when the provider fails, and dropped after six attempts or when the
/// provider says it can never be delivered.
/// </summary>
public abstract partial class StoreOutbox<T>(IItemStore store, JsonTypeInfo<OutboxEntry<T>> json, TimeProvider time, ILogger logger) : BackgroundService
{
    private const int Shards = 4;
    private const int MaxAttempts = 6;
    private static readonly TimeSpan Claim = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>The partition prefix of this outbox's shards (PUSHOUT, SMSOUT).</summary>
    protected abstract string Name { get; }

    /// <summary>Sends one message: <see cref="DeliveryResult.Retry"/> (or an exception) tries again later.</summary>
    protected abstract Task<DeliveryResult> DeliverAsync(T message, int attempt, CancellationToken cancellationToken);

    protected async Task StoreAsync(T message, TimeSpan keep, CancellationToken cancellationToken)
    {
        var id = Ids.New("out", time);
        var now = time.GetUtcNow();
        await store.PutAsync(new Item
        {
            Pk = $"{Name}#{Convert.ToInt32(id[^1].ToString(), 16) % Shards}",
            Sk = id,
            Data = ItemJson.Serialize(new OutboxEntry<T>(message, 0, now), json),
            Version = 1,
            ExpiresAt = now + keep,
        }, Condition.NotExists, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DrainAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, Name);
            }
            // Wall-clock pacing: tests move the app's clock by days.
            await Task.Delay(Interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        for (var shard = 0; shard < Shards; shard++)
        {
            var page = await store.QueryAsync(new Query { Pk = $"{Name}#{shard}", Limit = 50 }, cancellationToken);
            foreach (var item in page.Items)
            {
                OutboxEntry<T> entry;
                try
                {
                    entry = ItemJson.Deserialize(item, json);
                }
                catch (JsonException)
                {
                    // Written by an older version in another shape: it cannot be sent.
                    await store.DeleteAsync(item.Key, Condition.None, cancellationToken);
                    continue;
                }
                var now = time.GetUtcNow();
                if (entry.NotBefore > now || entry.ClaimedUntil > now)
                {
                    continue;
                }
                // Claim it, so that another node does not send it too.
                var claimed = item with { Data = ItemJson.Serialize(entry with { ClaimedUntil = now + Claim }, json), Version = item.Version + 1 };
                if (await store.PutAsync(claimed, Condition.VersionIs(item.Version), cancellationToken))
                {
                    await SendAsync(claimed, entry, cancellationToken);
                }
            }
        }
    }

    private async Task SendAsync(Item item, OutboxEntry<T> entry, CancellationToken cancellationToken)
    {
        DeliveryResult result;
        Exception? failure = null;
        try
        {
            result = await DeliverAsync(entry.Message, entry.Attempts + 1, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            (result, failure) = (DeliveryResult.Retry, e);
        }
        if (result == DeliveryResult.Retry && entry.Attempts + 1 < MaxAttempts)
        {
            var retry = entry with { Attempts = entry.Attempts + 1, NotBefore = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Pow(4, entry.Attempts)), ClaimedUntil = null };
            await store.PutAsync(item with { Data = ItemJson.Serialize(retry, json), Version = item.Version + 1 }, Condition.VersionIs(item.Version), cancellationToken);
            return;
        }
        if (result != DeliveryResult.Sent)
        {
            LogDropped(logger, failure, Name, entry.Attempts + 1);
        }
        await store.DeleteAsync(item.Key, Condition.None, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Outbox} outbox could not be read; it is tried again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string outbox);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message of the {Outbox} outbox was dropped after {Attempts} attempts")]
    private static partial void LogDropped(ILogger logger, Exception? exception, string outbox, int attempts);
}
