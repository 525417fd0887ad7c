using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;

namespace Pairwise.Deals;

/// <param name="Note">A line for the other party ("can pick up tonight").</param>
public sealed record MakeOfferRequest([Required] decimal? Amount, [MaxLength(DealService.MaxNoteLength)] string? Note);

/// <param name="Reason">Why the system closed it (the listing was reserved for or sold to another buyer).</param>
public sealed record OfferResponse(
    string Id, string MatchId, string ConversationId, string ListingId, string ByUserId, decimal Amount, string? Currency, string? Note, string Status,
    DateTimeOffset At, DateTimeOffset? AnsweredAt, string? Reason)
{
    public static OfferResponse From(PriceOffer o, string conversationId) =>
        new(o.Id, o.MatchId, conversationId, o.ListingId, o.ByUserId, o.Amount, o.Currency, o.Note, o.Status, o.At, o.AnsweredAt, o.Reason);
}

/// <param name="Pending">The offer waiting for an answer, if any.</param>
/// <param name="Accepted">The accepted offer while the deal is on (the listing is reserved).</param>
/// <param name="ListingStatus">The listing's status now (active, reserved, sold…), or null when it is gone.</param>
public sealed record DealResponse(
    string MatchId, string ListingId, string? ListingStatus, decimal? ListingPrice, string? SellerUserId, IReadOnlyList<OfferResponse> Offers, string? Pending, string? Accepted)
{
    public static DealResponse From(DealView view) => new(view.Match.Id, view.Match.ListingId!, view.Listing?.Status, view.Listing?.Price, view.Listing?.OwnerUserId,
        [.. view.Offers.Select(o => OfferResponse.From(o, view.Match.ConversationId))], view.Pending, view.Accepted);
}

public static class DealEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var deal = v1.MapGroup("/matches/{matchId}/offers").WithTags("Deals");
        deal.MapGet("/", Get).WithSummary("The deal in a conversation")
            .WithDescription("For either member of a buyer's match about a listing (marketplace): every priced offer, oldest first, which one is open and which "
                + "accepted, and the listing's status and price now.");
        deal.MapPost("/", Make).WithSummary("Propose an amount")
            .WithDescription("Either party proposes a price (in the market's currency). It counters the other party's open offer (which becomes \"countered\"), "
                + "or replaces your own (\"withdrawn\"). Only while the listing is live and no offer is accepted. The other party is notified.")
            .WithExample("""{"amount":350,"note":"Can pick it up tonight in Central."}""");
        foreach (var (action, summary, description) in new[]
        {
            (DealActions.Accept, "Accept an offer", "The party who did not make the offer accepts it: the listing is reserved (it leaves feeds and search) "
                + "and every other buyer's open offer on it is declined, with a notice."),
            (DealActions.Decline, "Decline an offer", "The party who did not make the offer declines it."),
            (DealActions.Withdraw, "Withdraw my offer", "Its maker takes back a pending offer."),
            (DealActions.Cancel, "Call the deal off", "Either party ends an accepted deal: the listing is back on sale."),
            (DealActions.Complete, "Mark the deal done", "The seller, once the item has changed hands: the listing is sold, other open offers are declined, "
                + "and both may review each other."),
        })
        {
            deal.MapPost($"/{{offerId}}/{action}", (string matchId, string offerId, ClaimsPrincipal principal, DealService deals, CancellationToken cancellationToken) =>
                AnswerAsync(matchId, offerId, action, principal, deals, cancellationToken))
                .WithName($"{action}Offer").WithSummary(summary).WithDescription(description);
        }
        return v1;
    }

    public static async Task<Results<Ok<DealResponse>, ProblemHttpResult>> Get(string matchId, ClaimsPrincipal principal, DealService deals, CancellationToken cancellationToken)
    {
        var (view, problem) = await deals.ViewAsync(principal.UserId(), matchId, cancellationToken);
        if (view is null)
        {
            return Failure(problem!);
        }
        return TypedResults.Ok(DealResponse.From(view));
    }

    public static async Task<Results<Created<OfferResponse>, ValidationProblem, ProblemHttpResult>> Make(
        string matchId, MakeOfferRequest request, ClaimsPrincipal principal, DealService deals, CancellationToken cancellationToken)
    {
        var outcome = await deals.MakeAsync(principal.UserId(), matchId, request.Amount ?? 0, request.Note, cancellationToken);
        return outcome.Status switch
        {
            DealStatus.Done => TypedResults.Created($"/v1/matches/{matchId}/offers", OfferResponse.From(outcome.Offer!, outcome.ConversationId!)),
            DealStatus.Invalid => Problems.Invalid(outcome.Field!, outcome.Detail!),
            _ => Failure(outcome),
        };
    }

    private static async Task<Results<Ok<OfferResponse>, ProblemHttpResult>> AnswerAsync(
        string matchId, string offerId, string action, ClaimsPrincipal principal, DealService deals, CancellationToken cancellationToken)
    {
        var outcome = await deals.AnswerAsync(principal.UserId(), matchId, offerId, action, cancellationToken);
        return outcome.Status == DealStatus.Done ? TypedResults.Ok(OfferResponse.From(outcome.Offer!, outcome.ConversationId!)) : Failure(outcome);
    }

    private static ProblemHttpResult Failure(DealOutcome outcome) =>
        outcome.Status == DealStatus.NotFound ? Problems.NotFound(outcome.Detail!) : Problems.Conflict(outcome.Detail!);
}
