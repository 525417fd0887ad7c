using System.Security.Cryptography;
using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Listings;

public enum ImageStatus
{
    Done,
    NotFound,
    TooLarge,
    TooMany,
    NotAnImage,
    Invalid,
    Conflict,
}

public sealed record ImageOutcome(ImageStatus Status, ListingRecord? Listing = null, ListingImage? Image = null, string? Detail = null)
{
    public static ImageOutcome Failed(ImageStatus status, string detail) => new(status, Detail: detail);
}

/// <summary>A stored image ready to send: its bytes, type and content hash (the ETag).</summary>
public sealed record ImageContent(Stream Bytes, string ContentType, string Sha256, bool Public);

/// <summary>
/// A listing's images: the bytes go to the blob store first, then the listing takes the image in a
/// transaction that re-checks the market's limit against concurrent uploads; removing one deletes
/// its record with the listing's change and the bytes after.
/// </summary>
public sealed class ListingImages(MarketCatalog markets, ListingStore listings, IItemStore store, IBlobStore blobs, TimeProvider time)
{
    public const long MaxImageBytes = 10 * 1024 * 1024;

    public const string NotAnImage = "The file is not a PNG, JPEG or WebP image we can read (whatever its name says), or it is larger than 8192 px a side or 16 megapixels.";

    /// <summary>Adds an upload of <paramref name="length"/> bytes, read by <paramref name="read"/> only once the listing is the caller's and the size fits.</summary>
    public async Task<ImageOutcome> AddAsync(string listingId, string userId, long length, Func<CancellationToken, Task<byte[]>> read, CancellationToken cancellationToken)
    {
        if (await listings.FindOwnAsync(listingId, userId, cancellationToken) is not { } first)
        {
            return ImageOutcome.Failed(ImageStatus.NotFound, $"There is no listing '{listingId}' of yours.");
        }
        if (length > MaxImageBytes)
        {
            return ImageOutcome.Failed(ImageStatus.TooLarge, $"An image is at most {MaxImageBytes / (1024 * 1024)} MB.");
        }
        var bytes = await read(cancellationToken);
        if (ImagePipeline.Process(bytes) is not { } info)
        {
            return ImageOutcome.Failed(ImageStatus.NotAnImage, NotAnImage);
        }
        var max = MaxImages(first.Record);
        if (first.Record.Images.Count >= max)
        {
            return ImageOutcome.Failed(ImageStatus.TooMany, $"A listing here has at most {max} images.");
        }
        var image = new ListingImage(Ids.New(Ids.Image, time), info.ContentType, info.Width, info.Height, info.Bytes.Length, info.Widths);
        await ImagePipeline.PutAsync(blobs, ListingKeys.ImageBlob(image.Id), info, cancellationToken);
        var imageItem = new Item
        {
            Pk = ListingKeys.Image(image.Id).Pk,
            Sk = ListingKeys.Image(image.Id).Sk,
            Data = ItemJson.Serialize(new ImageRecord(listingId, info.ContentType, info.Bytes.Length, Convert.ToHexStringLower(SHA256.HashData(info.Bytes))), ListingJson.Default.ImageRecord),
            Version = 1,
            ExpiresAt = first.Record.ExpiresAt + ListingStore.PurgeGrace,
        };
        var outcome = ImageOutcome.Failed(ImageStatus.Conflict, "The listing changed while the image was stored; try again.");
        try
        {
            outcome = await Optimistic.RetryAsync("The listing", async ct =>
            {
                if (await listings.FindOwnAsync(listingId, userId, ct) is not { } stored)
                {
                    return Attempt.Done(ImageOutcome.Failed(ImageStatus.NotFound, $"There is no listing '{listingId}' of yours."));
                }
                if (stored.Record.Images.Count >= max)
                {
                    return Attempt.Done(ImageOutcome.Failed(ImageStatus.TooMany, $"A listing here has at most {max} images."));
                }
                var after = stored.Record with { Images = [.. stored.Record.Images, image], UpdatedAt = time.GetUtcNow() };
                var operations = listings.ReplaceOperations(stored.Record, stored.Version, after);
                operations.Add(new WriteOperation.Put(imageItem, Condition.NotExists));
                // Through the listing store: a product's first photo can make it live, and the indexes must hear of it.
                return await listings.CommitAsync(operations, listingId, ct)
                    ? Attempt.Done(new ImageOutcome(ImageStatus.Done, after, image))
                    : Attempt.Conflict<ImageOutcome>();
            }, cancellationToken);
        }
        finally
        {
            // Bytes no listing took do not stay behind.
            if (outcome.Status != ImageStatus.Done)
            {
                await ImagePipeline.DeleteAsync(blobs, ListingKeys.ImageBlob(image.Id), CancellationToken.None);
            }
        }
        return outcome;
    }

    public async Task<ImageOutcome> ReorderAsync(string listingId, string userId, IReadOnlyList<string> imageIds, CancellationToken cancellationToken)
    {
        if (await listings.FindOwnAsync(listingId, userId, cancellationToken) is not { } stored)
        {
            return ImageOutcome.Failed(ImageStatus.NotFound, $"There is no listing '{listingId}' of yours.");
        }
        var current = stored.Record.Images;
        if (imageIds.Count != current.Count || imageIds.Distinct().Count() != current.Count || !imageIds.All(i => current.Any(c => c.Id == i)))
        {
            return ImageOutcome.Failed(ImageStatus.Invalid, $"List each of the listing's {current.Count} image ids exactly once.");
        }
        var after = stored.Record with { Images = [.. imageIds.Select(i => current.First(c => c.Id == i))], UpdatedAt = time.GetUtcNow() };
        return await listings.ReplaceAsync(stored.Record, stored.Version, after, cancellationToken)
            ? new ImageOutcome(ImageStatus.Done, after)
            : ImageOutcome.Failed(ImageStatus.Conflict, "The listing changed meanwhile; try again.");
    }

    public async Task<ImageOutcome> RemoveAsync(string listingId, string userId, string imageId, CancellationToken cancellationToken)
    {
        if (await listings.FindOwnAsync(listingId, userId, cancellationToken) is not { } stored || stored.Record.Images.All(i => i.Id != imageId))
        {
            return ImageOutcome.Failed(ImageStatus.NotFound, $"There is no image '{imageId}' on a listing '{listingId}' of yours.");
        }
        var after = stored.Record with { Images = [.. stored.Record.Images.Where(i => i.Id != imageId)], UpdatedAt = time.GetUtcNow() };
        var operations = listings.ReplaceOperations(stored.Record, stored.Version, after);
        operations.Add(new WriteOperation.Delete(ListingKeys.Image(imageId)));
        if (!await listings.CommitAsync(operations, listingId, cancellationToken))
        {
            return ImageOutcome.Failed(ImageStatus.Conflict, "The listing changed meanwhile; try again.");
        }
        await ImagePipeline.DeleteAsync(blobs, ListingKeys.ImageBlob(imageId), cancellationToken);
        return new ImageOutcome(ImageStatus.Done, after);
    }

    /// <summary>
    /// The image's bytes and type; null when there is no such image, or when it belongs to a draft and
    /// the viewer is neither its owner nor holding a signed link (<see cref="ImageLinks"/>).
    /// </summary>
    public async Task<ImageContent?> OpenAsync(string imageId, int? width, string? viewerUserId, bool signed, CancellationToken cancellationToken)
    {
        if (!Ids.IsWellFormed(imageId, Ids.Image) || await store.GetAsync(ListingKeys.Image(imageId), cancellationToken) is not { } item)
        {
            return null;
        }
        var image = ItemJson.Deserialize(item, ListingJson.Default.ImageRecord);
        var listing = await listings.GetIncludingExpiredAsync(image.ListingId, cancellationToken);
        var draft = listing?.Record.Status == ListingRules.Draft;
        if (draft && !signed && viewerUserId != listing!.Record.OwnerUserId)
        {
            return null;
        }
        return await blobs.OpenReadAsync(ImagePipeline.Key(image.SharedBlob ?? ListingKeys.ImageBlob(imageId), width), cancellationToken) is { } stream
            ? new ImageContent(stream, image.ContentType, width is { } w ? $"{image.Sha256}-{w}" : image.Sha256, Public: !draft)
            : null;
    }

    /// <summary>The writes that give a new listing a library photo (stored once under <paramref name="blob"/>, shown by many): for demo data.</summary>
    public (ListingImage Image, Item Item) Shared(ListingRecord listing, ProcessedImage photo, string sha256, string blob)
    {
        var image = new ListingImage(Ids.New(Ids.Image, time), photo.ContentType, photo.Width, photo.Height, photo.Bytes.Length, photo.Widths);
        var key = ListingKeys.Image(image.Id);
        return (image, new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Data = ItemJson.Serialize(new ImageRecord(listing.Id, photo.ContentType, photo.Bytes.Length, sha256, blob), ListingJson.Default.ImageRecord),
            Version = 1,
            ExpiresAt = listing.ExpiresAt + ListingStore.PurgeGrace,
        });
    }

    private int MaxImages(ListingRecord listing) => markets.Find(listing.Market)?.FindSide(listing.Side)?.Listings?.Images.Max ?? 5;
}
