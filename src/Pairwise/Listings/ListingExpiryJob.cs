using Pairwise.Storage;

namespace Pairwise.Listings;

/// <summary>
/// Deletes expired listings for good: the listing, its browse entries, its image records and image
/// files. (Reads already hide expired listings the moment they expire; this frees the storage.)
/// Walks hourly buckets of the expiry schedule from where it last stopped.
/// </summary>
public sealed class ListingExpiryJob(IItemStore store, ListingStore listings, IBlobStore blobs, TimeProvider time) : Scheduling.IScheduledJob
{
    private static readonly TimeSpan FirstLookBack = TimeSpan.FromDays(400);

    /// <summary>Purges every listing whose expiry has passed; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cursorItem = await store.GetAsync(ListingKeys.ExpiryCursor, cancellationToken);
        // The very first run looks back far enough for listings made while no node ran this job.
        var hour = cursorItem is null ? now - FirstLookBack : ItemJson.Deserialize(cursorItem, ListingJson.Default.ExpiryCursorRecord).ProcessedUpTo;
        hour = new DateTimeOffset(hour.Year, hour.Month, hour.Day, hour.Hour, 0, 0, TimeSpan.Zero);
        var purged = 0;
        for (; hour <= now; hour = hour.AddHours(1))
        {
            var complete = true;
            string? cursor = null;
            do
            {
                var page = await store.QueryAsync(new Query { Pk = ListingKeys.ExpiryBucket(hour), Limit = 200, Cursor = cursor }, cancellationToken);
                foreach (var entry in page.Items)
                {
                    var listingId = entry.Sk["LISTING#".Length..];
                    var listing = await listings.GetIncludingExpiredAsync(listingId, cancellationToken);
                    if (listing is not null && listing.Record.ExpiresAt > now)
                    {
                        complete = false; // later in this hour: the next run takes it
                        continue;
                    }
                    if (listing is not null && await listings.DeleteAsync(listing, cancellationToken))
                    {
                        foreach (var image in listing.Record.Images)
                        {
                            await ImagePipeline.DeleteAsync(blobs, ListingKeys.ImageBlob(image.Id), cancellationToken);
                        }
                        purged++;
                    }
                    await store.DeleteAsync(entry.Key, Condition.None, cancellationToken);
                }
                cursor = page.Cursor;
            }
            while (cursor is not null);
            if (!complete)
            {
                break;
            }
        }
        var record = new ExpiryCursorRecord(hour > now ? now : hour);
        await store.PutAsync(new Item { Pk = ListingKeys.ExpiryCursor.Pk, Sk = ListingKeys.ExpiryCursor.Sk, Data = ItemJson.Serialize(record, ListingJson.Default.ExpiryCursorRecord), Version = 1 }, Condition.None, cancellationToken);
        return purged;
    }
}
