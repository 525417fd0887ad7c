using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Payments;

public static class PaymentsModule
{
    public static WebApplicationBuilder AddPayments(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSettings<PromotionOptions>(builder.Configuration, $"{PairwiseOptions.Section}:Promotions");
        services.AddSettings<StripeOptions>(builder.Configuration, $"{PairwiseOptions.Section}:Stripe")
            .Validate(stripe => !stripe.Enabled || !string.IsNullOrEmpty(stripe.WebhookSecret), "Pairwise:Stripe:WebhookSecret is needed with Pairwise:Stripe:SecretKey (promotions start on its signed events).");
        services.AddSingleton<Promotions>();
        services.AddSingleton<StripeWebhook>();
        // Card payments when Stripe is configured; credits granted by operators otherwise.
        services.AddSingleton<IEnumerable<IPaymentProvider>>(provider =>
            provider.GetRequiredService<IOptions<StripeOptions>>().Value.Enabled ? [new StripePayments(provider.GetRequiredService<IOptions<StripeOptions>>())] : []);
        return builder;
    }

    public static RouteGroupBuilder MapPayments(this RouteGroupBuilder v1) => PaymentEndpoints.Map(v1);
}
