using System.ComponentModel.DataAnnotations;

namespace Pairwise.Social;

public sealed record PostRequest([Required, MaxLength(64)] string ProfileId, [MaxLength(Posts.MaxText)] string? Text, [MaxLength(2048)] string? Link);

public sealed record ImageResponse(string Url, int Width, int Height, string Srcset);

public sealed record AuthorResponse(string Name, string? Handle = null, string? ProfileId = null, string? Url = null, string? PhotoUrl = null);

public sealed record PostResponse(
    string Id, string ProfileId, string Market, string Side, AuthorResponse Author, string Text, string? Link, IReadOnlyList<ImageResponse> Images,
    string? ListingId, DateTimeOffset CreatedAt)
{
    public static PostResponse From(PostRecord post) => new(
        post.Id, post.ProfileId, post.Market, post.Side, new AuthorResponse(post.AuthorName, ProfileId: post.ProfileId),
        post.Text, post.Link, ImagesOf(post), post.ListingId, post.CreatedAt);

    public static IReadOnlyList<ImageResponse> ImagesOf(PostRecord post) =>
        [.. post.Images.Select(i =>
        {
            var url = $"/v1/posts/{post.Id}/images/{i.Id}";
            return new ImageResponse(url, i.Width, i.Height, string.Join(", ", i.Widths.Select(w => $"{url}?w={w} {w}w").Append($"{url} {i.Width}w")));
        })];
}

/// <summary>Where a feed item came from: a followed profile, or one of the reader's linked accounts (stale when its last poll failed).</summary>
public sealed record SourceResponse(
    string Kind, string Id, string? ProfileId = null, string? Market = null, string? LinkedAccountId = null, string? Account = null,
    bool Stale = false, DateTimeOffset? FetchedAt = null, bool Watching = false);

public sealed record FeedItemResponse(
    string Id, SourceResponse Source, AuthorResponse Author, string Text, string? Url, IReadOnlyList<ImageResponse> Images, string? ListingId,
    DateTimeOffset PublishedAt, bool Bookmarked)
{
    public static FeedItemResponse From(FeedRecord item, IReadOnlyDictionary<string, LinkedAccountRecord> linked, IReadOnlySet<string> bookmarked, IReadOnlySet<string> watched)
    {
        if (item.Post is { } post)
        {
            var author = new AuthorResponse(post.AuthorName, ProfileId: post.ProfileId);
            return new FeedItemResponse(post.Id, new SourceResponse(Providers.Pairwise, post.ProfileId, post.ProfileId, post.Market, Watching: watched.Contains(post.ProfileId)), author, post.Text, post.Link,
                PostResponse.ImagesOf(post), post.ListingId, post.CreatedAt, bookmarked.Contains(post.Id));
        }
        var found = item.ProviderPost!;
        var account = linked.GetValueOrDefault(found.LinkedId);
        var source = new SourceResponse(found.Provider, found.SourceId, LinkedAccountId: found.LinkedId, Account: account?.Handle,
            Stale: account?.LastError is not null, FetchedAt: account?.LastSuccessAt, Watching: watched.Contains(found.SourceId));
        return new FeedItemResponse(item.Id, source, new AuthorResponse(found.AuthorName, found.AuthorHandle, Url: found.AuthorUrl), found.Text, found.Url, [], null,
            found.PublishedAt, bookmarked.Contains(item.Id));
    }
}

public sealed record LinkedAccountResponse(
    string Id, string Provider, string Handle, string Address, string? ProfileUrl, bool Public, int Follows, bool Stale, string? Error,
    DateTimeOffset? LastFetchedAt, bool Push, DateTimeOffset LinkedAt)
{
    public static LinkedAccountResponse From(LinkedAccountRecord a, DateTimeOffset now) => new(
        a.Id, a.Provider, a.Handle, a.Address, a.ProfileUrl, a.Public, a.Follows.Count, a.LastError is not null, a.LastError, a.LastSuccessAt,
        a.HubSubscribedUntil > now, a.LinkedAt);
}

public sealed record SocialFeedResponse(IReadOnlyList<FeedItemResponse> Items, string? NextCursor, IReadOnlyList<LinkedAccountResponse> Sources);

/// <summary>A link request: <c>{provider: "bluesky", service, identifier, appPassword}</c> or <c>{provider: "feed", url}</c>.</summary>
public sealed record LinkAccountRequest(
    [Required, MaxLength(20)] string Provider, [MaxLength(2048)] string? Service, [MaxLength(253)] string? Identifier, [MaxLength(200)] string? AppPassword,
    [MaxLength(2048)] string? Url, bool? Public);

public sealed record LinkedAccountChange(bool? Public);

public sealed record FollowResponse(string ProfileId, bool Following, long Followers);

public sealed record FollowingResponse(string ProfileId, string Market, string Side, string DisplayName, string? PhotoUrl, DateTimeOffset FollowedAt)
{
    public static FollowingResponse From(FollowedProfile f) => new(
        f.Follow.ProfileId, f.Follow.Market, f.Follow.Side, f.Profile!.DisplayName, f.Profile.Photo is null ? null : $"/v1/profiles/{f.Follow.ProfileId}/photo", f.Follow.FollowedAt);
}

public sealed record FollowingList(IReadOnlyList<FollowingResponse> Items, long Total, string? NextCursor);

public sealed record FollowersList(IReadOnlyList<FollowerView> Items, long Total, bool Following, string? NextCursor);

public sealed record WatchResponse(string SourceId, string Kind, string Name, DateTimeOffset WatchedAt)
{
    public static WatchResponse From(WatchRecord w) => new(w.SourceId, w.Kind, w.Name, w.WatchedAt);
}

public sealed record PostBookmarkResponse(string ItemId, string Provider, string ProviderPostId, string? Url, DateTimeOffset SavedAt, FeedItemResponse? Post);

public sealed record PublicSocial(string Provider, string Handle, string? Url);
