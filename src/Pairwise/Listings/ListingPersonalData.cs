using Pairwise.Accounts;
using Pairwise.Storage;

namespace Pairwise.Listings;

/// <summary>A deleted account's listings with their images (files too); cards go with their profiles, bookmarks with the user's partition.</summary>
public sealed class ListingPersonalData(ListingStore listings, IItemStore store, IBlobStore blobs) : IPersonalData
{
    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        var owned = new List<ListingRecord>();
        string? cursor = null;
        do
        {
            var (items, next) = await listings.ListOwnedAsync(userId, 100, cursor, cancellationToken);
            owned.AddRange(items);
            cursor = next;
        }
        while (cursor is not null);
        foreach (var record in owned)
        {
            if (!record.IsCard && await listings.GetIncludingExpiredAsync(record.Id, cancellationToken) is { } stored)
            {
                await listings.DeleteAsync(stored, cancellationToken);
            }
            foreach (var image in record.Images)
            {
                await store.DeleteAsync(ListingKeys.Image(image.Id), Condition.None, cancellationToken);
                await blobs.DeleteAsync(ListingKeys.ImageBlob(image.Id), cancellationToken);
            }
        }
    }
}
