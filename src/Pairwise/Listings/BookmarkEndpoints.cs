using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;
using Pairwise.Storage;

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
        string listingId, ClaimsPrincipal principal, IItemStore store, ListingService listings, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = principal.UserId();
        if (await listings.FindVisibleAsync(listingId, userId, cancellationToken) is not { } listing)
        {
            return Problems.NotFound($"There is no listing '{listingId}'.");
        }
        var key = ListingKeys.Bookmark(userId, listingId);
        var record = new BookmarkRecord(listingId, time.GetUtcNow());
        var saved = await store.PutAsync(new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Gsi1Pk = ListingKeys.BookmarkIndex(userId),
            Gsi1Sk = $"{record.SavedAt.UtcDateTime:yyyyMMddHHmmssfffffff}#{listingId}",
            Data = ItemJson.Serialize(record, ListingJson.Default.BookmarkRecord),
            Version = 1,
        }, Condition.NotExists, cancellationToken);
        if (saved)
        {
            return TypedResults.Created("/v1/bookmarks", new BookmarkResponse(ListingResponse.From(listing.Record), record.SavedAt));
        }
        var existing = ItemJson.Deserialize((await store.GetAsync(key, cancellationToken))!, ListingJson.Default.BookmarkRecord);
        return TypedResults.Ok(new BookmarkResponse(ListingResponse.From(listing.Record), existing.SavedAt));
    }

    public static async Task<NoContent> Unsave(string listingId, ClaimsPrincipal principal, IItemStore store, CancellationToken cancellationToken)
    {
        if (listingId.Length <= 64)
        {
            await store.DeleteAsync(ListingKeys.Bookmark(principal.UserId(), listingId), Condition.None, cancellationToken);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ListResponse<BookmarkResponse>>, ValidationProblem>> List(
        ClaimsPrincipal principal, IItemStore store, ListingStore listings, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > ListingEndpoints.MaxBrowseLimit)
        {
            return Problems.Invalid("limit", $"Must be 1–{ListingEndpoints.MaxBrowseLimit}.");
        }
        var userId = principal.UserId();
        var wanted = limit ?? 20;
        var results = new List<BookmarkResponse>();
        // Gone listings are skipped (and their bookmarks removed), so keep reading until the page is full.
        do
        {
            var page = await store.QueryAsync(new Query { Index = ItemIndex.Gsi1, Pk = ListingKeys.BookmarkIndex(userId), Descending = true, Limit = wanted - results.Count, Cursor = cursor }, cancellationToken);
            var bookmarks = page.Items.Select(i => ItemJson.Deserialize(i, ListingJson.Default.BookmarkRecord)).ToList();
            var found = (await listings.GetManyAsync([.. bookmarks.Select(b => b.ListingId)], cancellationToken)).ToDictionary(l => l.Id);
            foreach (var bookmark in bookmarks)
            {
                if (found.TryGetValue(bookmark.ListingId, out var listing) && (listing.Status != ListingRules.Draft || listing.OwnerUserId == userId))
                {
                    results.Add(new BookmarkResponse(ListingResponse.From(listing), bookmark.SavedAt));
                }
                else if (!found.ContainsKey(bookmark.ListingId))
                {
                    await store.DeleteAsync(ListingKeys.Bookmark(userId, bookmark.ListingId), Condition.None, cancellationToken);
                }
            }
            cursor = page.Cursor;
        }
        while (cursor is not null && results.Count < wanted);
        return TypedResults.Ok(new ListResponse<BookmarkResponse>(results, cursor));
    }
}

public sealed record BookmarkResponse(ListingResponse Listing, DateTimeOffset SavedAt);
