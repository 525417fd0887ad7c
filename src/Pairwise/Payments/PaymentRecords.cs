using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Payments;

/// <summary>Every key the payments feature writes (see docs/keys.md).</summary>
public static class PaymentKeys
{
    public static ItemKey Promotion(string promotionId) => new($"PROMOTION#{promotionId}", "PROMOTION");

    /// <summary>A provider's reference (a Checkout session, a payment) → our promotion.</summary>
    public static ItemKey Reference(string provider, string reference) => new($"PAYMENT-REF#{provider}#{reference}", "REF");

    /// <summary>A provider's event already handled: each is applied once however often it is delivered.</summary>
    public static ItemKey Event(string provider, string eventId) => new($"PAYMENT-EVENT#{provider}#{eventId}", "EVENT");

    /// <summary>A user's promotion credits (an atomic counter, in the smallest currency unit).</summary>
    public static ItemKey Credits(string userId) => new($"USER#{userId}", "CREDITS");
}

public static class PromotionStates
{
    public const string Pending = "pending";
    public const string Active = "active";
    public const string Ended = "ended";
}

/// <param name="Boost">1–3: how strongly the listing is lifted in feeds while the promotion runs.</param>
public sealed record PromotionRecord(
    string Id, string ListingId, string UserId, int Days, int Boost, long Amount, string Currency, string Provider, string State,
    DateTimeOffset CreatedAt, string? CheckoutUrl = null, string? PaymentReference = null, DateTimeOffset? EndsAt = null);

public sealed record PromotionRequest([Range(1, 30)] int Days, [Range(1, 3)] int Boost);

/// <param name="CheckoutUrl">Where to send the seller to pay (card payments); null when it was paid with credits.</param>
public sealed record PromotionResponse(string Id, string ListingId, int Days, int Boost, long Amount, string Currency, string State, string? CheckoutUrl, DateTimeOffset? EndsAt)
{
    public static PromotionResponse From(PromotionRecord p) => new(p.Id, p.ListingId, p.Days, p.Boost, p.Amount, p.Currency, p.State, p.CheckoutUrl, p.EndsAt);
}

public sealed record CreditsRequest([Required, EmailAddress, MaxLength(254)] string Email, [Range(-1_000_000_00, 1_000_000_00)] long Amount);

public sealed record CreditsResponse(long Balance, string Currency);

/// <summary>The <c>Pairwise:Promotions</c> section: what a promotion costs.</summary>
public sealed class PromotionOptions
{
    /// <summary>The price of one day at boost 1, in the currency's smallest unit (cents): a boost of 2 costs twice as much.</summary>
    [Range(0, 1_000_000)]
    public long PricePerDay { get; set; } = 200;

    [RegularExpression("^[a-z]{3}$", ErrorMessage = "Pairwise:Promotions:Currency must be a three-letter ISO code in lower case, e.g. usd.")]
    public string Currency { get; set; } = "usd";
}

/// <summary>The <c>Pairwise:Stripe</c> section. Without a secret key, promotions are paid with credits an operator grants.</summary>
public sealed class StripeOptions
{
    public string? SecretKey { get; set; }

    /// <summary>The signing secret of the webhook endpoint (whsec_…) that Stripe shows when you add POST /v1/payments/stripe/webhook.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Where the seller lands after paying or giving up (the app's own pages by default).</summary>
    public string SuccessUrl { get; set; } = "/#/listings?promotion=paid";

    public string CancelUrl { get; set; } = "/#/listings?promotion=cancelled";

    /// <summary>Another API address (a proxy, or a stand-in in tests); empty: Stripe's own.</summary>
    public string? ApiBase { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(SecretKey);
}

[JsonSerializable(typeof(PromotionRecord))]
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class PaymentJson : JsonSerializerContext;
