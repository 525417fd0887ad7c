using System.Security.Cryptography;
using System.Text;
using Pairwise.Tests.Scenarios;

namespace Pairwise.Tests.Payments;

/// <summary>Paid promotion: by Stripe Checkout and its signed webhook, or by credits an operator grants.</summary>
public sealed class PromotionTests
{
    private const string WebhookSecret = "whsec_test_0123456789abcdef";

    [Theory]
    [OnEachEngine]
    public async Task AStripeSignedPaymentPromotesTheListingOnceAndATamperedOneChangesNothing(Engine engine)
    {
        await using var stripe = await RecordingServer.StartAsync(_ => (200,
            """{"id":"cs_test_a1","object":"checkout.session","url":"https://checkout.stripe.com/c/pay/cs_test_a1","payment_status":"unpaid","mode":"payment"}"""));
        using var app = new PairwiseApp(engine, new()
        {
            ["Pairwise:Stripe:SecretKey"] = "sk_test_pairwise",
            ["Pairwise:Stripe:WebhookSecret"] = WebhookSecret,
            ["Pairwise:Stripe:ApiBase"] = stripe.Address,
        });
        var seller = await Marketplace.SellerAsync(app);
        var listing = (await Marketplace.ProductAsync(seller)).GetProperty("id").GetString()!;

        var order = await Expect.Json(await seller.Client.PostAsJsonAsync($"/v1/listings/{listing}/promotions", new { days = 7, boost = 2 }), HttpStatusCode.Created);
        Assert.Equal("pending", order.GetProperty("state").GetString());
        Assert.Equal("https://checkout.stripe.com/c/pay/cs_test_a1", order.GetProperty("checkoutUrl").GetString());
        Assert.Equal(2800, order.GetProperty("amount").GetInt64());
        // The Checkout call as Stripe receives it.
        var call = Assert.Single(stripe.Requests);
        Assert.Equal("/v1/checkout/sessions", call.Path);
        Assert.Equal("Bearer sk_test_pairwise", call.Headers["Authorization"]);
        Assert.Equal(order.GetProperty("id").GetString(), call.Form["client_reference_id"]);
        Assert.Equal("2800", call.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("payment", call.Form["mode"]);
        Assert.Null((await ListingAsync(seller, listing)).Promotion);

        var paid = Event("evt_paid_1", "checkout.session.completed", """{"id":"cs_test_a1","object":"checkout.session","payment_status":"paid","payment_intent":"pi_a1"}""");
        // Tampered: the body changed after signing. Refused, nothing changes.
        var (signed, signature) = Sign(paid);
        await Expect.Problem(await Webhook(app, signed.Replace("cs_test_a1", "cs_test_b2", StringComparison.Ordinal), signature), HttpStatusCode.BadRequest);
        await Expect.Problem(await Webhook(app, signed, "t=1,v1=00"), HttpStatusCode.BadRequest);
        Assert.Null((await ListingAsync(seller, listing)).Promotion);

        await Expect.Status(await Webhook(app, signed, signature), HttpStatusCode.OK);
        var promoted = await ListingAsync(seller, listing);
        Assert.Equal(66, promoted.Promotion!.Value.GetProperty("hype").GetInt32());
        Assert.Equal(app.Clock.GetUtcNow().AddDays(7), promoted.Promotion.Value.GetProperty("boostUntil").GetDateTimeOffset());
        Assert.Equal("active", (await Expect.Json(await seller.Client.GetAsync($"/v1/promotions/{order.GetProperty("id").GetString()}"), HttpStatusCode.OK)).GetProperty("state").GetString());

        // The same event again (Stripe retries): nothing more happens.
        await Expect.Status(await Webhook(app, signed, Sign(paid).Signature), HttpStatusCode.OK);
        Assert.Equal(promoted.ETag, (await ListingAsync(seller, listing)).ETag);

        // A refund ends the boost.
        var refund = Event("evt_refund_1", "charge.refunded", """{"id":"ch_a1","object":"charge","payment_intent":"pi_a1","refunded":true}""");
        var (refundBody, refundSignature) = Sign(refund);
        await Expect.Status(await Webhook(app, refundBody, refundSignature), HttpStatusCode.OK);
        Assert.Null((await ListingAsync(seller, listing)).Promotion?.GetProperty("boostUntil").GetString());
        Assert.Equal("ended", (await Expect.Json(await seller.Client.GetAsync($"/v1/promotions/{order.GetProperty("id").GetString()}"), HttpStatusCode.OK)).GetProperty("state").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task WithoutAPaymentProviderPromotionsArePaidWithCreditsAnOperatorGrants(Engine engine)
    {
        using var app = new PairwiseApp(engine, new() { ["Pairwise:Operators:0"] = "ops@example.com" });
        var operatorUser = await app.SignUpAsync("ops@example.com");
        await Expect.Status(await operatorUser.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = app.LatestEmailCode("ops@example.com") }), HttpStatusCode.OK);
        var seller = await Marketplace.SellerAsync(app);
        var listing = (await Marketplace.ProductAsync(seller)).GetProperty("id").GetString()!;

        await Expect.Problem(await seller.Client.PostAsJsonAsync($"/v1/listings/{listing}/promotions", new { days = 5, boost = 1 }), HttpStatusCode.PaymentRequired);
        await Expect.Problem(await seller.Client.PostAsJsonAsync($"/v1/operator/credits", new { email = seller.Email, amount = 5000 }), HttpStatusCode.Forbidden);
        Assert.Equal(5000, (await Expect.Json(await operatorUser.Client.PostAsJsonAsync("/v1/operator/credits", new { email = seller.Email, amount = 5000 }), HttpStatusCode.OK))
            .GetProperty("balance").GetInt64());

        var order = await Expect.Json(await seller.Client.PostAsJsonAsync($"/v1/listings/{listing}/promotions", new { days = 5, boost = 1 }), HttpStatusCode.Created);
        Assert.Equal("active", order.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, order.GetProperty("checkoutUrl").ValueKind);
        Assert.Equal(4000, (await Expect.Json(await seller.Client.GetAsync("/v1/me/credits"), HttpStatusCode.OK)).GetProperty("balance").GetInt64());
        Assert.Equal(33, (await ListingAsync(seller, listing)).Promotion!.Value.GetProperty("hype").GetInt32());

        // Someone else's listing, a bad size, a listing nobody can see: refused, nothing charged.
        var other = await Marketplace.SellerAsync(app);
        var hidden = (await Marketplace.ProductAsync(other, photo: false)).GetProperty("id").GetString()!;
        await Expect.Problem(await seller.Client.PostAsJsonAsync($"/v1/listings/{hidden}/promotions", new { days = 5, boost = 1 }), HttpStatusCode.NotFound);
        await Expect.Problem(await seller.Client.PostAsJsonAsync($"/v1/listings/{listing}/promotions", new { days = 90, boost = 9 }), HttpStatusCode.BadRequest);
        await Expect.Problem(await other.Client.PostAsJsonAsync($"/v1/listings/{hidden}/promotions", new { days = 1, boost = 1 }), HttpStatusCode.Conflict);
        Assert.Equal(4000, (await Expect.Json(await seller.Client.GetAsync("/v1/me/credits"), HttpStatusCode.OK)).GetProperty("balance").GetInt64());
    }

    private static string Event(string id, string type, string obj) =>
        $$$"""{"id":"{{{id}}}","object":"event","api_version":"{{{Stripe.StripeConfiguration.ApiVersion}}}","created":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"livemode":false,"pending_webhooks":1,"type":"{{{type}}}","data":{"object":{{{obj}}}}}""";

    /// <summary>Signed exactly as Stripe signs: t=timestamp, v1=HMAC-SHA256 of "timestamp.body" with the endpoint's secret.</summary>
    private static (string Body, string Signature) Sign(string body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return (body, $"t={timestamp},v1={Convert.ToHexStringLower(mac)}");
    }

    private static async Task<HttpResponseMessage> Webhook(PairwiseApp app, string body, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payments/stripe/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", signature);
        return await app.CreateClient().SendAsync(request);
    }

    private static async Task<(JsonElement? Promotion, string ETag)> ListingAsync(UserSession seller, string id)
    {
        var response = await seller.Client.GetAsync($"/v1/listings/{id}");
        var listing = await Expect.Json(response, HttpStatusCode.OK);
        var promotion = listing.GetProperty("promotion");
        return (promotion.ValueKind == JsonValueKind.Null ? null : promotion, response.Headers.ETag!.Tag);
    }
}
