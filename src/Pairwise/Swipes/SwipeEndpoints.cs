using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;
using Pairwise.Profiles;

namespace Pairwise.Swipes;

public static class SwipeEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var swipe = v1.MapGroup("/listings/{id}/swipe").WithTags("Swipes");
        swipe.MapPost("/", Swipe)
            .WithSummary("Swipe on a card")
            .WithDescription("like, pass or superlike. Idempotent: repeating a swipe answers the same and changes nothing. By the market's rule a like "
                + "makes a match when the other side liked you too (mutual), opens an offer and a conversation with the owner (instant), or records a "
                + "response to the job (selection).")
            .WithExample("""{"action":"like"}""");
        swipe.MapDelete("/", UndoPass).WithSummary("Undo a pass").WithDescription("Only a pass can be taken back; a like is ended by unmatching.");

        var matches = v1.MapGroup("/matches").WithTags("Matches");
        matches.MapGet("/", ListMatches).WithSummary("My matches").WithDescription("Newest first, with the other member and the conversation.");
        matches.MapDelete("/{id}", Unmatch).WithSummary("Unmatch").WithDescription("Ends the match for both; neither will see the other in feeds again.");
        return v1;
    }

    public static async Task<Results<Ok<SwipeResponse>, ValidationProblem, ProblemHttpResult>> Swipe(
        string id, SwipeRequest request, ClaimsPrincipal principal, SwipeService swipes, CancellationToken cancellationToken)
    {
        if (request.Action is not (SwipeActions.Like or SwipeActions.Pass or SwipeActions.Superlike))
        {
            return Problems.Invalid("action", "Must be like, pass or superlike.");
        }
        var outcome = await swipes.SwipeAsync(principal.UserId(), id, request.Action, request.Side, cancellationToken);
        return outcome.Status switch
        {
            SwipeStatus.Done => TypedResults.Ok(new SwipeResponse(outcome.Matched, outcome.MatchId, outcome.ConversationId)),
            SwipeStatus.NoSuchCard => Problems.NotFound($"There is no live listing '{id}'."),
            SwipeStatus.OwnCard => Problems.Conflict("That is your own card."),
            _ => Problems.Conflict(outcome.Detail!),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> UndoPass(string id, string? side, ClaimsPrincipal principal, SwipeService swipes, CancellationToken cancellationToken) =>
        await swipes.UndoPassAsync(principal.UserId(), id, side, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"You have no pass on '{id}' to undo.");

    public static async Task<Results<Ok<ListResponse<MatchResponse>>, ValidationProblem>> ListMatches(
        ClaimsPrincipal principal, MatchStore matchStore, ProfileStore profiles, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100)
        {
            return Problems.Invalid("limit", "Must be 1–100.");
        }
        var userId = principal.UserId();
        var (matches, next) = await matchStore.ListForUserAsync(userId, limit ?? 20, cursor, cancellationToken);
        var others = new List<MatchResponse>();
        foreach (var match in matches)
        {
            var index = match.UserIds[0] == userId ? 1 : 0;
            var other = await profiles.GetAsync(match.ProfileIds[index], cancellationToken);
            others.Add(new MatchResponse(match.Id, match.Market, match.Kind, match.CreatedAt, match.ConversationId, match.ListingId,
                new MatchMember(match.UserIds[index], match.ProfileIds[index], other?.Record.DisplayName, other?.Record.CardId)));
        }
        return TypedResults.Ok(new ListResponse<MatchResponse>(others, next));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unmatch(
        string id, ClaimsPrincipal principal, MatchStore matches, Conversations.ConversationService conversations, CancellationToken cancellationToken)
    {
        if (await matches.GetAsync(id, cancellationToken) is not { } match || !match.Record.UserIds.Contains(principal.UserId()))
        {
            return Problems.NotFound($"You have no match '{id}'.");
        }
        await matches.DeleteAsync(match, cancellationToken);
        await conversations.CloseAsync(match.Record.ConversationId, "unmatched", cancellationToken);
        return TypedResults.NoContent();
    }
}

public sealed record SwipeRequest([Required] string Action, [MaxLength(64)] string? Side);

public sealed record SwipeResponse(bool Matched, string? MatchId, string? ConversationId);

public sealed record MatchMember(string UserId, string ProfileId, string? DisplayName, string? CardId);

public sealed record MatchResponse(string Id, string Market, string Kind, DateTimeOffset CreatedAt, string ConversationId, string? ListingId, MatchMember With);
