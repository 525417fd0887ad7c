using Pairwise.Storage;

namespace Pairwise.Listings;

/// <summary>Saved listings (seed 002 "save an item", seed 003 "portfolio", seed 004 "bookmarks"), newest first.</summary>
public sealed class Bookmarks(IItemStore store, ListingStore listings, Hype hype, TimeProvider time)
{
    /// <summary>Saves a listing the user may see; false with the listing when it was saved before (the first time stands).</summary>
    public async Task<(ListingRecord Listing, DateTimeOffset SavedAt, bool Created)?> SaveAsync(string userId, string listingId, CancellationToken cancellationToken)
    {
        if (await listings.FindVisibleAsync(listingId, userId, cancellationToken) is not { } listing)
        {
            return null;
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
            if (listing.Record.OwnerUserId != userId)
            {
                await hype.RecordAsync(listingId, HypeSignal.Save, cancellationToken);
            }
            return (listing.Record, record.SavedAt, true);
        }
        var existing = ItemJson.Deserialize((await store.GetAsync(key, cancellationToken))!, ListingJson.Default.BookmarkRecord);
        return (listing.Record, existing.SavedAt, false);
    }

    public async Task RemoveAsync(string userId, string listingId, CancellationToken cancellationToken)
    {
        if (listingId.Length <= 64)
        {
            await store.DeleteAsync(ListingKeys.Bookmark(userId, listingId), Condition.None, cancellationToken);
        }
    }

    /// <summary>A page of saved listings the user may still see; gone listings are skipped (and their bookmarks removed), so reading goes on until the page is full.</summary>
    public async Task<(IReadOnlyList<(ListingRecord Listing, DateTimeOffset SavedAt)> Items, string? Cursor)> ListAsync(
        string userId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var results = new List<(ListingRecord, DateTimeOffset)>();
        do
        {
            var page = await store.QueryAsync(new Query { Index = ItemIndex.Gsi1, Pk = ListingKeys.BookmarkIndex(userId), Descending = true, Limit = limit - results.Count, Cursor = cursor }, cancellationToken);
            var saved = page.Items.Select(i => ItemJson.Deserialize(i, ListingJson.Default.BookmarkRecord)).ToList();
            var found = (await listings.GetManyAsync([.. saved.Select(b => b.ListingId)], cancellationToken)).ToDictionary(l => l.Id);
            foreach (var bookmark in saved)
            {
                if (found.TryGetValue(bookmark.ListingId, out var listing) && listings.IsShownTo(listing, userId))
                {
                    results.Add((listing, bookmark.SavedAt));
                }
                else if (!found.ContainsKey(bookmark.ListingId))
                {
                    await store.DeleteAsync(ListingKeys.Bookmark(userId, bookmark.ListingId), Condition.None, cancellationToken);
                }
            }
            cursor = page.Cursor;
        }
        while (cursor is not null && results.Count < limit);
        return (results, cursor);
    }
}
