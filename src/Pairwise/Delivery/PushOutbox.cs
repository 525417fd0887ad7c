using System.Text.Json.Serialization;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Options;
using Pairwise.Storage;

namespace Pairwise.Delivery;

/// <summary>One push for one device, as it waits in the outbox.</summary>
public sealed record PushOutboxRecord(string UserId, string SubscriptionId, string Endpoint, string P256dh, string Auth, string Payload);

/// <summary>
/// Web Push delivery: one stored push per device of the user, sent with the platform's VAPID keys
/// through the browser's push service. A device the push service says is gone (404, 410) is
/// removed with its push.
/// </summary>
public sealed partial class PushOutbox(
    IItemStore store, PushSubscriptions subscriptions, IOptions<PushOptions> options, IHttpClientFactory http, TimeProvider time, ILogger<PushOutbox> logger)
    : StoreOutbox<PushOutboxRecord>(store, PushOutboxJson.Default.OutboxEntryPushOutboxRecord, time, logger)
{
    private readonly PushServiceClient _client = new(http.CreateClient(nameof(PushOutbox))) { DefaultTimeToLive = 24 * 3600 };

    protected override string Name => "PUSHOUT";

    /// <summary>Stores one push per device of the user; nothing is sent before it is stored.</summary>
    public async Task EnqueueAsync(string userId, string payload, CancellationToken cancellationToken)
    {
        foreach (var device in await subscriptions.ListAsync(userId, cancellationToken))
        {
            await StoreAsync(new PushOutboxRecord(userId, device.Id, device.Endpoint, device.P256dh, device.Auth, payload), TimeSpan.FromDays(1), cancellationToken);
        }
    }

    protected override async Task<DeliveryResult> DeliverAsync(PushOutboxRecord push, int attempt, CancellationToken cancellationToken)
    {
        var keys = await subscriptions.KeysAsync(cancellationToken);
        using var vapid = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = options.Value.Subject };
        var subscription = new PushSubscription { Endpoint = push.Endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, push.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, push.Auth);
        try
        {
            await _client.RequestPushMessageDeliveryAsync(subscription, new PushMessage(push.Payload) { Urgency = PushMessageUrgency.Normal }, vapid, VapidAuthenticationScheme.Vapid, cancellationToken);
            return DeliveryResult.Sent;
        }
        catch (PushServiceClientException gone) when (gone.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Gone)
        {
            await subscriptions.RemoveAsync(push.UserId, push.SubscriptionId, cancellationToken);
            LogGone(logger, push.SubscriptionId);
            return DeliveryResult.Sent;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Push subscription {SubscriptionId} is gone (404/410); removed")]
    private static partial void LogGone(ILogger logger, string subscriptionId);
}

[JsonSerializable(typeof(OutboxEntry<PushOutboxRecord>))]
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class PushOutboxJson : JsonSerializerContext;
