using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;

namespace Pairwise.Payments;

public static class PaymentEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/listings/{id}/promotions", Order).WithTags("Promotions")
            .WithSummary("Promote my listing")
            .WithDescription("A boost (1–3) for 1–30 days. With card payments: answers a checkoutUrl to send the seller to; the boost starts when the payment "
                + "is confirmed. Otherwise the price is taken from the seller's credits (GET /v1/me/credits) and the boost starts at once.")
            .WithExample("""{"days":7,"boost":2}""");
        v1.MapGet("/promotions/{id}", Get).WithTags("Promotions").WithSummary("One of my promotions").WithDescription("pending until paid, then active, then ended.");
        v1.MapGet("/me/credits", Credits).WithTags("Promotions").WithSummary("My promotion credits");
        v1.MapPost("/operator/credits", Grant).WithTags("Operator").RequireAuthorization(Policies.Operator)
            .WithSummary("Grant promotion credits").WithDescription("Operators only. A negative amount takes credits back (never below zero).")
            .WithExample("""{"email":"seller@example.com","amount":5000}""");
        v1.MapPost("/payments/stripe/webhook", Webhook).WithTags("Promotions").AllowAnonymous().DisableAntiforgery()
            .WithSummary("Stripe's events").WithDescription("For Stripe only: events signed with Pairwise:Stripe:WebhookSecret; anything else is a 400.");
        return v1;
    }

    public static async Task<Results<Created<PromotionResponse>, ValidationProblem, ProblemHttpResult>> Order(
        string id, PromotionRequest request, ClaimsPrincipal principal, HttpContext http, Promotions promotions, CancellationToken cancellationToken)
    {
        var outcome = await promotions.OrderAsync(principal.UserId(), id, request.Days, request.Boost, $"{http.Request.Scheme}://{http.Request.Host}", cancellationToken);
        return outcome.Status switch
        {
            PromotionStatus.Done => TypedResults.Created($"/v1/promotions/{outcome.Promotion!.Id}", PromotionResponse.From(outcome.Promotion)),
            PromotionStatus.NotFound => Problems.NotFound(outcome.Detail!),
            PromotionStatus.NoCredits => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status402PaymentRequired, title: "Not enough credits"),
            _ => Problems.Conflict(outcome.Detail!),
        };
    }

    public static async Task<Results<Ok<PromotionResponse>, ProblemHttpResult>> Get(string id, ClaimsPrincipal principal, Promotions promotions, CancellationToken cancellationToken) =>
        await promotions.GetAsync(principal.UserId(), id, cancellationToken) is { } promotion
            ? TypedResults.Ok(PromotionResponse.From(promotion))
            : Problems.NotFound($"You have no promotion '{id}'.");

    public static async Task<Ok<CreditsResponse>> Credits(ClaimsPrincipal principal, Promotions promotions, Microsoft.Extensions.Options.IOptions<PromotionOptions> prices, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CreditsResponse(await promotions.BalanceAsync(principal.UserId(), cancellationToken), prices.Value.Currency));

    public static async Task<Results<Ok<CreditsResponse>, ProblemHttpResult>> Grant(
        CreditsRequest request, Promotions promotions, Microsoft.Extensions.Options.IOptions<PromotionOptions> prices, CancellationToken cancellationToken) =>
        await promotions.GrantAsync(request.Email, request.Amount, cancellationToken) is { } balance
            ? TypedResults.Ok(new CreditsResponse(balance, prices.Value.Currency))
            : Problems.NotFound($"There is no account '{request.Email}'.");

    public static async Task<Results<Ok, ProblemHttpResult>> Webhook(HttpRequest request, StripeWebhook webhook, CancellationToken cancellationToken)
    {
        if (request.ContentLength > 256 * 1024)
        {
            return TypedResults.Problem("An event is at most 256 KB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        return await webhook.HandleAsync(body, request.Headers["Stripe-Signature"], cancellationToken) == WebhookStatus.BadSignature
            ? Problems.BadRequest("The Stripe-Signature header does not match this body and the endpoint's secret (or it is more than five minutes old).")
            : TypedResults.Ok();
    }
}
