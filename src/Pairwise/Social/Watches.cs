using Microsoft.Extensions.Options;
using Pairwise.Accounts;
using Pairwise.Notifications;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Storage;

namespace Pairwise.Social;

/// <summary>
/// Watching a source (seed 004): a followed profile, a linked feed, or an account a linked account
/// follows. A new post of a watched source becomes a notification (in the app, by e-mail and push
/// as the user's preferences say), at most one per source per <see cref="SocialOptions.WatchInterval"/>.
/// </summary>
public sealed class Watches(
    IItemStore store, LinkedAccounts linked, ProfileStore profiles, Blocks blocks, Notifier notifier, IOptions<SocialOptions> options, TimeProvider time)
{
    /// <summary>Watches; null when the user cannot watch that source (it is not one of their followed profiles or linked sources).</summary>
    public async Task<WatchRecord?> WatchAsync(string userId, string sourceId, CancellationToken cancellationToken)
    {
        if (await DescribeAsync(userId, sourceId, cancellationToken) is not { } watch)
        {
            return null;
        }
        var key = SocialKeys.Watch(userId, sourceId);
        var watcher = SocialKeys.Watcher(sourceId, userId);
        var result = await store.TransactAsync(
        [
            new WriteOperation.Put(new Item { Pk = key.Pk, Sk = key.Sk, Version = 1, Data = ItemJson.Serialize(watch, SocialJson.Default.WatchRecord) }, Condition.NotExists),
            new WriteOperation.Put(new Item { Pk = watcher.Pk, Sk = watcher.Sk, Version = 1 }),
        ], cancellationToken);
        return result.Committed ? watch : ItemJson.Deserialize((await store.GetAsync(key, cancellationToken))!, SocialJson.Default.WatchRecord);
    }

    public async Task UnwatchAsync(string userId, string sourceId, CancellationToken cancellationToken)
    {
        if (sourceId.Length <= 100)
        {
            await store.TransactAsync([new WriteOperation.Delete(SocialKeys.Watch(userId, sourceId)), new WriteOperation.Delete(SocialKeys.Watcher(sourceId, userId))], cancellationToken);
        }
    }

    public async Task<IReadOnlyList<WatchRecord>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var watches = new List<WatchRecord>();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = SocialKeys.Watches(userId) }, cancellationToken))
        {
            watches.Add(ItemJson.Deserialize(item, SocialJson.Default.WatchRecord));
        }
        return watches;
    }

    private async Task<WatchRecord?> DescribeAsync(string userId, string sourceId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Ids.IsWellFormed(sourceId, Ids.Profile))
        {
            return await store.GetAsync(SocialKeys.Following(userId, sourceId), cancellationToken) is not null
                && await profiles.GetAsync(sourceId, cancellationToken) is { Record: var profile }
                && !await blocks.EitherBlockedAsync(userId, profile.UserId, cancellationToken)
                ? new WatchRecord(sourceId, Providers.Pairwise, profile.DisplayName, now)
                : null;
        }
        if (SourceIds.LinkedIdOf(sourceId) is not { } linkedId || await linked.GetAsync(userId, linkedId, cancellationToken) is not { Account: var account })
        {
            return null;
        }
        if (sourceId == linkedId)
        {
            return new WatchRecord(sourceId, account.Provider, account.Handle, now);
        }
        return account.Follows.FirstOrDefault(f => SourceIds.ForAuthor(linkedId, f.Id) == sourceId) is { } author
            ? new WatchRecord(sourceId, account.Provider, author.Handle, now)
            : null;
    }

    /// <summary>Tells the source's watchers of a new post, each at most once per interval; <paramref name="authorUserId"/> (a Pairwise author) is never told of, nor to, someone they blocked.</summary>
    public async Task NotifyAsync(string sourceId, string body, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken, string? authorUserId = null)
    {
        var now = time.GetUtcNow();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = SocialKeys.Watchers(sourceId), Limit = 1000 }, cancellationToken))
        {
            var userId = item.Sk;
            if (authorUserId is not null && await blocks.EitherBlockedAsync(userId, authorUserId, cancellationToken))
            {
                continue;
            }
            var sent = SocialKeys.WatchSent(userId, sourceId);
            var first = await store.PutAsync(new Item { Pk = sent.Pk, Sk = sent.Sk, Version = 1, ExpiresAt = now + options.Value.WatchInterval }, Condition.NotExists, cancellationToken);
            if (first)
            {
                await notifier.NotifyAsync(userId, NotificationTypes.Post, body, data, cancellationToken);
            }
        }
    }
}
