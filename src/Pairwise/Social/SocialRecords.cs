using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Social;

/// <summary>Every key the social feature writes (see docs/keys.md).</summary>
internal static class SocialKeys
{
    public static ItemKey Following(string userId, string profileId) => new(FollowingPartition(userId), profileId);
    public static string FollowingPartition(string userId) => $"FOLLOWING#{userId}";
    public static ItemKey Follower(string profileId, string userId) => new(FollowersPartition(profileId), userId);
    public static string FollowersPartition(string profileId) => $"FOLLOWERS#{profileId}";
    public static ItemKey FollowerCount(string profileId) => new($"FOLLOWCOUNT#{profileId}", "FOLLOWERS");
    public static ItemKey FollowingCount(string userId) => new($"FOLLOWCOUNT#{userId}", "FOLLOWING");

    /// <summary>The profiles of a user that have social data (posts, followers): what erasing the user must find after the profiles are gone.</summary>
    public static ItemKey SocialProfile(string userId, string profileId) => new(SocialProfiles(userId), profileId);
    public static string SocialProfiles(string userId) => $"SOCIALPROFILES#{userId}";

    /// <summary>A profile's posts, newest last by sort key (<see cref="FeedEntry.SortKey"/>).</summary>
    public static string Posts(string profileId) => $"POSTS#{profileId}";

    /// <summary>Where a post id is found (its profile and sort key).</summary>
    public static ItemKey PostPointer(string postId) => new($"POST#{postId}", "POST");

    /// <summary>A linked account; GSI1 lists a provider's accounts for its connector, GSI2 finds one by id.</summary>
    public static ItemKey Linked(string userId, string linkedId) => new(LinkedPartition(userId), linkedId);
    public static string LinkedPartition(string userId) => $"LINKED#{userId}";
    public static string LinkedByProvider(string provider) => $"LINKEDBY#{provider}";
    public static string LinkedById(string linkedId) => $"LINK#{linkedId}";

    /// <summary>The cached posts a linked account brings (its follows' posts, or its feed's items).</summary>
    public static string ProviderPosts(string linkedId) => $"LINKEDPOSTS#{linkedId}";

    /// <summary>One poll of an account per interval across every connector worker.</summary>
    public static ItemKey PollLease(string linkedId) => new($"POLLLEASE#{linkedId}", "LEASE");

    public static ItemKey Watch(string userId, string sourceId) => new($"WATCHES#{userId}", sourceId);
    public static string Watches(string userId) => $"WATCHES#{userId}";
    public static ItemKey Watcher(string sourceId, string userId) => new(Watchers(sourceId), userId);
    public static string Watchers(string sourceId) => $"WATCHERS#{sourceId}";
    public static ItemKey WatchSent(string userId, string sourceId) => new($"WATCHSENT#{userId}#{sourceId}", "SENT");

    /// <summary>When the feed cache last missed a write: lists filled before it are rebuilt.</summary>
    public static readonly ItemKey CacheOutage = new("SOCIALCACHE", "OUTAGE");

    public static ItemKey PostBookmark(string userId, string itemId) => new($"POSTMARKS#{userId}", itemId);
    public static string PostBookmarkIndex(string userId) => $"POSTMARKS#{userId}";
}

public static class Providers
{
    public const string Pairwise = "pairwise";
    public const string Bluesky = "bluesky";
    public const string Feed = "feed";
}

/// <summary>
/// Where an item of the aggregated feed lives: the partition and sort key of its stored copy. The
/// sort key starts with the publication time, so the member string <c>{sortKey}|{partition}</c>
/// orders a user's whole feed newest first by plain ordinal comparison, in Redis and in memory.
/// </summary>
public readonly record struct FeedEntry(string Pk, string SortKey)
{
    public const char Separator = '|';

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public static string SortKeyOf(DateTimeOffset at, string localId) => $"{Time(at)}#{localId}";

    public string Member => $"{SortKey}{Separator}{Pk}";

    public ItemKey Key => new(Pk, SortKey);

    public static FeedEntry? Parse(string member) =>
        member.IndexOf(Separator, StringComparison.Ordinal) is var at and > 0 && at < member.Length - 1
            ? new FeedEntry(member[(at + 1)..], member[..at])
            : null;
}

/// <summary>A Pairwise post (or a listing announced as one).</summary>
public sealed record PostRecord
{
    public required string Id { get; init; }
    public required string ProfileId { get; init; }
    public required string UserId { get; init; }
    public required string Market { get; init; }
    public required string Side { get; init; }
    public required string AuthorName { get; init; }
    public required string Text { get; init; }
    public string? Link { get; init; }
    public IReadOnlyList<PostImage> Images { get; init; } = [];

    /// <summary>Set when the post announces a new listing of the profile.</summary>
    public string? ListingId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public string SortKey => FeedEntry.SortKeyOf(CreatedAt, Id);
}

public sealed record PostImage(string Id, string ContentType, int Width, int Height, IReadOnlyList<int> Widths)
{
    public static string Blob(string imageId) => $"posts/{imageId}";
}

public sealed record PostPointer(string ProfileId, string SortKey);

public sealed record FollowRecord(string ProfileId, string Market, string Side, DateTimeOffset FollowedAt);

public sealed record FollowerRecord(string UserId, DateTimeOffset FollowedAt);

/// <summary>An account on another network that a user linked, with its provider tokens sealed by Data Protection.</summary>
public sealed record LinkedAccountRecord
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string Provider { get; init; }

    /// <summary>The account's handle (Bluesky) or the feed's title.</summary>
    public required string Handle { get; init; }

    /// <summary>The provider's service (the PDS) or the feed's address.</summary>
    public required string Address { get; init; }

    /// <summary>The account's own id at the provider (a DID), when it has one.</summary>
    public string? ProviderId { get; init; }

    /// <summary>The address people open to see the account (a profile page, a blog).</summary>
    public string? ProfileUrl { get; init; }

    /// <summary>Shown on the user's profiles as proof of who they are (seed 002).</summary>
    public bool Public { get; init; }

    /// <summary>The provider's session, encrypted; never leaves the server.</summary>
    public string? SealedSession { get; init; }

    /// <summary>The accounts this one follows at the provider (their ids and handles).</summary>
    public IReadOnlyList<ProviderAuthor> Follows { get; init; } = [];

    /// <summary>Conditional GET validators of a feed.</summary>
    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    /// <summary>The WebSub hub a feed advertised and the secret of our subscription there (sealed).</summary>
    public string? Hub { get; init; }
    public string? Topic { get; init; }
    public string? SealedHubSecret { get; init; }
    public DateTimeOffset? HubSubscribedUntil { get; init; }

    public DateTimeOffset? LastSuccessAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public string? LastError { get; init; }
    public required DateTimeOffset LinkedAt { get; init; }
}

public sealed record ProviderAuthor(string Id, string Handle, string? Name = null);

/// <summary>A post from a provider, cached for as long as the account stays linked and the post upstream.</summary>
public sealed record ProviderPostRecord
{
    public required string LocalId { get; init; }
    public required string LinkedId { get; init; }
    public required string Provider { get; init; }

    /// <summary>The post's id upstream: an at:// URI, a feed entry's id.</summary>
    public required string ProviderPostId { get; init; }
    public required string SourceId { get; init; }
    public required string AuthorName { get; init; }
    public string? AuthorHandle { get; init; }
    public string? AuthorUrl { get; init; }
    public required string Text { get; init; }
    public string? Url { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }

    public string SortKey => FeedEntry.SortKeyOf(PublishedAt, LocalId);
}

public sealed record WatchRecord(string SourceId, string Kind, string Name, DateTimeOffset WatchedAt);

public sealed record PostBookmarkRecord(string ItemId, string Provider, string ProviderPostId, string? Url, DateTimeOffset SavedAt);

/// <summary>A Bluesky session as the connector keeps it (sealed in <see cref="LinkedAccountRecord.SealedSession"/>).</summary>
public sealed record ProviderSession(string AccessJwt, string RefreshJwt);

[JsonSerializable(typeof(PostRecord))]
[JsonSerializable(typeof(PostPointer))]
[JsonSerializable(typeof(FollowRecord))]
[JsonSerializable(typeof(FollowerRecord))]
[JsonSerializable(typeof(LinkedAccountRecord))]
[JsonSerializable(typeof(ProviderPostRecord))]
[JsonSerializable(typeof(WatchRecord))]
[JsonSerializable(typeof(PostBookmarkRecord))]
[JsonSerializable(typeof(ProviderSession))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class SocialJson : JsonSerializerContext;
