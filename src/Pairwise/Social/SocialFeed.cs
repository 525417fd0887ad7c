using Microsoft.Extensions.Options;
using Pairwise.Accounts;
using Pairwise.Storage;

namespace Pairwise.Social;

/// <summary>One item of the aggregated feed as stored: a Pairwise post or a provider's post, and its place in the feed.</summary>
public sealed record FeedRecord(string Member, PostRecord? Post, ProviderPostRecord? ProviderPost)
{
    public string Id => Post?.Id ?? ProviderItemId(ProviderPost!);

    /// <summary>A provider post's id: its account, time and local id (enough to find it without an index).</summary>
    public static string ProviderItemId(ProviderPostRecord post) => $"{post.LinkedId}~{post.SortKey.Replace('#', '~')}";

    public static ItemKey? KeyOfProviderItem(string itemId) =>
        itemId.Split('~') is [var linkedId, var at, var local] && Platform.Ids.IsWellFormed(linkedId, Platform.Ids.LinkedAccount) && at.Length == 17 && local.Length <= 40
            ? new ItemKey(SocialKeys.ProviderPosts(linkedId), $"{at}#{local}")
            : null;
}

public sealed record FeedPage(IReadOnlyList<FeedRecord> Items, string? NextBefore, IReadOnlyList<LinkedAccountRecord> Sources, bool FromStore);

/// <summary>
/// The aggregated feed (seed 004): posts of followed profiles (and the user's own), and of linked
/// accounts' follows, newest first. A page is read from the user's cached list (filled on write for Pairwise posts,
/// by the connectors for providers' posts); on a miss the list is built from the store (each
/// source's newest posts, merged), stored, and answered from. Posts of profiles with very many
/// followers are not fanned out but merged in at read. When the cache is away, pages are merged
/// from the store directly: slower, never wrong, nothing lost.
/// </summary>
public sealed class SocialFeed(
    IItemStore store, Follows follows, LinkedAccounts accounts, Blocks blocks, Timelines timelines, IOptions<SocialOptions> options)
{
    public async Task<FeedPage> PageAsync(string userId, int limit, string? before, CancellationToken cancellationToken)
    {
        var linked = (await accounts.ListAsync(userId, cancellationToken)).Select(a => a.Account).ToList();
        IReadOnlyList<string> members;
        var fromStore = false;
        try
        {
            members = await FromCacheAsync(userId, linked, limit, before, cancellationToken);
        }
        catch (Exception e) when (Timelines.IsCacheFailure(e))
        {
            members = await MergeAsync(await SourcesAsync(userId, linked, cancellationToken), before, limit, cancellationToken);
            fromStore = true;
        }
        var hidden = await blocks.HiddenFromAsync(userId, cancellationToken);
        var items = (await HydrateAsync(members, cancellationToken)).Where(i => i.Post is null || !hidden.Contains(i.Post.UserId)).ToList();
        var next = members.Count == limit ? FeedEntry.Parse(members[^1])?.SortKey : null;
        return new FeedPage(items, next, linked, fromStore);
    }

    private async Task<IReadOnlyList<string>> FromCacheAsync(string userId, IReadOnlyList<LinkedAccountRecord> linked, int limit, string? before, CancellationToken cancellationToken)
    {
        var slice = await timelines.ReadAsync(userId, before, limit);
        if (slice is null)
        {
            var (list, heavy) = await BuildAsync(userId, linked, cancellationToken);
            await timelines.FillAsync(userId, list, heavy);
            slice = new TimelineSlice([.. list.Where(m => before is null || string.CompareOrdinal(m, before + FeedEntry.Separator) < 0).Take(limit)],
                list.Count >= options.Value.FeedSize, heavy.ToHashSet(StringComparer.Ordinal), DateTimeOffset.MaxValue);
        }
        var members = slice.Members.ToList();
        if (slice.Truncated && members.Count < limit)
        {
            // Older than the list reaches: straight from the store.
            var from = members.Count > 0 ? FeedEntry.Parse(members[^1])?.SortKey : before;
            var sources = (await SourcesAsync(userId, linked, cancellationToken)).Except(slice.HeavyProfiles.Select(SocialKeys.Posts)).ToList();
            members.AddRange(await MergeAsync(sources, from, limit - members.Count, cancellationToken));
        }
        if (slice.HeavyProfiles.Count > 0)
        {
            members.AddRange(await MergeAsync([.. slice.HeavyProfiles.Select(SocialKeys.Posts)], before, limit, cancellationToken));
        }
        return Newest(members, limit);
    }

    /// <summary>The list to cache: the newest posts of every source except profiles merged at read, and which those are.</summary>
    private async Task<(IReadOnlyList<string> List, IReadOnlyList<string> Heavy)> BuildAsync(string userId, IReadOnlyList<LinkedAccountRecord> linked, CancellationToken cancellationToken)
    {
        var followed = await FollowedAndOwnAsync(userId, cancellationToken);
        var heavy = new List<string>();
        foreach (var chunk in followed.Chunk(100))
        {
            var counts = await store.GetManyAsync([.. chunk.Select(SocialKeys.FollowerCount)], cancellationToken);
            heavy.AddRange(counts.Where(c => c.Counter > options.Value.FanOutLimit).Select(c => c.Pk["FOLLOWCOUNT#".Length..]));
        }
        var sources = followed.Except(heavy).Select(SocialKeys.Posts).Concat(linked.Select(a => SocialKeys.ProviderPosts(a.Id))).ToList();
        return (await MergeAsync(sources, null, options.Value.FeedSize, cancellationToken), heavy);
    }

    private async Task<IReadOnlyList<string>> SourcesAsync(string userId, IReadOnlyList<LinkedAccountRecord> linked, CancellationToken cancellationToken) =>
        [.. (await FollowedAndOwnAsync(userId, cancellationToken)).Select(SocialKeys.Posts).Concat(linked.Select(a => SocialKeys.ProviderPosts(a.Id)))];

    /// <summary>The profiles whose posts the user's feed shows: those they follow, and their own.</summary>
    private async Task<IReadOnlyList<string>> FollowedAndOwnAsync(string userId, CancellationToken cancellationToken) =>
        [.. (await follows.AllFollowedAsync(userId, cancellationToken)).Union(await follows.OwnPublishingAsync(userId, cancellationToken), StringComparer.Ordinal)];

    /// <summary>The newest <paramref name="count"/> entries older than <paramref name="before"/> over the partitions, each read once.</summary>
    private async Task<IReadOnlyList<string>> MergeAsync(IReadOnlyList<string> partitions, string? before, int count, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (pk, ct) =>
        {
            var page = await store.QueryAsync(new Query
            {
                Pk = pk,
                Descending = true,
                Limit = count,
                SortKey = before is null ? SortKeyCondition.Any : SortKeyCondition.LessThan(before),
            }, ct);
            foreach (var item in page.Items)
            {
                found.Add(new FeedEntry(item.Pk, item.Sk).Member);
            }
        });
        return Newest(found, count);
    }

    /// <summary>Newest first, one entry per post (the same post through two linked accounts shows once).</summary>
    private static List<string> Newest(IEnumerable<string> members, int count) =>
        [.. members.OrderDescending(StringComparer.Ordinal).DistinctBy(m => FeedEntry.Parse(m)?.SortKey ?? m).Take(count)];

    public async Task<IReadOnlyList<FeedRecord>> HydrateAsync(IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        var entries = members.Select(FeedEntry.Parse).OfType<FeedEntry>().ToList();
        var items = new Dictionary<ItemKey, Item>();
        foreach (var chunk in entries.Chunk(100))
        {
            foreach (var item in await store.GetManyAsync([.. chunk.Select(e => e.Key).Distinct()], cancellationToken))
            {
                items[item.Key] = item;
            }
        }
        var records = new List<FeedRecord>();
        foreach (var entry in entries)
        {
            if (!items.TryGetValue(entry.Key, out var item))
            {
                continue; // deleted since it was listed
            }
            records.Add(entry.Pk.StartsWith("POSTS#", StringComparison.Ordinal)
                ? new FeedRecord(entry.Member, ItemJson.Deserialize(item, SocialJson.Default.PostRecord), null)
                : new FeedRecord(entry.Member, null, ItemJson.Deserialize(item, SocialJson.Default.ProviderPostRecord)));
        }
        return records;
    }
}
