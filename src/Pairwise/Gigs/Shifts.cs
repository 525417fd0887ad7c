using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Swipes;

namespace Pairwise.Gigs;

/// <summary>A job I responded to, as I see it: the job, my response's state, the window, and the match once I was chosen.</summary>
public sealed record ShiftResponse(ListingResponse Job, string Status, DateTimeOffset RespondedAt, JobWindow? Window, string? MatchId, string? ConversationId);

/// <summary>
/// A worker's shifts: the jobs they responded to, newest response first, each with where it stands
/// (pending while the window is open, selected, rejected, completed) — the worker's side of the
/// matching window, which the job's owner sees as its responses.
/// </summary>
public sealed class Shifts(
    MarketCatalog markets, ProfileStore profiles, SwipeHistory history, ResponseStore responses, ListingStore listings, MatchStore matches, SelectionService selection)
{
    public const int Max = 100;

    public async Task<IReadOnlyList<(ListingRecord Job, ResponseRecord Response, JobWindow? Window, MatchRecord? Match)>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var found = new List<(ListingRecord, ResponseRecord, JobWindow?, MatchRecord?)>();
        var mine = new Dictionary<string, MatchRecord>(StringComparer.Ordinal);
        await foreach (var match in matches.AllForUserAsync(userId, cancellationToken))
        {
            if (match.ListingId is { } job)
            {
                mine[job] = match;
            }
        }
        foreach (var market in markets.All.Where(m => m.MatchRule == MatchRule.Selection))
        {
            foreach (var side in market.Sides.Where(s => s.Presentation != Presentation.Listings))
            {
                if (await profiles.FindOwnAsync(userId, market.Id, side.Id, cancellationToken) is not { } worker)
                {
                    continue;
                }
                var liked = (await history.SwipesOfAsync(worker.Record.Id, cancellationToken)).Values.Where(s => SwipeActions.IsLike(s.Action))
                    .OrderByDescending(s => s.At).Take(Max);
                foreach (var swipe in liked)
                {
                    if (await responses.GetAsync(swipe.CardId, worker.Record.Id, cancellationToken) is { } response
                        && await listings.GetIncludingExpiredAsync(swipe.CardId, cancellationToken) is { } job)
                    {
                        found.Add((job.Record, response.Record, await selection.WindowAsync(userId, job.Record.Id, cancellationToken), mine.GetValueOrDefault(job.Record.Id)));
                    }
                }
            }
        }
        return found;
    }
}

public static class ShiftEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/me/shifts", List).WithTags("Gigs").WithSummary("My shifts (workers)")
            .WithDescription($"The jobs I responded to, newest first (up to {Shifts.Max}): the job, my response's state (pending, selected, rejected, completed), "
                + "the matching window while it runs, and the match and conversation once I was selected.");
        return v1;
    }

    public static async Task<Ok<ListResponse<ShiftResponse>>> List(ClaimsPrincipal principal, Shifts shifts, ImageLinks links, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ListResponse<ShiftResponse>(
            [.. (await shifts.ListAsync(principal.UserId(), cancellationToken)).Select(s =>
                new ShiftResponse(ListingResponse.From(s.Job, links), s.Response.Status, s.Response.At, s.Window, s.Match?.Id, s.Match?.ConversationId))],
            null));
}
