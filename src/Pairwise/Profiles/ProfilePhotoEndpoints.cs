using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Pairwise.Platform;

namespace Pairwise.Profiles;

public static class ProfilePhotoEndpoints
{
    private const long MaxPhotoBytes = 10 * 1024 * 1024;

    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var photo = v1.MapGroup("/markets/{market}/profiles/{side}/photo").WithTags("Profiles");
        photo.MapPut("/", Put).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(MaxPhotoBytes + 64 * 1024))
            .WithSummary("Set my profile's photo")
            .WithDescription("multipart/form-data with the image in the field \"file\" (PNG, JPEG or WebP, at most 10 MB): a person's face, a shop's logo. "
                + "Turned upright and stripped of all metadata; replaces the previous photo.");
        photo.MapDelete("/", Delete).WithSummary("Remove my profile's photo");
        v1.MapGet("/profiles/{id}/photo", Serve).WithTags("Profiles").AllowAnonymous()
            .WithSummary("A profile's photo").WithDescription("w= one of the widths in the profile's photo.srcset for a narrower copy. Cached; a new photo has a new address.");
        return v1;
    }

    public static async Task<Results<Ok<ProfileResponse>, ProblemHttpResult>> Put(
        string market, string side, IFormFile file, ClaimsPrincipal principal, ProfilePhotos photos, CancellationToken cancellationToken)
    {
        if (file.Length is 0 or > MaxPhotoBytes)
        {
            return TypedResults.Problem("A photo is at most 10 MB.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Image too large");
        }
        var bytes = await file.ReadAllAsync(cancellationToken);
        var (status, profile) = await photos.SetAsync(principal.UserId(), market, side, bytes, cancellationToken);
        return status switch
        {
            PhotoStatus.Done => TypedResults.Ok(ProfileResponse.From(profile!)),
            PhotoStatus.NotAnImage => TypedResults.Problem("The file is not a PNG, JPEG or WebP image we can read, or it is larger than 8192 px a side or 16 megapixels.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Not an image"),
            _ => Problems.NotFound($"You have no {side} profile in '{market}'."),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string market, string side, ClaimsPrincipal principal, ProfilePhotos photos, CancellationToken cancellationToken) =>
        await photos.RemoveAsync(principal.UserId(), market, side, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"Your {side} profile in '{market}' has no photo.");

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Serve(string id, int? w, HttpContext http, ProfilePhotos photos, CancellationToken cancellationToken)
    {
        if (await photos.OpenAsync(id, w, cancellationToken) is not { } found)
        {
            return Problems.NotFound($"There is no photo of a profile '{id}'{(w is null ? "" : $" {w} px wide")}.");
        }
        http.Response.Headers.CacheControl = "public, max-age=300";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(found.Bytes, found.Photo.ContentType, entityTag: new EntityTagHeaderValue($"\"{found.Photo.Id}-{w ?? found.Photo.Width}\""));
    }
}
