using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;

namespace Pairwise.Listings;

/// <summary>Saved listings (seed 002 "save an item", seed 003 "portfolio", seed 004 "bookmarks").</summary>
public static class BookmarkEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var bookmarks = v1.MapGroup("/bookmarks").WithTags("Bookmarks");
        bookmarks.MapPut("/{listingId}", Save).WithSummary("Save a listing").WithDescription("Idempotent: saving twice keeps the first time.");
        bookmarks.MapDelete("/{listingId}", Unsave).WithSummary("Unsave a listing").WithDescription("Idempotent.");
        bookmarks.MapGet("/", List).WithSummary("My saved listings")
            .WithDescription("Newest first. Listings deleted or expired since they were saved are left out.");
        return v1;
    }

    public static async Task<Results<Created<BookmarkResponse>, Ok<BookmarkResponse>, ProblemHttpResult>> Save(
        string listingId, ClaimsPrincipal principal, Bookmarks bookmarks, ImageLinks links, CancellationToken cancellationToken)
    {
        if (await bookmarks.SaveAsync(principal.UserId(), listingId, cancellationToken) is not { } saved)
        {
            return Problems.NotFound($"There is no listing '{listingId}'.");
        }
        var response = new BookmarkResponse(ListingResponse.From(saved.Listing, links), saved.SavedAt);
        return saved.Created ? TypedResults.Created("/v1/bookmarks", response) : TypedResults.Ok(response);
    }

    public static async Task<NoContent> Unsave(string listingId, ClaimsPrincipal principal, Bookmarks bookmarks, ImageLinks links, CancellationToken cancellationToken)
    {
        await bookmarks.RemoveAsync(principal.UserId(), listingId, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ListResponse<BookmarkResponse>>, ValidationProblem>> List(
        ClaimsPrincipal principal, Bookmarks bookmarks, ImageLinks links, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > ListingEndpoints.MaxBrowseLimit)
        {
            return Problems.Invalid("limit", $"Must be 1–{ListingEndpoints.MaxBrowseLimit}.");
        }
        var (items, next) = await bookmarks.ListAsync(principal.UserId(), limit ?? 20, cursor, cancellationToken);
        return TypedResults.Ok(new ListResponse<BookmarkResponse>([.. items.Select(b => new BookmarkResponse(ListingResponse.From(b.Listing, links), b.SavedAt))], next));
    }
}

public sealed record BookmarkResponse(ListingResponse Listing, DateTimeOffset SavedAt);
