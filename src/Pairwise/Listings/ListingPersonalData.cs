using Pairwise.Accounts;
using Pairwise.Storage;

namespace Pairwise.Listings;

/// <summary>A deleted account's listings with their images (files too); cards go with their profiles, bookmarks with the user's partition.</summary>
public sealed class ListingPersonalData(ListingStore listings, Bookmarks bookmarks, IItemStore store, IBlobStore blobs) : IPersonalData
{
    public async Task ExportAsync(string userId, PersonalArchive archive, CancellationToken cancellationToken)
    {
        var owned = await OwnedAsync(userId, cancellationToken);
        archive.Add("listings", PersonalArchive.Array(owned, ListingJson.Default.ListingRecord));
        foreach (var image in owned.SelectMany(l => l.Images))
        {
            if (await blobs.OpenReadAsync(ListingKeys.ImageBlob(image.Id), cancellationToken) is { } stream)
            {
                await using (stream)
                {
                    using var bytes = new MemoryStream();
                    await stream.CopyToAsync(bytes, cancellationToken);
                    archive.AddFile($"images/{image.Id}.{image.ContentType.Split('/')[^1]}", bytes.ToArray());
                }
            }
        }
        var saved = new System.Text.Json.Nodes.JsonArray();
        string? cursor = null;
        do
        {
            var (items, next) = await bookmarks.ListAsync(userId, 100, cursor, cancellationToken);
            foreach (var (listing, savedAt) in items)
            {
                saved.Add(new System.Text.Json.Nodes.JsonObject { ["listingId"] = listing.Id, ["title"] = listing.Title, ["savedAt"] = savedAt });
            }
            cursor = next;
        }
        while (cursor is not null);
        archive.Add("bookmarks", saved);
    }

    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        foreach (var record in await OwnedAsync(userId, cancellationToken))
        {
            if (!record.IsCard && await listings.GetIncludingExpiredAsync(record.Id, cancellationToken) is { } stored)
            {
                await listings.DeleteAsync(stored, cancellationToken);
            }
            foreach (var image in record.Images)
            {
                await store.DeleteAsync(ListingKeys.Image(image.Id), Condition.None, cancellationToken);
                await ImagePipeline.DeleteAsync(blobs, ListingKeys.ImageBlob(image.Id), cancellationToken);
            }
        }
    }

    private async Task<List<ListingRecord>> OwnedAsync(string userId, CancellationToken cancellationToken)
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
        return owned;
    }
}
