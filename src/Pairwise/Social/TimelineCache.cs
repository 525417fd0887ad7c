using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Pairwise.Storage;
using StackExchange.Redis;

namespace Pairwise.Social;

/// <summary>What a user's cached feed list gave for a page: its members, and whether older items exist beyond the list.</summary>
public sealed record TimelineSlice(IReadOnlyList<string> Members, bool Truncated, IReadOnlySet<string> HeavyProfiles, DateTimeOffset FilledAt);

/// <summary>
/// Seed 004's fixed-size feed lists: per user, the newest <see cref="SocialOptions.FeedSize"/>
/// entry members (<see cref="FeedEntry.Member"/>), with a time to live. Only a cache: the store
/// holds every post, and a missing or failed list is rebuilt from it.
/// </summary>
public interface ITimelineCache
{
    /// <summary>Up to <paramref name="count"/> members older than <paramref name="before"/> (a sort key), newest first; null on a miss.</summary>
    Task<TimelineSlice?> ReadAsync(string userId, string? before, int count);

    /// <summary>Replaces the user's list, and remembers which followed profiles are merged at read instead.</summary>
    Task FillAsync(string userId, IReadOnlyList<string> members, IReadOnlyCollection<string> heavyProfiles);

    /// <summary>Adds a member to the lists of those users that have one (a list that expired is rebuilt whole when next read).</summary>
    Task AddAsync(IReadOnlyList<string> userIds, string member);

    Task RemoveAsync(string userId, IReadOnlyList<string> members);

    /// <summary>Drops the user's list: the next read rebuilds it (after a follow, an unfollow, a link or an unlink).</summary>
    Task InvalidateAsync(string userId);
}

/// <summary>
/// The lists in Redis, shared by every node: a sorted set per user whose members all score 0, so
/// that they order by the member string (time first). A sentinel member marks a list that exists
/// but is empty; trimming keeps it.
/// </summary>
public sealed class RedisTimelineCache(IConnectionMultiplexer redis, IOptions<SocialOptions> options, TimeProvider time) : ITimelineCache
{
    private const string Sentinel = "!";
    private const string Prefix = "pairwise:social:";

    private static RedisKey List(string userId) => $"{Prefix}feed:{userId}";
    private static RedisKey Heavy(string userId) => $"{Prefix}heavy:{userId}";
    private static RedisKey Filled(string userId) => $"{Prefix}filled:{userId}";

    // Adds only where the list exists, then trims to the newest entries above the sentinel.
    private static readonly LuaScript AddScript = LuaScript.Prepare(
        "if redis.call('EXISTS', @list) == 1 then redis.call('ZADD', @list, 0, @member); redis.call('ZREMRANGEBYRANK', @list, 1, -(tonumber(@size) + 1)) end");

    public async Task<TimelineSlice?> ReadAsync(string userId, string? before, int count)
    {
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var length = batch.SortedSetLengthAsync(List(userId));
        var members = batch.SortedSetRangeByValueAsync(List(userId), Sentinel, before is null ? default : before + FeedEntry.Separator,
            Exclude.Both, Order.Descending, 0, count);
        var heavy = batch.SetMembersAsync(Heavy(userId));
        var filled = batch.StringGetAsync(Filled(userId));
        batch.Execute();
        if (await length == 0 || !long.TryParse((string?)await filled, out var filledAt))
        {
            return null;
        }
        var found = await members;
        return new TimelineSlice([.. found.Select(m => m.ToString())], await length - 1 >= options.Value.FeedSize,
            (await heavy).Select(h => h.ToString()).ToHashSet(StringComparer.Ordinal), DateTimeOffset.FromUnixTimeMilliseconds(filledAt));
    }

    public async Task FillAsync(string userId, IReadOnlyList<string> members, IReadOnlyCollection<string> heavyProfiles)
    {
        var ttl = options.Value.FeedTtl;
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.KeyDeleteAsync([List(userId), Heavy(userId)]);
        _ = transaction.StringSetAsync(Filled(userId), time.GetUtcNow().ToUnixTimeMilliseconds(), ttl);
        _ = transaction.SortedSetAddAsync(List(userId), [new SortedSetEntry(Sentinel, 0), .. members.Select(m => new SortedSetEntry(m, 0))]);
        _ = transaction.KeyExpireAsync(List(userId), ttl);
        if (heavyProfiles.Count > 0)
        {
            _ = transaction.SetAddAsync(Heavy(userId), [.. heavyProfiles.Select(p => (RedisValue)p)]);
            _ = transaction.KeyExpireAsync(Heavy(userId), ttl);
        }
        await transaction.ExecuteAsync();
    }

    public async Task AddAsync(IReadOnlyList<string> userIds, string member)
    {
        var db = redis.GetDatabase();
        var size = options.Value.FeedSize;
        // One round trip per batch of users, however many followers there are.
        foreach (var chunk in userIds.Chunk(1000))
        {
            var batch = db.CreateBatch();
            var sent = chunk.Select(user => AddScript.EvaluateAsync(batch, new { list = List(user), member = (RedisValue)member, size })).ToList();
            batch.Execute();
            await Task.WhenAll(sent);
        }
    }

    public async Task RemoveAsync(string userId, IReadOnlyList<string> members)
    {
        if (members.Count > 0)
        {
            await redis.GetDatabase().SortedSetRemoveAsync(List(userId), [.. members.Select(m => (RedisValue)m)]);
        }
    }

    public Task InvalidateAsync(string userId) => redis.GetDatabase().KeyDeleteAsync([List(userId), Heavy(userId), Filled(userId)]);
}

/// <summary>The lists in this process, for a node without Redis (the embedded default: one node).</summary>
public sealed class MemoryTimelineCache(IOptions<SocialOptions> options, TimeProvider time) : ITimelineCache
{
    private sealed class Entry(DateTimeOffset filled, DateTimeOffset expires, IReadOnlySet<string> heavy)
    {
        public DateTimeOffset Filled { get; } = filled;
        public SortedSet<string> Members { get; } = new(StringComparer.Ordinal);
        public DateTimeOffset Expires { get; } = expires;
        public IReadOnlySet<string> Heavy { get; } = heavy;
    }

    private readonly ConcurrentDictionary<string, Entry> _lists = new(StringComparer.Ordinal);
    private long _fills;

    private Entry? Live(string userId) =>
        _lists.TryGetValue(userId, out var entry) && entry.Expires > time.GetUtcNow() ? entry : null;

    public Task<TimelineSlice?> ReadAsync(string userId, string? before, int count)
    {
        if (Live(userId) is not { } entry)
        {
            return Task.FromResult<TimelineSlice?>(null);
        }
        lock (entry)
        {
            var bound = before is null ? null : before + FeedEntry.Separator;
            var members = entry.Members.Reverse().Where(m => bound is null || string.CompareOrdinal(m, bound) < 0).Take(count).ToList();
            return Task.FromResult<TimelineSlice?>(new TimelineSlice(members, entry.Members.Count >= options.Value.FeedSize, entry.Heavy, entry.Filled));
        }
    }

    public Task FillAsync(string userId, IReadOnlyList<string> members, IReadOnlyCollection<string> heavyProfiles)
    {
        var now = time.GetUtcNow();
        var entry = new Entry(now, now + options.Value.FeedTtl, heavyProfiles.ToHashSet(StringComparer.Ordinal));
        entry.Members.UnionWith(members);
        _lists[userId] = entry;
        // Now and then, forget the lists whose time is up (nobody reads them to find out).
        if (Interlocked.Increment(ref _fills) % 1024 == 0)
        {
            foreach (var (user, list) in _lists)
            {
                if (list.Expires <= now)
                {
                    _lists.TryRemove(user, out _);
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task AddAsync(IReadOnlyList<string> userIds, string member)
    {
        foreach (var userId in userIds)
        {
            if (Live(userId) is { } entry)
            {
                lock (entry)
                {
                    entry.Members.Add(member);
                    while (entry.Members.Count > options.Value.FeedSize)
                    {
                        entry.Members.Remove(entry.Members.Min!);
                    }
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string userId, IReadOnlyList<string> members)
    {
        if (Live(userId) is { } entry)
        {
            lock (entry)
            {
                entry.Members.ExceptWith(members);
            }
        }
        return Task.CompletedTask;
    }

    public Task InvalidateAsync(string userId)
    {
        _lists.TryRemove(userId, out _);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The feed lists as the features use them. Redis is never the only copy: a write the cache could
/// not take (it was down) is recorded as an outage in the store, and every list filled before the
/// last outage is rebuilt when next read, so a Redis that comes back with old lists (persisted, or
/// only cut off for a while) never hides a post. Reads that fail are the caller's to answer from
/// the store.
/// </summary>
public sealed class Timelines(ITimelineCache cache, IItemStore store, TimeProvider time)
{
    private static readonly TimeSpan OutageCheck = TimeSpan.FromSeconds(1);
    private (DateTimeOffset ReadAt, DateTimeOffset? Outage) _lastOutage = (DateTimeOffset.MinValue, null);

    /// <summary>True for the failures of a cache that is away (Redis down or slow): the store answers instead.</summary>
    public static bool IsCacheFailure(Exception e) => e is RedisException or TimeoutException;

    public async Task<TimelineSlice?> ReadAsync(string userId, string? before, int count)
    {
        var slice = await cache.ReadAsync(userId, before, count);
        return slice is not null && await LastOutageAsync() is { } outage && slice.FilledAt <= outage ? null : slice;
    }

    public async Task FillAsync(string userId, IReadOnlyList<string> members, IReadOnlyCollection<string> heavyProfiles)
    {
        try
        {
            await cache.FillAsync(userId, members, heavyProfiles);
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            // Not filled: the next read builds it again.
        }
    }

    public Task AddAsync(IReadOnlyList<string> userIds, string member) => WriteAsync(() => cache.AddAsync(userIds, member));

    public Task RemoveAsync(string userId, IReadOnlyList<string> members) => WriteAsync(() => cache.RemoveAsync(userId, members));

    public Task InvalidateAsync(string userId) => WriteAsync(() => cache.InvalidateAsync(userId));

    private async Task WriteAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            var now = time.GetUtcNow();
            await store.PutAsync(new Item
            {
                Pk = SocialKeys.CacheOutage.Pk, Sk = SocialKeys.CacheOutage.Sk, Version = 1,
                Data = System.Text.Encoding.UTF8.GetBytes(now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            });
            _lastOutage = (now, now);
        }
    }

    /// <summary>When the cache last missed a write (any node), read from the store at most once a second.</summary>
    private async Task<DateTimeOffset?> LastOutageAsync()
    {
        var (readAt, outage) = _lastOutage;
        if (time.GetUtcNow() - readAt < OutageCheck)
        {
            return outage;
        }
        var item = await store.GetAsync(SocialKeys.CacheOutage);
        outage = item is not null && long.TryParse(System.Text.Encoding.UTF8.GetString(item.Data), out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        _lastOutage = (time.GetUtcNow(), outage);
        return outage;
    }
}
