using Pairwise.Accounts;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Storage;

namespace Pairwise.Social;

public sealed record FollowedProfile(FollowRecord Follow, ProfileRecord? Profile);

public sealed record FollowerView(string UserId, string Name, DateTimeOffset FollowedAt);

/// <summary>
/// Following inside Pairwise: a user follows a profile (a startup, an investor, a seller, an
/// employer) in any market. Two items per follow (one per direction, so that both lists page) and a
/// counter per side, written in one transaction; a block either way hides the profile as if it did
/// not exist.
/// </summary>
public sealed class Follows(
    IItemStore store, ProfileStore profiles, Blocks blocks, UserStore users, Timelines timelines, Microsoft.Extensions.Options.IOptions<SocialOptions> options, TimeProvider time)
{
    /// <summary>The profile, when <paramref name="viewerId"/> may see it (it exists and neither blocked the other).</summary>
    public async Task<ProfileRecord?> VisibleProfileAsync(string viewerId, string profileId, CancellationToken cancellationToken)
    {
        if (!Ids.IsWellFormed(profileId, Ids.Profile) || await profiles.GetAsync(profileId, cancellationToken) is not { Record: var profile }
            || await blocks.EitherBlockedAsync(viewerId, profile.UserId, cancellationToken))
        {
            return null;
        }
        return profile;
    }

    /// <summary>Follows; null when there is no such profile for the user, false when it is their own.</summary>
    public async Task<bool?> FollowAsync(string userId, string profileId, CancellationToken cancellationToken)
    {
        if (await VisibleProfileAsync(userId, profileId, cancellationToken) is not { } profile)
        {
            return null;
        }
        if (profile.UserId == userId)
        {
            return false;
        }
        var now = time.GetUtcNow();
        var following = SocialKeys.Following(userId, profileId);
        var follower = SocialKeys.Follower(profileId, userId);
        var result = await store.TransactAsync(
        [
            new WriteOperation.Put(new Item
            {
                Pk = following.Pk, Sk = following.Sk, Version = 1,
                Data = ItemJson.Serialize(new FollowRecord(profileId, profile.Market, profile.Side, now), SocialJson.Default.FollowRecord),
            }, Condition.NotExists),
            new WriteOperation.Put(new Item
            {
                Pk = follower.Pk, Sk = follower.Sk, Version = 1,
                Data = ItemJson.Serialize(new FollowerRecord(userId, now), SocialJson.Default.FollowerRecord),
            }),
            new WriteOperation.Add(SocialKeys.FollowerCount(profileId), 1),
            new WriteOperation.Add(SocialKeys.FollowingCount(userId), 1),
            new WriteOperation.Put(new Item { Pk = SocialKeys.SocialProfiles(profile.UserId), Sk = profileId, Version = 1 }),
        ], cancellationToken);
        if (result.Committed)
        {
            await timelines.InvalidateAsync(userId);
            if (await FollowerCountAsync(profileId, cancellationToken) == options.Value.FanOutLimit + 1)
            {
                await BecameHeavyAsync(profileId, cancellationToken);
            }
        }
        return true;
    }

    /// <summary>
    /// The profile just passed the fan-out limit: its posts are no longer fanned out, so every list
    /// built while it still was is dropped, and is rebuilt knowing to merge its posts at read.
    /// </summary>
    private async Task BecameHeavyAsync(string profileId, CancellationToken cancellationToken)
    {
        await foreach (var item in AllFollowersAsync(profileId, cancellationToken))
        {
            await timelines.InvalidateAsync(item.Sk);
        }
    }

    /// <summary>Unfollows; following nothing is not an error.</summary>
    public async Task UnfollowAsync(string userId, string profileId, CancellationToken cancellationToken)
    {
        if (profileId.Length > 64)
        {
            return;
        }
        var result = await store.TransactAsync(
        [
            new WriteOperation.Delete(SocialKeys.Following(userId, profileId), Condition.Exists),
            new WriteOperation.Delete(SocialKeys.Follower(profileId, userId)),
            new WriteOperation.Add(SocialKeys.FollowerCount(profileId), -1),
            new WriteOperation.Add(SocialKeys.FollowingCount(userId), -1),
        ], cancellationToken);
        if (result.Committed)
        {
            await timelines.InvalidateAsync(userId);
        }
    }

    public async Task<bool> IsFollowingAsync(string userId, string profileId, CancellationToken cancellationToken) =>
        await store.GetAsync(SocialKeys.Following(userId, profileId), cancellationToken) is not null;

    public async Task<long> FollowerCountAsync(string profileId, CancellationToken cancellationToken) =>
        Math.Max(0, (await store.GetAsync(SocialKeys.FollowerCount(profileId), cancellationToken))?.Counter ?? 0);

    public async Task<long> FollowingCountAsync(string userId, CancellationToken cancellationToken) =>
        Math.Max(0, (await store.GetAsync(SocialKeys.FollowingCount(userId), cancellationToken))?.Counter ?? 0);

    /// <summary>A page of the profiles a user follows, oldest follow first; profiles since deleted or hidden are left out.</summary>
    public async Task<(IReadOnlyList<FollowedProfile> Items, string? Cursor)> FollowingAsync(string userId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Pk = SocialKeys.FollowingPartition(userId), Limit = limit, Cursor = cursor }, cancellationToken);
        var follows = page.Items.Select(i => ItemJson.Deserialize(i, SocialJson.Default.FollowRecord)).ToList();
        var found = (await profiles.GetManyAsync([.. follows.Select(f => f.ProfileId)], cancellationToken)).ToDictionary(p => p.Id);
        var hidden = await blocks.HiddenFromAsync(userId, cancellationToken);
        var items = follows
            .Select(f => new FollowedProfile(f, found.GetValueOrDefault(f.ProfileId)))
            .Where(f => f.Profile is not null && !hidden.Contains(f.Profile.UserId))
            .ToList();
        return (items, page.Cursor);
    }

    /// <summary>Every profile id a user follows (for building their feed).</summary>
    public async Task<IReadOnlyList<string>> AllFollowedAsync(string userId, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = SocialKeys.FollowingPartition(userId), Limit = 1000 }, cancellationToken))
        {
            ids.Add(item.Sk);
        }
        return ids;
    }

    /// <summary>The user's own profiles that publish (their posts belong in the user's own feed too).</summary>
    public async Task<IReadOnlyList<string>> OwnPublishingAsync(string userId, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = SocialKeys.SocialProfiles(userId) }, cancellationToken))
        {
            ids.Add(item.Sk);
        }
        return ids;
    }

    /// <summary>A page of a profile's followers as the viewer may see them (people who blocked or were blocked by the viewer are left out).</summary>
    public async Task<(IReadOnlyList<FollowerView> Items, string? Cursor)> FollowersAsync(string viewerId, string profileId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Pk = SocialKeys.FollowersPartition(profileId), Limit = limit, Cursor = cursor }, cancellationToken);
        var hidden = await blocks.HiddenFromAsync(viewerId, cancellationToken);
        var items = new List<FollowerView>();
        foreach (var follower in page.Items.Select(i => ItemJson.Deserialize(i, SocialJson.Default.FollowerRecord)).Where(f => !hidden.Contains(f.UserId)))
        {
            if (await users.FindAsync(follower.UserId, cancellationToken) is { } user)
            {
                items.Add(new FollowerView(user.Id, user.DisplayName, follower.FollowedAt));
            }
        }
        return (items, page.Cursor);
    }

    /// <summary>Every follower's user id, page by page (fan-out on write).</summary>
    public IAsyncEnumerable<Item> AllFollowersAsync(string profileId, CancellationToken cancellationToken) =>
        store.QueryAllAsync(new Query { Pk = SocialKeys.FollowersPartition(profileId), Limit = 1000 }, cancellationToken);
}
