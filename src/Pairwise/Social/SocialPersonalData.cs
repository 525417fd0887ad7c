using System.Text.Json.Nodes;
using Pairwise.Accounts;
using Pairwise.Storage;

namespace Pairwise.Social;

/// <summary>
/// A user's social data in their archive, and gone with their account: whom they follow, their
/// profiles' posts (with images) and followers, their linked accounts (tokens and cached posts at
/// once), post bookmarks and watches. Linked accounts are exported without their sealed secrets.
/// </summary>
public sealed class SocialPersonalData(IItemStore store, Follows follows, Posts posts, LinkedAccounts linked, Timelines timelines) : IPersonalData
{
    public async Task ExportAsync(string userId, PersonalArchive archive, CancellationToken cancellationToken)
    {
        archive.Add("following", PersonalArchive.Array(await AllAsync(SocialKeys.FollowingPartition(userId), SocialJson.Default.FollowRecord, cancellationToken), SocialJson.Default.FollowRecord));
        var written = new List<PostRecord>();
        foreach (var profileId in await KeysAsync(SocialKeys.SocialProfiles(userId), cancellationToken))
        {
            written.AddRange(await AllAsync(SocialKeys.Posts(profileId), SocialJson.Default.PostRecord, cancellationToken));
        }
        archive.Add("posts", PersonalArchive.Array(written, SocialJson.Default.PostRecord));
        var accounts = new JsonArray();
        foreach (var (account, _) in await linked.ListAsync(userId, cancellationToken))
        {
            accounts.Add(new JsonObject
            {
                ["id"] = account.Id, ["provider"] = account.Provider, ["handle"] = account.Handle, ["address"] = account.Address,
                ["public"] = account.Public, ["linkedAt"] = account.LinkedAt,
            });
        }
        archive.Add("linkedAccounts", accounts);
        archive.Add("postBookmarks", PersonalArchive.Array(await AllAsync(SocialKeys.PostBookmarkIndex(userId), SocialJson.Default.PostBookmarkRecord, cancellationToken), SocialJson.Default.PostBookmarkRecord));
        archive.Add("watches", PersonalArchive.Array(await AllAsync(SocialKeys.Watches(userId), SocialJson.Default.WatchRecord, cancellationToken), SocialJson.Default.WatchRecord));
    }

    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        foreach (var profileId in await KeysAsync(SocialKeys.FollowingPartition(userId), cancellationToken))
        {
            await follows.UnfollowAsync(userId, profileId, cancellationToken);
        }
        foreach (var profileId in await KeysAsync(SocialKeys.SocialProfiles(userId), cancellationToken))
        {
            // Its followers stop following it; its posts (with their images) and its watchers' watches go.
            foreach (var follower in await KeysAsync(SocialKeys.FollowersPartition(profileId), cancellationToken))
            {
                await store.TransactAsync([new WriteOperation.Delete(SocialKeys.Following(follower, profileId)), new WriteOperation.Add(SocialKeys.FollowingCount(follower), -1)], cancellationToken);
                await timelines.InvalidateAsync(follower);
            }
            await store.DeletePartitionAsync(SocialKeys.FollowersPartition(profileId), cancellationToken);
            await store.DeleteAsync(SocialKeys.FollowerCount(profileId), Condition.None, cancellationToken);
            foreach (var post in await AllAsync(SocialKeys.Posts(profileId), SocialJson.Default.PostRecord, cancellationToken))
            {
                await posts.DeleteAsync(post.UserId, post.Id, cancellationToken);
            }
            await UnwatchAllAsync(profileId, cancellationToken);
        }
        await store.DeletePartitionAsync(SocialKeys.SocialProfiles(userId), cancellationToken);
        foreach (var (account, _) in await linked.ListAsync(userId, cancellationToken))
        {
            await linked.UnlinkAsync(userId, account.Id, cancellationToken);
        }
        await store.DeletePartitionAsync(SocialKeys.PostBookmarkIndex(userId), cancellationToken);
        foreach (var sourceId in await KeysAsync(SocialKeys.Watches(userId), cancellationToken))
        {
            await store.DeleteAsync(SocialKeys.Watcher(sourceId, userId), Condition.None, cancellationToken);
            await store.DeleteAsync(SocialKeys.WatchSent(userId, sourceId), Condition.None, cancellationToken);
        }
        await store.DeletePartitionAsync(SocialKeys.Watches(userId), cancellationToken);
        await store.DeleteAsync(SocialKeys.FollowingCount(userId), Condition.None, cancellationToken);
        await timelines.InvalidateAsync(userId);
    }

    private async Task UnwatchAllAsync(string sourceId, CancellationToken cancellationToken)
    {
        foreach (var watcher in await KeysAsync(SocialKeys.Watchers(sourceId), cancellationToken))
        {
            await store.DeleteAsync(SocialKeys.Watch(watcher, sourceId), Condition.None, cancellationToken);
        }
        await store.DeletePartitionAsync(SocialKeys.Watchers(sourceId), cancellationToken);
    }

    private async Task<List<string>> KeysAsync(string partition, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = partition, Limit = 1000 }, cancellationToken))
        {
            keys.Add(item.Sk);
        }
        return keys;
    }

    private async Task<List<T>> AllAsync<T>(string partition, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var records = new List<T>();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = partition, Limit = 1000 }, cancellationToken))
        {
            records.Add(ItemJson.Deserialize(item, type));
        }
        return records;
    }
}
