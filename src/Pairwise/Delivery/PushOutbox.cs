using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Options;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Delivery;

public sealed record PushOutboxRecord(
    string UserId, string SubscriptionId, string Endpoint, string P256dh, string Auth, string Payload, int Attempts, DateTimeOffset NotBefore, DateTimeOffset? ClaimedUntil = null);

/// <summary>
/// Pushes to devices through a durable outbox, like e-mail (ADR 11): a push is stored per device
/// before anything is sent, a node claims it, sends it encrypted (aes128gcm, VAPID), and deletes it.
/// A failure is retried with growing waits (up to six tries); a push service answering 404 or 410
/// means the device is gone, so its subscription goes too.
/// </summary>
public sealed partial class PushOutbox(
    IItemStore store, PushSubscriptions subscriptions, IOptions<PushOptions> options, IHttpClientFactory http, TimeProvider time, ILogger<PushOutbox> logger)
    : BackgroundService
{
    private const int Shards = 4;
    private const int MaxAttempts = 6;
    private static readonly TimeSpan Claim = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>Stores one push per device of the user; nothing is sent before it is stored.</summary>
    public async Task EnqueueAsync(string userId, string payload, CancellationToken cancellationToken)
    {
        foreach (var device in await subscriptions.ListAsync(userId, cancellationToken))
        {
            var id = Ids.New("pso", time);
            var record = new PushOutboxRecord(userId, device.Id, device.Endpoint, device.P256dh, device.Auth, payload, 0, time.GetUtcNow());
            await store.PutAsync(new Item
            {
                Pk = Shard(id),
                Sk = id,
                Data = ItemJson.Serialize(record, PushJson.Default.PushOutboxRecord),
                Version = 1,
                ExpiresAt = time.GetUtcNow() + TimeSpan.FromDays(1),
            }, Condition.NotExists, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var client = new PushServiceClient(http.CreateClient(nameof(PushOutbox))) { DefaultTimeToLive = 24 * 3600 };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DrainAsync(client, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
            // Wall-clock pacing: tests move the app's clock by days.
            await Task.Delay(Interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task DrainAsync(PushServiceClient client, CancellationToken cancellationToken)
    {
        var keys = await subscriptions.KeysAsync(cancellationToken);
        using var vapid = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = options.Value.Subject };
        for (var shard = 0; shard < Shards; shard++)
        {
            var page = await store.QueryAsync(new Query { Pk = $"PUSHOUT#{shard}", Limit = 50 }, cancellationToken);
            foreach (var item in page.Items)
            {
                var push = ItemJson.Deserialize(item, PushJson.Default.PushOutboxRecord);
                var now = time.GetUtcNow();
                if (push.NotBefore > now || push.ClaimedUntil > now)
                {
                    continue;
                }
                // Claim it, so another node does not send it too.
                var claimed = item with { Data = ItemJson.Serialize(push with { ClaimedUntil = now + Claim }, PushJson.Default.PushOutboxRecord), Version = item.Version + 1 };
                if (!await store.PutAsync(claimed, Condition.VersionIs(item.Version), cancellationToken))
                {
                    continue;
                }
                await SendAsync(client, vapid, claimed, push, cancellationToken);
            }
        }
    }

    private async Task SendAsync(PushServiceClient client, VapidAuthentication vapid, Item item, PushOutboxRecord push, CancellationToken cancellationToken)
    {
        var subscription = new PushSubscription { Endpoint = push.Endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, push.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, push.Auth);
        try
        {
            await client.RequestPushMessageDeliveryAsync(subscription, new PushMessage(push.Payload) { Urgency = PushMessageUrgency.Normal }, vapid, VapidAuthenticationScheme.Vapid, cancellationToken);
            await store.DeleteAsync(item.Key, Condition.None, cancellationToken);
        }
        catch (PushServiceClientException gone) when (gone.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Gone)
        {
            await subscriptions.RemoveAsync(push.UserId, push.SubscriptionId, cancellationToken);
            await store.DeleteAsync(item.Key, Condition.None, cancellationToken);
            LogGone(logger, push.SubscriptionId);
        }
        catch (Exception e) when (e is PushServiceClientException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (push.Attempts + 1 >= MaxAttempts)
            {
                await store.DeleteAsync(item.Key, Condition.None, cancellationToken);
                LogDropped(logger, e, push.SubscriptionId);
                return;
            }
            var retry = push with { Attempts = push.Attempts + 1, NotBefore = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Pow(4, push.Attempts)), ClaimedUntil = null };
            await store.PutAsync(item with { Data = ItemJson.Serialize(retry, PushJson.Default.PushOutboxRecord), Version = item.Version + 1 }, Condition.VersionIs(item.Version), cancellationToken);
        }
    }

    private static string Shard(string id) => $"PUSHOUT#{Convert.ToInt32(id[^1].ToString(), 16) % Shards}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The push outbox could not be read; it is tried again")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Push subscription {SubscriptionId} is gone (404/410); removed")]
    private static partial void LogGone(ILogger logger, string subscriptionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push to {SubscriptionId} failed six times; dropped")]
    private static partial void LogDropped(ILogger logger, Exception exception, string subscriptionId);
}
