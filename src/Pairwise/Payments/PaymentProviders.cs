using Microsoft.Extensions.Options;
using Pairwise.Platform;
using Stripe;
using Stripe.Checkout;

namespace Pairwise.Payments;

/// <summary>A checkout a seller is sent to: the provider's reference for it and the address to pay at.</summary>
public sealed record Checkout(string Reference, string Url);

/// <summary>What a payment provider does for promotions: open a checkout for an amount, tied to our promotion.</summary>
public interface IPaymentProvider
{
    string Name { get; }

    Task<Checkout> CheckoutAsync(PromotionRecord promotion, string description, string baseUrl, CancellationToken cancellationToken);
}

/// <summary>
/// Stripe Checkout: a one-off payment page for the promotion's amount, its session tied to our
/// promotion by <c>client_reference_id</c>. The promotion starts only when Stripe's signed webhook
/// says the session was paid (<see cref="StripeWebhook"/>), never on the seller's return.
/// </summary>
public sealed class StripePayments(IOptions<StripeOptions> options) : IPaymentProvider
{
    private readonly StripeClient _client = new(options.Value.SecretKey, apiBase: string.IsNullOrEmpty(options.Value.ApiBase) ? null : options.Value.ApiBase);

    public string Name => "stripe";

    public async Task<Checkout> CheckoutAsync(PromotionRecord promotion, string description, string baseUrl, CancellationToken cancellationToken)
    {
        try
        {
            var session = await new SessionService(_client).CreateAsync(new SessionCreateOptions
            {
                Mode = "payment",
                ClientReferenceId = promotion.Id,
                Metadata = new Dictionary<string, string> { ["promotionId"] = promotion.Id, ["listingId"] = promotion.ListingId },
                LineItems =
                [
                    new SessionLineItemOptions
                    {
                        Quantity = 1,
                        PriceData = new SessionLineItemPriceDataOptions
                        {
                            Currency = promotion.Currency,
                            UnitAmount = promotion.Amount,
                            ProductData = new SessionLineItemPriceDataProductDataOptions { Name = description },
                        },
                    },
                ],
                SuccessUrl = Absolute(baseUrl, options.Value.SuccessUrl),
                CancelUrl = Absolute(baseUrl, options.Value.CancelUrl),
            }, new RequestOptions { IdempotencyKey = promotion.Id }, cancellationToken);
            return new Checkout(session.Id, session.Url);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DependencyUnavailableException("The payment provider is not answering; nothing was charged. Try again shortly.", e);
        }
    }

    private static string Absolute(string baseUrl, string url) => Uri.TryCreate(url, UriKind.Absolute, out _) ? url : baseUrl.TrimEnd('/') + url;
}
