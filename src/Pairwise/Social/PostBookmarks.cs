using Pairwise.Accounts;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Social;

/// <summary>
/// Bookmarks of feed posts (seed 004: provider, post id, timestamp), beside the listing bookmarks.
/// A bookmark outlives its cached copy: when the post is gone (unlinked, deleted upstream) the
/// bookmark still says where it was.
/// </summary>
public sealed class PostBookmarks(IItemStore store, Posts posts, LinkedAccounts accounts, Blocks blocks, SocialFeed feed, TimeProvider time)
{
    /// <summary>Saves; null when the user cannot see such a post. Saving twice keeps the first time.</summary>
    public async Task<(PostBookmarkRecord Bookmark, bool Created)?> SaveAsync(string userId, string itemId, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, itemId, cancellationToken) is not { } found)
        {
            return null;
        }
        var record = found.Post is { } post
            ? new PostBookmarkRecord(itemId, Providers.Pairwise, post.Id, post.Link, time.GetUtcNow())
            : new PostBookmarkRecord(itemId, found.ProviderPost!.Provider, found.ProviderPost.ProviderPostId, found.ProviderPost.Url, time.GetUtcNow());
        var key = SocialKeys.PostBookmark(userId, itemId);
        var saved = await store.PutAsync(new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Gsi1Pk = SocialKeys.PostBookmarkIndex(userId),
            Gsi1Sk = $"{FeedEntry.Time(record.SavedAt)}#{itemId}",
            Data = ItemJson.Serialize(record, SocialJson.Default.PostBookmarkRecord),
            Version = 1,
        }, Condition.NotExists, cancellationToken);
        return saved ? (record, true) : (ItemJson.Deserialize((await store.GetAsync(key, cancellationToken))!, SocialJson.Default.PostBookmarkRecord), false);
    }

    public async Task RemoveAsync(string userId, string itemId, CancellationToken cancellationToken)
    {
        if (itemId.Length <= 120)
        {
            await store.DeleteAsync(SocialKeys.PostBookmark(userId, itemId), Condition.None, cancellationToken);
        }
    }

    /// <summary>Which of these item ids the user saved.</summary>
    public async Task<IReadOnlySet<string>> SavedAmongAsync(string userId, IReadOnlyList<string> itemIds, CancellationToken cancellationToken)
    {
        var saved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in itemIds.Distinct().Chunk(100))
        {
            saved.UnionWith((await store.GetManyAsync([.. chunk.Select(id => SocialKeys.PostBookmark(userId, id))], cancellationToken)).Select(i => i.Sk));
        }
        return saved;
    }

    /// <summary>A page of bookmarks, newest first, each with the post when it is still there.</summary>
    public async Task<(IReadOnlyList<(PostBookmarkRecord Bookmark, FeedRecord? Item)> Items, string? Cursor)> ListAsync(
        string userId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Index = ItemIndex.Gsi1, Pk = SocialKeys.PostBookmarkIndex(userId), Descending = true, Limit = limit, Cursor = cursor }, cancellationToken);
        var items = new List<(PostBookmarkRecord, FeedRecord?)>();
        foreach (var bookmark in page.Items.Select(i => ItemJson.Deserialize(i, SocialJson.Default.PostBookmarkRecord)))
        {
            items.Add((bookmark, await FindAsync(userId, bookmark.ItemId, cancellationToken)));
        }
        return (items, page.Cursor);
    }

    /// <summary>The post behind an item id, when this user may see it: any Pairwise post of someone not blocked, or a post cached for one of their own linked accounts.</summary>
    private async Task<FeedRecord?> FindAsync(string userId, string itemId, CancellationToken cancellationToken)
    {
        if (Ids.IsWellFormed(itemId, Ids.Post))
        {
            return await posts.GetAsync(itemId, cancellationToken) is { } post && !await blocks.EitherBlockedAsync(userId, post.UserId, cancellationToken)
                ? new FeedRecord(new FeedEntry(SocialKeys.Posts(post.ProfileId), post.SortKey).Member, post, null)
                : null;
        }
        if (FeedRecord.KeyOfProviderItem(itemId) is not { } key || await accounts.GetAsync(userId, itemId.Split('~')[0], cancellationToken) is null)
        {
            return null;
        }
        return await feed.HydrateAsync([new FeedEntry(key.Pk, key.Sk).Member], cancellationToken) is [var found] ? found : null;
    }
}
