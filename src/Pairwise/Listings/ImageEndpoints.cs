using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Listings;

public static class ImageEndpoints
{
    public const long MaxImageBytes = 10 * 1024 * 1024;

    public static RouteGroupBuilder MapImages(this RouteGroupBuilder v1)
    {
        var images = v1.MapGroup("/listings/{id}/images").WithTags("Images");
        images.MapPost("/", Upload)
            .DisableAntiforgery() // bearer tokens, no cookies: there is no cross-site form to forge
            .WithMetadata(new RequestSizeLimitAttribute(MaxImageBytes + 64 * 1024))
            .WithSummary("Add an image to my listing")
            .WithDescription("multipart/form-data with the image in the field \"file\": PNG, JPEG or WebP, recognised by content (not by name), "
                + "at most 10 MB and 16384 px a side. The market sets how many images a listing may have (e.g. 5 for products).");
        images.MapPut("/order", Reorder).WithSummary("Reorder my listing's images")
            .WithExample("""{"imageIds":["img_01a2090e60287c40b4ce0f0e52dca15f","img_01a2090e60d57597a496a63d86b2bc9e"]}""").WithDescription("The image ids in the new order; the first is the cover.");
        images.MapDelete("/{imageId}", Delete).WithSummary("Remove an image from my listing");
        v1.MapGet("/images/{imageId}", Serve).WithTags("Images").AllowAnonymous()
            .WithSummary("Image bytes").WithDescription("Immutable: cached for a year, with an ETag for conditional requests.");
        return v1;
    }

    public static async Task<Results<Created<ListingResponse>, ValidationProblem, ProblemHttpResult>> Upload(
        string id, IFormFile file, ClaimsPrincipal principal, MarketCatalog markets, ListingStore listings, IItemStore store,
        IBlobStore blobs, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = principal.UserId();
        if (await listings.FindOwnAsync(id, userId, cancellationToken) is not { } first)
        {
            return Problems.NotFound($"There is no listing '{id}' of yours.");
        }
        if (file.Length > MaxImageBytes)
        {
            return TypedResults.Problem($"An image is at most {MaxImageBytes / (1024 * 1024)} MB.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Image too large");
        }
        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }
        if (ImageInspector.Inspect(bytes) is not { } info)
        {
            return TypedResults.Problem("The file is not a PNG, JPEG or WebP image we can read (whatever its name says).", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Not an image");
        }
        var max = MaxImages(markets, first.Record);
        if (first.Record.Images.Count >= max)
        {
            return Problems.Invalid("file", $"A listing here has at most {max} images.");
        }

        var image = new ListingImage(Ids.New(Ids.Image, time), info.ContentType, info.Width, info.Height, bytes.Length);
        await blobs.PutAsync(ListingKeys.ImageBlob(image.Id), bytes, cancellationToken);
        var imageItem = new Item
        {
            Pk = ListingKeys.Image(image.Id).Pk,
            Sk = ListingKeys.Image(image.Id).Sk,
            Data = ItemJson.Serialize(new ImageRecord(id, info.ContentType, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))), ListingJson.Default.ImageRecord),
            Version = 1,
            ExpiresAt = first.Record.ExpiresAt + ListingStore.PurgeGrace,
        };
        // The blob is durable first; then the listing takes it, re-checking the count against concurrent uploads.
        var stored = first;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (stored.Record.Images.Count >= max)
            {
                await blobs.DeleteAsync(ListingKeys.ImageBlob(image.Id), cancellationToken);
                return Problems.Invalid("file", $"A listing here has at most {max} images.");
            }
            var after = stored.Record with { Images = [.. stored.Record.Images, image], UpdatedAt = time.GetUtcNow() };
            var operations = listings.ReplaceOperations(stored.Record, stored.Version, after);
            operations.Add(new WriteOperation.Put(imageItem, Condition.NotExists));
            if ((await store.TransactAsync(operations, cancellationToken)).Committed)
            {
                return TypedResults.Created(ImageResponse.From(image).Url, ListingResponse.From(after));
            }
            if (await listings.FindOwnAsync(id, userId, cancellationToken) is not { } again)
            {
                break;
            }
            stored = again;
        }
        await blobs.DeleteAsync(ListingKeys.ImageBlob(image.Id), cancellationToken);
        return Problems.Conflict("The listing changed while the image was stored; try again.");
    }

    public static async Task<Results<Ok<ListingResponse>, ValidationProblem, ProblemHttpResult>> Reorder(
        string id, ImageOrderRequest request, ClaimsPrincipal principal, ListingStore listings, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await listings.FindOwnAsync(id, principal.UserId(), cancellationToken) is not { } stored)
        {
            return Problems.NotFound($"There is no listing '{id}' of yours.");
        }
        var current = stored.Record.Images;
        if (request.ImageIds.Count != current.Count || request.ImageIds.Distinct().Count() != current.Count
            || !request.ImageIds.All(i => current.Any(c => c.Id == i)))
        {
            return Problems.Invalid("imageIds", $"List each of the listing's {current.Count} image ids exactly once.");
        }
        var after = stored.Record with { Images = [.. request.ImageIds.Select(i => current.First(c => c.Id == i))], UpdatedAt = time.GetUtcNow() };
        return await listings.ReplaceAsync(stored.Record, stored.Version, after, cancellationToken)
            ? TypedResults.Ok(ListingResponse.From(after))
            : Problems.Conflict("The listing changed meanwhile; try again.");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string id, string imageId, ClaimsPrincipal principal, ListingStore listings, IItemStore store, IBlobStore blobs, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await listings.FindOwnAsync(id, principal.UserId(), cancellationToken) is not { } stored
            || stored.Record.Images.All(i => i.Id != imageId))
        {
            return Problems.NotFound($"There is no image '{imageId}' on a listing '{id}' of yours.");
        }
        var after = stored.Record with { Images = [.. stored.Record.Images.Where(i => i.Id != imageId)], UpdatedAt = time.GetUtcNow() };
        var operations = listings.ReplaceOperations(stored.Record, stored.Version, after);
        operations.Add(new WriteOperation.Delete(ListingKeys.Image(imageId)));
        if (!(await store.TransactAsync(operations, cancellationToken)).Committed)
        {
            return Problems.Conflict("The listing changed meanwhile; try again.");
        }
        await blobs.DeleteAsync(ListingKeys.ImageBlob(imageId), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Serve(
        string imageId, HttpContext http, IItemStore store, IBlobStore blobs, CancellationToken cancellationToken)
    {
        if (!Ids.IsWellFormed(imageId, Ids.Image) || await store.GetAsync(ListingKeys.Image(imageId), cancellationToken) is not { } item
            || await blobs.OpenReadAsync(ListingKeys.ImageBlob(imageId), cancellationToken) is not { } stream)
        {
            return Problems.NotFound($"There is no image '{imageId}'.");
        }
        var image = ItemJson.Deserialize(item, ListingJson.Default.ImageRecord);
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(stream, image.ContentType, entityTag: new EntityTagHeaderValue($"\"{image.Sha256}\""));
    }

    private static int MaxImages(MarketCatalog markets, ListingRecord listing) =>
        markets.Find(listing.Market)?.FindSide(listing.Side)?.Listings?.Images.Max ?? 5;
}

public sealed record ImageOrderRequest(IReadOnlyList<string> ImageIds);
