using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Listings;

public static class ImageEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var images = v1.MapGroup("/listings/{id}/images").WithTags("Images");
        images.MapPost("/", Upload)
            .DisableAntiforgery() // bearer tokens, no cookies: there is no cross-site form to forge
            .WithMetadata(new RequestSizeLimitAttribute(ListingImages.MaxImageBytes + 64 * 1024))
            .WithSummary("Add an image to my listing")
            .WithDescription("multipart/form-data with the image in the field \"file\": PNG, JPEG or WebP, recognised by content (not by name), "
                + "at most 10 MB, 8192 px a side and 16 megapixels. It is turned upright, stripped of all metadata (EXIF, GPS, ICC, XMP) and stored "
                + "with copies 320, 800 and 1600 px wide. The market sets how many images a listing may have (e.g. 1–5 for products: fewer and it is not shown to others).");
        images.MapPut("/order", Reorder).WithSummary("Reorder my listing's images")
            .WithExample("""{"imageIds":["img_01a2090e60287c40b4ce0f0e52dca15f","img_01a2090e60d57597a496a63d86b2bc9e"]}""").WithDescription("The image ids in the new order; the first is the cover.");
        images.MapDelete("/{imageId}", Delete).WithSummary("Remove an image from my listing");
        v1.MapGet("/images/{imageId}", Serve).WithTags("Images").AllowAnonymous()
            .WithSummary("Image bytes").WithDescription("Immutable: cached for a year, with an ETag for conditional requests. w= one of 320, 800, 1600 serves a narrower copy (an image's srcset lists the ones it has).");
        return v1;
    }

    public static async Task<Results<Created<ListingResponse>, ValidationProblem, ProblemHttpResult>> Upload(
        string id, IFormFile file, ClaimsPrincipal principal, ListingImages images, ImageLinks links, CancellationToken cancellationToken)
    {
        var outcome = await images.AddAsync(id, principal.UserId(), file.Length, file.ReadAllAsync, cancellationToken);
        return outcome.Status == ImageStatus.Done
            ? TypedResults.Created(links.Url(outcome.Listing!, outcome.Image!), ListingResponse.From(outcome.Listing!, links))
            : Problem(outcome);
    }

    public static async Task<Results<Ok<ListingResponse>, ValidationProblem, ProblemHttpResult>> Reorder(
        string id, ImageOrderRequest request, ClaimsPrincipal principal, ListingImages images, ImageLinks links, CancellationToken cancellationToken)
    {
        var outcome = await images.ReorderAsync(id, principal.UserId(), request.ImageIds, cancellationToken);
        return outcome.Status == ImageStatus.Done ? TypedResults.Ok(ListingResponse.From(outcome.Listing!, links)) : Problem(outcome);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string id, string imageId, ClaimsPrincipal principal, ListingImages images, CancellationToken cancellationToken) =>
        await images.RemoveAsync(id, principal.UserId(), imageId, cancellationToken) is { Status: not ImageStatus.Done } outcome
            ? Problem(outcome)
            : TypedResults.NoContent();

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Serve(
        string imageId, int? w, long? expires, string? signature, HttpContext http, ListingImages images, ImageLinks links, CancellationToken cancellationToken)
    {
        if (w is { } width && !ImagePipeline.Widths.Contains(width))
        {
            return Problems.InvalidField("w", $"One of {string.Join(", ", ImagePipeline.Widths)} (the image's srcset lists those it has).");
        }
        var viewer = http.User.Identity?.IsAuthenticated == true ? http.User.UserId() : null;
        if (await images.OpenAsync(imageId, w, viewer, links.IsSigned(imageId, expires, signature), cancellationToken) is not { } image)
        {
            return Problems.NotFound($"There is no image '{imageId}'.");
        }
        http.Response.Headers.CacheControl = image.Public ? "public, max-age=31536000, immutable" : "private, max-age=3600";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(image.Bytes, image.ContentType, entityTag: new EntityTagHeaderValue($"\"{image.Sha256}\""));
    }

    /// <summary>The one translation of an image outcome into HTTP.</summary>
    private static ProblemHttpResult Problem(ImageOutcome outcome) => outcome.Status switch
    {
        ImageStatus.NotFound => Problems.NotFound(outcome.Detail!),
        ImageStatus.TooLarge => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Image too large"),
        ImageStatus.NotAnImage => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Not an image"),
        ImageStatus.TooMany => Problems.InvalidField("file", outcome.Detail!),
        ImageStatus.Invalid => Problems.InvalidField("imageIds", outcome.Detail!),
        _ => Problems.Conflict(outcome.Detail!),
    };
}

public sealed record ImageOrderRequest([System.ComponentModel.DataAnnotations.Required] IReadOnlyList<string> ImageIds);
