using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Storage;

namespace Pairwise.Social;

public enum PostStatus
{
    Done,
    NotFound,
    Invalid,
    TooManyImages,
    NotAnImage,
}

public sealed record PostOutcome(PostStatus Status, PostRecord? Post = null, string? Detail = null, string? Field = null)
{
    public static PostOutcome Failed(PostStatus status, string detail, string? field = null) => new(status, Detail: detail, Field: field);
}

/// <summary>
/// Posts of Pairwise profiles (a startup's news, a seller's new stock, an employer's hiring update),
/// with up to <see cref="MaxImages"/> images through the image pipeline. A post is stored under its
/// profile (newest last by sort key) with a pointer by id, then fanned out to its followers' cached
/// feed lists, unless the profile has more than <see cref="SocialOptions.FanOutLimit"/> followers:
/// then its posts are merged when those followers read.
/// </summary>
public sealed partial class Posts(
    IItemStore store, ProfileStore profiles, Follows follows, Watches watches, Timelines timelines, IBlobStore blobs,
    Microsoft.Extensions.Options.IOptions<SocialOptions> options, TimeProvider time, ILogger<Posts> logger)
{
    public const int MaxText = 3000;
    public const int MaxImages = 4;

    public async Task<PostOutcome> CreateAsync(string userId, string profileId, string? text, string? link, CancellationToken cancellationToken)
    {
        if (!Ids.IsWellFormed(profileId, Ids.Profile) || await profiles.GetAsync(profileId, cancellationToken) is not { Record: var profile } || profile.UserId != userId)
        {
            return PostOutcome.Failed(PostStatus.NotFound, $"You have no profile '{profileId}'.");
        }
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxText)
        {
            return PostOutcome.Failed(PostStatus.Invalid, $"A post has 1–{MaxText} characters of text.", "text");
        }
        if (link is not null && !IsWebAddress(link))
        {
            return PostOutcome.Failed(PostStatus.Invalid, "The link is an absolute http or https address of at most 2048 characters.", "link");
        }
        var post = NewPost(profile, text) with { Link = link };
        await PublishAsync(post, cancellationToken);
        return new PostOutcome(PostStatus.Done, post);
    }

    /// <summary>A new listing of a profile, announced to its followers as a post.</summary>
    public async Task AnnounceListingAsync(string listingId, string profileId, string title, string? description, CancellationToken cancellationToken)
    {
        if (await profiles.GetAsync(profileId, cancellationToken) is not { Record: var profile })
        {
            return;
        }
        var text = string.IsNullOrWhiteSpace(description) ? $"New: {title}" : $"New: {title} — {Shorten(description.Trim(), 280)}";
        await PublishAsync(NewPost(profile, text) with { ListingId = listingId }, cancellationToken);
    }

    /// <summary>A post by <paramref name="profile"/>, written now under its current name.</summary>
    private PostRecord NewPost(ProfileRecord profile, string text) => new()
    {
        Id = Ids.New(Ids.Post, time),
        ProfileId = profile.Id,
        UserId = profile.UserId,
        Market = profile.Market,
        Side = profile.Side,
        AuthorName = profile.DisplayName,
        Text = text,
        CreatedAt = time.GetUtcNow(),
    };

    private async Task PublishAsync(PostRecord post, CancellationToken cancellationToken)
    {
        var pointer = SocialKeys.PostPointer(post.Id);
        var owned = SocialKeys.SocialProfile(post.UserId, post.ProfileId);
        await store.TransactAsync(
        [
            new WriteOperation.Put(new Item { Pk = owned.Pk, Sk = owned.Sk, Version = 1 }),
            new WriteOperation.Put(PostItem(post, 1), Condition.NotExists),
            new WriteOperation.Put(new Item
            {
                Pk = pointer.Pk, Sk = pointer.Sk, Version = 1,
                Data = ItemJson.Serialize(new PostPointer(post.ProfileId, post.SortKey), SocialJson.Default.PostPointer),
            }, Condition.NotExists),
        ], cancellationToken);
        var fanned = await FanOutAsync(post, cancellationToken);
        LogPublished(logger, post.Id, post.ProfileId, fanned);
        await watches.NotifyAsync(post.ProfileId, $"{post.AuthorName}: {Shorten(post.Text, 120)}",
            new Dictionary<string, string> { ["postId"] = post.Id, ["profileId"] = post.ProfileId, ["sourceId"] = post.ProfileId }, cancellationToken, post.UserId);
    }

    /// <summary>Adds the post to each follower's cached list; how many followers that was (0 for a profile merged at read).</summary>
    public async Task<int> FanOutAsync(PostRecord post, CancellationToken cancellationToken)
    {
        if (await follows.FollowerCountAsync(post.ProfileId, cancellationToken) > options.Value.FanOutLimit)
        {
            return 0;
        }
        var member = new FeedEntry(SocialKeys.Posts(post.ProfileId), post.SortKey).Member;
        // The author sees their own post in their feed too.
        var followers = new List<string> { post.UserId };
        await foreach (var item in follows.AllFollowersAsync(post.ProfileId, cancellationToken))
        {
            followers.Add(item.Sk);
        }
        await timelines.AddAsync(followers, member);
        return followers.Count;
    }

    public async Task<PostRecord?> GetAsync(string postId, CancellationToken cancellationToken) =>
        await FindAsync(postId, cancellationToken) is { } found ? found.Post : null;

    private async Task<(PostRecord Post, long Version)?> FindAsync(string postId, CancellationToken cancellationToken)
    {
        if (!Ids.IsWellFormed(postId, Ids.Post) || await store.GetAsync(SocialKeys.PostPointer(postId), cancellationToken) is not { } pointerItem)
        {
            return null;
        }
        var pointer = ItemJson.Deserialize(pointerItem, SocialJson.Default.PostPointer);
        return await store.GetAsync(new ItemKey(SocialKeys.Posts(pointer.ProfileId), pointer.SortKey), cancellationToken) is { } item
            ? (ItemJson.Deserialize(item, SocialJson.Default.PostRecord), item.Version)
            : null;
    }

    /// <summary>Deletes the user's own post, its pointer and its images; it leaves the cached lists at their next read (reads skip what is gone).</summary>
    public async Task<bool> DeleteAsync(string userId, string postId, CancellationToken cancellationToken)
    {
        if (await FindAsync(postId, cancellationToken) is not { Post: var post } || post.UserId != userId)
        {
            return false;
        }
        await store.TransactAsync(
        [
            new WriteOperation.Delete(new ItemKey(SocialKeys.Posts(post.ProfileId), post.SortKey)),
            new WriteOperation.Delete(SocialKeys.PostPointer(post.Id)),
        ], cancellationToken);
        foreach (var image in post.Images)
        {
            await ImagePipeline.DeleteAsync(blobs, PostImage.Blob(image.Id), cancellationToken);
        }
        return true;
    }

    public async Task<PostOutcome> AddImageAsync(string userId, string postId, byte[] upload, CancellationToken cancellationToken)
    {
        if (await FindAsync(postId, cancellationToken) is not { } found || found.Post.UserId != userId)
        {
            return PostOutcome.Failed(PostStatus.NotFound, $"You have no post '{postId}'.");
        }
        if (found.Post.Images.Count >= MaxImages)
        {
            return PostOutcome.Failed(PostStatus.TooManyImages, $"A post has at most {MaxImages} images.");
        }
        if (ImagePipeline.Process(upload) is not { } image)
        {
            return PostOutcome.Failed(PostStatus.NotAnImage, "The file is not a PNG, JPEG or WebP image we can read (whatever its name says), or it is too large.");
        }
        var stored = new PostImage(Ids.New(Ids.Image, time), image.ContentType, image.Width, image.Height, image.Widths);
        await ImagePipeline.PutAsync(blobs, PostImage.Blob(stored.Id), image, cancellationToken);
        var updated = found.Post with { Images = [.. found.Post.Images, stored] };
        if (!await store.PutAsync(PostItem(updated, found.Version + 1), Condition.VersionIs(found.Version), cancellationToken))
        {
            await ImagePipeline.DeleteAsync(blobs, PostImage.Blob(stored.Id), CancellationToken.None);
            return PostOutcome.Failed(PostStatus.Invalid, "The post changed meanwhile; try again.");
        }
        return new PostOutcome(PostStatus.Done, updated);
    }

    public async Task<(Stream Bytes, PostImage Image)?> OpenImageAsync(string postId, string imageId, int? width, CancellationToken cancellationToken)
    {
        if (await GetAsync(postId, cancellationToken) is not { } post || post.Images.FirstOrDefault(i => i.Id == imageId) is not { } image
            || (width is { } w && !image.Widths.Contains(w) && w != image.Width))
        {
            return null;
        }
        var stream = await blobs.OpenReadAsync(ImagePipeline.Key(PostImage.Blob(image.Id), width == image.Width ? null : width), cancellationToken);
        return stream is null ? null : (stream, image);
    }

    /// <summary>A page of a profile's posts, newest first.</summary>
    public async Task<(IReadOnlyList<PostRecord> Items, string? Cursor)> ListAsync(string profileId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Pk = SocialKeys.Posts(profileId), Descending = true, Limit = limit, Cursor = cursor }, cancellationToken);
        return ([.. page.Items.Select(i => ItemJson.Deserialize(i, SocialJson.Default.PostRecord))], page.Cursor);
    }

    private static Item PostItem(PostRecord post, long version) => new()
    {
        Pk = SocialKeys.Posts(post.ProfileId),
        Sk = post.SortKey,
        Data = ItemJson.Serialize(post, SocialJson.Default.PostRecord),
        Version = version,
    };

    public static bool IsWebAddress(string value) =>
        value.Length <= 2048 && Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    public static string Shorten(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Post {PostId} of {ProfileId} published, fanned out to {Followers} lists")]
    private static partial void LogPublished(ILogger logger, string postId, string profileId, int followers);
}
