using Microsoft.Extensions.Options;
using Pairwise.Storage;
using Stripe;
using Stripe.Checkout;

namespace Pairwise.Payments;

public enum WebhookStatus
{
    Handled,
    AlreadyHandled,
    BadSignature,
}

/// <summary>
/// Stripe's events, trusted only when signed with the endpoint's secret (the <c>Stripe-Signature</c>
/// header: a timestamp within five minutes and an HMAC-SHA256 of it and the exact body), and each
/// applied once however often Stripe delivers it. A paid Checkout session starts its promotion; an
/// expired one ends it unpaid; a refund ends the boost.
/// </summary>
public sealed class StripeWebhook(IItemStore store, Promotions promotions, IOptions<StripeOptions> options, TimeProvider time)
{
    public async Task<WebhookStatus> HandleAsync(string body, string? signature, CancellationToken cancellationToken)
    {
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(body, signature ?? "", options.Value.WebhookSecret ?? "", tolerance: 300, throwOnApiVersionMismatch: false);
        }
        catch (StripeException)
        {
            return WebhookStatus.BadSignature;
        }
        var seen = PaymentKeys.Event("stripe", stripeEvent.Id);
        if (await store.GetAsync(seen, cancellationToken) is not null)
        {
            return WebhookStatus.AlreadyHandled;
        }
        switch (stripeEvent.Data.Object)
        {
            case Session { PaymentStatus: "paid" } session when stripeEvent.Type is EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded:
                await promotions.PaidAsync("stripe", session.Id, session.PaymentIntentId, cancellationToken);
                break;
            case Session session when stripeEvent.Type == EventTypes.CheckoutSessionExpired:
                await promotions.EndedAsync("stripe", session.Id, cancellationToken);
                break;
            case Charge charge when stripeEvent.Type == EventTypes.ChargeRefunded && charge.PaymentIntentId is { } paymentIntent:
                await promotions.EndedAsync("stripe", paymentIntent, cancellationToken);
                break;
        }
        // Recorded after it is applied: a delivery that failed half-way is applied again, and applying is idempotent.
        await store.PutAsync(new Item { Pk = seen.Pk, Sk = seen.Sk, Version = 1, ExpiresAt = time.GetUtcNow().AddDays(30) }, Condition.None, cancellationToken);
        return WebhookStatus.Handled;
    }
}
