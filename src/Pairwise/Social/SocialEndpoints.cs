using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Pairwise.Platform;

namespace Pairwise.Social;

/// <summary>Following, posts, the aggregated feed, post bookmarks and watches over HTTP.</summary>
public static class SocialEndpoints
{
    public const int MaxLimit = FeedReader.MaxLimit;

    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var profiles = v1.MapGroup("/profiles/{profileId}").WithTags("Social");
        profiles.MapPut("/follow", Follow).WithSummary("Follow a profile").WithDescription("Any profile in any market but your own. Idempotent.");
        profiles.MapDelete("/follow", Unfollow).WithSummary("Unfollow a profile").WithDescription("Idempotent.");
        profiles.MapGet("/follow", FollowState).WithSummary("Whether I follow a profile").WithDescription("With its follower count.");
        profiles.MapGet("/followers", Followers).WithSummary("A profile's followers")
            .WithDescription("Paged; total counts every follower, following says whether you are one. People you blocked or who blocked you are left out.");
        profiles.MapGet("/posts", ProfilePosts).WithSummary("A profile's posts").WithDescription("Newest first, including its new listings announced as posts.");
        v1.MapGet("/me/following", Following).WithTags("Social").WithSummary("Profiles I follow").WithDescription("Paged, oldest follow first, with the total.");

        var posts = v1.MapGroup("/posts").WithTags("Social");
        posts.MapPost("/", CreatePost).WithSummary("Publish a post as one of my profiles")
            .WithDescription($"Text 1–{Posts.MaxText} characters, an optional http(s) link; images are added after, up to {Posts.MaxImages}. It reaches the followers' feeds at once.")
            .WithExample("""{"profileId":"prf_019a5b3c7d2e0000a1b2c3d4e5f60718","text":"We just closed our seed round.","link":"https://example.com/news"}""")
            .LimitPerUser(UserLimit.Listing);
        posts.MapGet("/{postId}", GetPost).WithSummary("A post");
        posts.MapDelete("/{postId}", DeletePost).WithSummary("Delete my post").WithDescription("It leaves every feed at once.");
        posts.MapPost("/{postId}/images", AddImage)
            .DisableAntiforgery() // bearer tokens, no cookies: there is no cross-site form to forge
            .WithMetadata(new RequestSizeLimitAttribute(10 * 1024 * 1024 + 64 * 1024))
            .WithSummary("Add an image to my post")
            .WithDescription($"multipart/form-data with the image in the field \"file\" (PNG, JPEG or WebP, at most 10 MB), up to {Posts.MaxImages} per post; stripped of metadata, with narrower copies.");
        posts.MapGet("/{postId}/images/{imageId}", Image).AllowAnonymous().WithSummary("A post's image").WithDescription("w= one of the widths in the image's srcset.");

        v1.MapGet("/social/feed", Feed).WithTags("Social").WithSummary("My aggregated feed")
            .WithDescription("Posts of the profiles I follow (and my own), and of the accounts my linked accounts follow (and my linked feeds), newest first, cursor-paged; "
                + "each item says where it came from (source.watching: whether I watch it), and a source whose last poll failed is marked stale. sources lists my linked accounts and their health. "
                + "A page may hold fewer than limit items when posts were deleted since; go on while nextCursor is set.");

        var bookmarks = v1.MapGroup("/bookmarks/posts").WithTags("Social");
        bookmarks.MapPut("/{postId}", SaveBookmark).WithSummary("Bookmark a feed post").WithDescription("A Pairwise post or an item of your aggregated feed (its id). Idempotent.");
        bookmarks.MapDelete("/{postId}", RemoveBookmark).WithSummary("Remove a post bookmark").WithDescription("Idempotent.");
        bookmarks.MapGet("/", Bookmarks).WithSummary("My bookmarked posts")
            .WithDescription("Newest first: provider, post id and time saved, with the post while it is still there (an unlinked account's posts are gone; the bookmark stays).");

        var watches = v1.MapGroup("/watches").WithTags("Social");
        watches.MapPut("/{sourceId}", Watch).WithSummary("Watch a source")
            .WithDescription("A profile you follow (its id) or a source of your feed (source.id of its items: a linked feed, or an account a linked account follows). "
                + "Its new posts become notifications of type post, at most one per source per interval.");
        watches.MapDelete("/{sourceId}", Unwatch).WithSummary("Stop watching a source").WithDescription("Idempotent.");
        v1.MapGet("/me/watches", Watches).WithTags("Social").WithSummary("What I watch");
        return v1;
    }

    public static async Task<Results<Ok<FollowResponse>, ProblemHttpResult>> Follow(string profileId, ClaimsPrincipal principal, Follows follows, CancellationToken cancellationToken) =>
        await follows.FollowAsync(principal.UserId(), profileId, cancellationToken) switch
        {
            null => Problems.NotFound($"There is no profile '{profileId}'."),
            false => Problems.Conflict("You cannot follow your own profile."),
            true => TypedResults.Ok(new FollowResponse(profileId, true, await follows.FollowerCountAsync(profileId, cancellationToken))),
        };

    public static async Task<Results<Ok<FollowResponse>, ProblemHttpResult>> FollowState(string profileId, ClaimsPrincipal principal, Follows follows, CancellationToken cancellationToken)
    {
        var me = principal.UserId();
        return await follows.VisibleProfileAsync(me, profileId, cancellationToken) is null
            ? Problems.NotFound($"There is no profile '{profileId}'.")
            : TypedResults.Ok(new FollowResponse(profileId, await follows.IsFollowingAsync(me, profileId, cancellationToken), await follows.FollowerCountAsync(profileId, cancellationToken)));
    }

    public static async Task<Ok<FollowResponse>> Unfollow(string profileId, ClaimsPrincipal principal, Follows follows, CancellationToken cancellationToken)
    {
        await follows.UnfollowAsync(principal.UserId(), profileId, cancellationToken);
        return TypedResults.Ok(new FollowResponse(profileId, false, await follows.FollowerCountAsync(profileId, cancellationToken)));
    }

    public static async Task<Results<Ok<FollowersList>, ValidationProblem, ProblemHttpResult>> Followers(
        string profileId, ClaimsPrincipal principal, Follows follows, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (Limit(limit) is { } invalid)
        {
            return invalid;
        }
        var me = principal.UserId();
        if (await follows.VisibleProfileAsync(me, profileId, cancellationToken) is null)
        {
            return Problems.NotFound($"There is no profile '{profileId}'.");
        }
        var (items, next) = await follows.FollowersAsync(me, profileId, limit ?? 20, cursor, cancellationToken);
        return TypedResults.Ok(new FollowersList(items, await follows.FollowerCountAsync(profileId, cancellationToken),
            await follows.IsFollowingAsync(me, profileId, cancellationToken), next));
    }

    public static async Task<Results<Ok<FollowingList>, ValidationProblem>> Following(
        ClaimsPrincipal principal, Follows follows, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (Limit(limit) is { } invalid)
        {
            return invalid;
        }
        var me = principal.UserId();
        var (items, next) = await follows.FollowingAsync(me, limit ?? 20, cursor, cancellationToken);
        return TypedResults.Ok(new FollowingList([.. items.Select(FollowingResponse.From)], await follows.FollowingCountAsync(me, cancellationToken), next));
    }

    public static async Task<Results<Ok<ListResponse<PostResponse>>, ValidationProblem, ProblemHttpResult>> ProfilePosts(
        string profileId, ClaimsPrincipal principal, Follows follows, Posts posts, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (Limit(limit) is { } invalid)
        {
            return invalid;
        }
        if (await follows.VisibleProfileAsync(principal.UserId(), profileId, cancellationToken) is null)
        {
            return Problems.NotFound($"There is no profile '{profileId}'.");
        }
        var (items, next) = await posts.ListAsync(profileId, limit ?? 20, cursor, cancellationToken);
        return TypedResults.Ok(new ListResponse<PostResponse>([.. items.Select(PostResponse.From)], next));
    }

    public static async Task<Results<Created<PostResponse>, ValidationProblem, ProblemHttpResult>> CreatePost(
        PostRequest request, ClaimsPrincipal principal, Posts posts, CancellationToken cancellationToken)
    {
        var outcome = await posts.CreateAsync(principal.UserId(), request.ProfileId, request.Text, request.Link, cancellationToken);
        return outcome.Status switch
        {
            PostStatus.Done => TypedResults.Created($"/v1/posts/{outcome.Post!.Id}", PostResponse.From(outcome.Post)),
            PostStatus.Invalid => Problems.Invalid(outcome.Field ?? "text", outcome.Detail!),
            _ => Problems.NotFound(outcome.Detail!),
        };
    }

    public static async Task<Results<Ok<PostResponse>, ProblemHttpResult>> GetPost(
        string postId, ClaimsPrincipal principal, Posts posts, Follows follows, CancellationToken cancellationToken) =>
        await posts.GetAsync(postId, cancellationToken) is { } post && await follows.VisibleProfileAsync(principal.UserId(), post.ProfileId, cancellationToken) is not null
            ? TypedResults.Ok(PostResponse.From(post))
            : Problems.NotFound($"There is no post '{postId}'.");

    public static async Task<Results<NoContent, ProblemHttpResult>> DeletePost(string postId, ClaimsPrincipal principal, Posts posts, CancellationToken cancellationToken) =>
        await posts.DeleteAsync(principal.UserId(), postId, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"You have no post '{postId}'.");

    public static async Task<Results<Created<PostResponse>, ValidationProblem, ProblemHttpResult>> AddImage(
        string postId, IFormFile file, ClaimsPrincipal principal, Posts posts, CancellationToken cancellationToken)
    {
        var outcome = await posts.AddImageAsync(principal.UserId(), postId, await file.ReadAllAsync(cancellationToken), cancellationToken);
        return outcome.Status switch
        {
            PostStatus.Done => TypedResults.Created($"/v1/posts/{postId}", PostResponse.From(outcome.Post!)),
            PostStatus.NotFound => Problems.NotFound(outcome.Detail!),
            PostStatus.TooManyImages => Problems.Conflict(outcome.Detail!),
            _ => Problems.Invalid("file", outcome.Detail!),
        };
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Image(string postId, string imageId, int? w, HttpContext http, Posts posts, CancellationToken cancellationToken)
    {
        if (await posts.OpenImageAsync(postId, imageId, w, cancellationToken) is not { } found)
        {
            return Problems.NotFound($"There is no image '{imageId}' of a post '{postId}'{(w is null ? "" : $" {w} px wide")}.");
        }
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(found.Bytes, found.Image.ContentType, entityTag: new EntityTagHeaderValue($"\"{found.Image.Id}-{w ?? found.Image.Width}\""));
    }

    public static async Task<Results<Ok<SocialFeedResponse>, ValidationProblem>> Feed(
        ClaimsPrincipal principal, FeedReader reader, int? limit, string? cursor, CancellationToken cancellationToken) =>
        Limit(limit) is { } invalid ? invalid : TypedResults.Ok(await reader.ReadAsync(principal.UserId(), limit ?? 20, cursor, cancellationToken));

    public static async Task<Results<Created<PostBookmarkResponse>, Ok<PostBookmarkResponse>, ProblemHttpResult>> SaveBookmark(
        string postId, ClaimsPrincipal principal, PostBookmarks bookmarks, CancellationToken cancellationToken)
    {
        if (await bookmarks.SaveAsync(principal.UserId(), postId, cancellationToken) is not { } saved)
        {
            return Problems.NotFound($"There is no post '{postId}' in your reach.");
        }
        var b = saved.Bookmark;
        var response = new PostBookmarkResponse(b.ItemId, b.Provider, b.ProviderPostId, b.Url, b.SavedAt, null);
        return saved.Created ? TypedResults.Created("/v1/bookmarks/posts", response) : TypedResults.Ok(response);
    }

    public static async Task<NoContent> RemoveBookmark(string postId, ClaimsPrincipal principal, PostBookmarks bookmarks, CancellationToken cancellationToken)
    {
        await bookmarks.RemoveAsync(principal.UserId(), postId, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ListResponse<PostBookmarkResponse>>, ValidationProblem>> Bookmarks(
        ClaimsPrincipal principal, PostBookmarks bookmarks, LinkedAccounts accounts, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (Limit(limit) is { } invalid)
        {
            return invalid;
        }
        var me = principal.UserId();
        var (items, next) = await bookmarks.ListAsync(me, limit ?? 20, cursor, cancellationToken);
        var linked = (await accounts.ListAsync(me, cancellationToken)).ToDictionary(a => a.Account.Id, a => a.Account);
        var all = items.Select(i => i.Bookmark.ItemId).ToHashSet(StringComparer.Ordinal);
        return TypedResults.Ok(new ListResponse<PostBookmarkResponse>([.. items.Select(i => new PostBookmarkResponse(
            i.Bookmark.ItemId, i.Bookmark.Provider, i.Bookmark.ProviderPostId, i.Bookmark.Url, i.Bookmark.SavedAt,
            i.Item is null ? null : FeedItemResponse.From(i.Item, linked, all, new HashSet<string>())))], next));
    }

    public static async Task<Results<Ok<WatchResponse>, ProblemHttpResult>> Watch(string sourceId, ClaimsPrincipal principal, Watches watches, CancellationToken cancellationToken) =>
        await watches.WatchAsync(principal.UserId(), sourceId, cancellationToken) is { } watch
            ? TypedResults.Ok(WatchResponse.From(watch))
            : Problems.NotFound($"'{sourceId}' is not a profile you follow nor a source of your linked accounts.");

    public static async Task<NoContent> Unwatch(string sourceId, ClaimsPrincipal principal, Watches watches, CancellationToken cancellationToken)
    {
        await watches.UnwatchAsync(principal.UserId(), sourceId, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<ListResponse<WatchResponse>>> Watches(ClaimsPrincipal principal, Watches watches, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ListResponse<WatchResponse>([.. (await watches.ListAsync(principal.UserId(), cancellationToken)).Select(WatchResponse.From)], null));

    private static ValidationProblem? Limit(int? limit) => limit is < 1 or > MaxLimit ? Problems.Invalid("limit", $"Must be 1–{MaxLimit}.") : null;

}
