using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Ranking;
using Pairwise.Swipes;

namespace Pairwise.Gigs;

public static class SelectionEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var job = v1.MapGroup("/listings/{jobId}").WithTags("Gigs");
        job.MapPost("/responses", Respond).WithSummary("Respond to a job (workers)")
            .WithDescription("While you are available and the job's matching window is open (it opens with the first response). The same as a like on the job. The response's id is your worker profile's id.");
        job.MapGet("/responses", ListResponses).WithSummary("The responses to my job, ranked")
            .WithDescription("For the job's owner: each response with its state (pending, selected, rejected, completed), and the job's ranking of that worker with its explanation.");
        job.MapPost("/responses/{responseId}/select", Select).WithSummary("Select the worker for my job")
            .WithDescription("Closes the job, makes the worker busy, opens a match and a conversation, and rejects (and tells) the others. Exactly once, however many requests race.");
        job.MapGet("/window", Window).WithSummary("The job's matching window")
            .WithDescription("For the job's owner and the workers who responded: isOpen, openedAt (the first response, or the posting), closesAt and the window's length in minutes.");
        job.MapPost("/complete", Complete).WithSummary("Mark my job completed")
            .WithDescription("The worker becomes available again and both of you may review each other (contextId: the match). The job is deleted 90 days later.");
        return v1;
    }

    public static async Task<Results<Created<ResponseSummary>, ProblemHttpResult>> Respond(
        string jobId, ClaimsPrincipal principal, SwipeService swipes, ListingStore listings, MarketCatalog markets, CancellationToken cancellationToken)
    {
        if (await listings.GetAsync(jobId, cancellationToken) is not { } job || markets.Find(job.Record.Market) is not { MatchRule: MatchRule.Selection } market)
        {
            return Problems.NotFound($"There is no job '{jobId}' taking responses.");
        }
        var side = market.Sides.First(s => market.CounterpartOf(s).Id == job.Record.Side && s.Id != job.Record.Side).Id;
        var outcome = await swipes.SwipeAsync(principal.UserId(), jobId, SwipeActions.Like, side, cancellationToken);
        if (outcome.Status != SwipeStatus.Done)
        {
            return outcome.Status == SwipeStatus.NoSuchCard ? Problems.NotFound($"There is no job '{jobId}' taking responses.") : Problems.Conflict(outcome.Detail ?? "You cannot respond to this job.");
        }
        var (viewer, _) = await swipes.ViewerForAsync(principal.UserId(), market, market.FindSide(job.Record.Side)!, side, cancellationToken);
        return TypedResults.Created($"/v1/listings/{jobId}/responses", new ResponseSummary(viewer!.Record.Id, jobId, ResponseStatus.Pending));
    }

    public static async Task<Results<Ok<ListResponse<ResponseResponse>>, ProblemHttpResult>> ListResponses(
        string jobId, ClaimsPrincipal principal, SelectionService selection, CancellationToken cancellationToken) =>
        await selection.ListResponsesAsync(principal.UserId(), jobId, cancellationToken) is { } views
            ? TypedResults.Ok(new ListResponse<ResponseResponse>([.. views.Select(ResponseResponse.From)], null))
            : Problems.NotFound($"You have no job '{jobId}'.");

    public static async Task<Results<Ok<JobWindow>, ProblemHttpResult>> Window(string jobId, ClaimsPrincipal principal, SelectionService selection, CancellationToken cancellationToken) =>
        await selection.WindowAsync(principal.UserId(), jobId, cancellationToken) is { } window
            ? TypedResults.Ok(window)
            : Problems.NotFound($"There is no job '{jobId}' of yours or that you responded to.");

    public static async Task<Results<Ok<SelectionResponse>, ProblemHttpResult>> Select(
        string jobId, string responseId, ClaimsPrincipal principal, SelectionService selection, CancellationToken cancellationToken) =>
        Result(await selection.SelectAsync(principal.UserId(), jobId, responseId, cancellationToken));

    public static async Task<Results<Ok<SelectionResponse>, ProblemHttpResult>> Complete(
        string jobId, ClaimsPrincipal principal, SelectionService selection, CancellationToken cancellationToken) =>
        Result(await selection.CompleteAsync(principal.UserId(), jobId, cancellationToken));

    private static Results<Ok<SelectionResponse>, ProblemHttpResult> Result(SelectionOutcome outcome) => outcome.Status switch
    {
        SelectionStatus.Done => TypedResults.Ok(new SelectionResponse(outcome.Match!.Id, outcome.Match.ConversationId, outcome.Match.ProfileIds[1], outcome.Match.UserIds[1])),
        SelectionStatus.NotFound => Problems.NotFound(outcome.Detail!),
        _ => Problems.Conflict(outcome.Detail!),
    };
}

public sealed record ResponseSummary(string Id, string JobId, string Status);

public sealed record ResponseResponse(
    string Id, string WorkerUserId, string WorkerProfileId, string? DisplayName, string? CardId, string Status, DateTimeOffset RespondedAt, int? Rank, double? Score, Explanation? Explanation)
{
    public static ResponseResponse From(ResponseView v) =>
        new(v.Response.WorkerProfileId, v.Response.WorkerUserId, v.Response.WorkerProfileId, v.DisplayName, v.CardId, v.Response.Status, v.Response.At, v.Rank, v.Score, v.Explanation);
}

public sealed record SelectionResponse(string MatchId, string ConversationId, string WorkerProfileId, string WorkerUserId);
