using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Profiles;

public enum PhotoStatus
{
    Done,
    NoProfile,
    NotAnImage,
}

/// <summary>
/// A profile's photo on any side of any market: put through the image pipeline (upright, no
/// metadata, narrower copies), stored, and the previous one deleted once the profile took the new.
/// Public like the profile it belongs to.
/// </summary>
public sealed class ProfilePhotos(ProfileStore profiles, IBlobStore blobs, TimeProvider time)
{
    public async Task<(PhotoStatus Status, ProfileRecord? Profile)> SetAsync(string userId, string market, string side, byte[] upload, CancellationToken cancellationToken)
    {
        if (await profiles.FindOwnAsync(userId, market, side, cancellationToken) is null)
        {
            return (PhotoStatus.NoProfile, null);
        }
        if (ImagePipeline.Process(upload) is not { } image)
        {
            return (PhotoStatus.NotAnImage, null);
        }
        var photo = new ProfilePhoto(Ids.New(Ids.Photo, time), image.ContentType, image.Width, image.Height, image.Widths);
        await ImagePipeline.PutAsync(blobs, ProfilePhoto.Blob(photo.Id), image, cancellationToken);
        var (profile, previous) = await ReplaceAsync(userId, market, side, photo, cancellationToken);
        if (profile is null)
        {
            await ImagePipeline.DeleteAsync(blobs, ProfilePhoto.Blob(photo.Id), CancellationToken.None);
            return (PhotoStatus.NoProfile, null);
        }
        if (previous is not null)
        {
            await ImagePipeline.DeleteAsync(blobs, ProfilePhoto.Blob(previous.Id), cancellationToken);
        }
        return (PhotoStatus.Done, profile);
    }

    public async Task<bool> RemoveAsync(string userId, string market, string side, CancellationToken cancellationToken)
    {
        var (profile, previous) = await ReplaceAsync(userId, market, side, null, cancellationToken);
        if (previous is not null)
        {
            await ImagePipeline.DeleteAsync(blobs, ProfilePhoto.Blob(previous.Id), cancellationToken);
        }
        return profile is not null && previous is not null;
    }

    /// <summary>The photo's bytes at a width (the full size when null), and its tag; null when the profile has no such photo.</summary>
    public async Task<(Stream Bytes, ProfilePhoto Photo)?> OpenAsync(string profileId, int? width, CancellationToken cancellationToken)
    {
        if (!Ids.IsWellFormed(profileId, Ids.Profile) || await profiles.GetAsync(profileId, cancellationToken) is not { Record.Photo: { } photo }
            || (width is { } w && !photo.Widths.Contains(w) && w != photo.Width))
        {
            return null;
        }
        var stream = await blobs.OpenReadAsync(ImagePipeline.Key(ProfilePhoto.Blob(photo.Id), width == photo.Width ? null : width), cancellationToken);
        return stream is null ? null : (stream, photo);
    }

    private Task<(ProfileRecord? Profile, ProfilePhoto? Previous)> ReplaceAsync(string userId, string market, string side, ProfilePhoto? photo, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync("The profile", async ct =>
        {
            if (await profiles.FindOwnAsync(userId, market, side, ct) is not { } stored)
            {
                return Attempt.Done<(ProfileRecord?, ProfilePhoto?)>((null, null));
            }
            var after = stored.Record with { Photo = photo, UpdatedAt = time.GetUtcNow() };
            return await profiles.ReplaceAsync(after, stored.Version, [], ct)
                ? Attempt.Done<(ProfileRecord?, ProfilePhoto?)>((after, stored.Record.Photo))
                : Attempt.Conflict<(ProfileRecord?, ProfilePhoto?)>();
        }, cancellationToken);
}
