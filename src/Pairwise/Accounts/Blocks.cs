using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Accounts;

/// <summary>The keys of blocks, in the users' partitions (see docs/keys.md).</summary>
internal static class BlockKeys
{
    /// <summary>The blocker's record of a block; its partition is everyone they blocked.</summary>
    public static ItemKey Block(string blockerId, string blockedId) => new($"USER#{blockerId}", $"BLOCK#{blockedId}");

    /// <summary>The mirror under the blocked user, so their feed can hide the blocker without asking anyone.</summary>
    public static ItemKey BlockedBy(string blockedId, string blockerId) => new($"USER#{blockedId}", $"BLOCKEDBY#{blockerId}");
}

public sealed record BlockRecord(string UserId, DateTimeOffset At);

[JsonSerializable(typeof(BlockRecord))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class BlockJson : JsonSerializerContext;

/// <summary>Blocks between users, read by the feed, swipes and conversations. A block hides both ways.</summary>
public sealed class Blocks(IItemStore store)
{
    /// <summary>The users <paramref name="userId"/> blocked or was blocked by: neither side sees the other.</summary>
    public async Task<HashSet<string>> HiddenFromAsync(string userId, CancellationToken cancellationToken)
    {
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        // One range read covers both kinds: "BLOCK#{them}" (I blocked) and "BLOCKEDBY#{them}" (they blocked me).
        await foreach (var item in store.QueryAllAsync(new Query { Pk = $"USER#{userId}", SortKey = SortKeyCondition.BeginsWith("BLOCK"), Limit = 1000 }, cancellationToken))
        {
            foreach (var prefix in (string[])["BLOCK#", "BLOCKEDBY#"])
            {
                if (item.Sk.StartsWith(prefix, StringComparison.Ordinal))
                {
                    hidden.Add(item.Sk[prefix.Length..]);
                }
            }
        }
        return hidden;
    }

    public async Task<bool> EitherBlockedAsync(string userA, string userB, CancellationToken cancellationToken) =>
        (await store.GetManyAsync([BlockKeys.Block(userA, userB), BlockKeys.Block(userB, userA)], cancellationToken)).Count > 0;

    public async Task<bool> IsBlockedByAsync(string blockerId, string userId, CancellationToken cancellationToken) =>
        await store.GetAsync(BlockKeys.Block(blockerId, userId), cancellationToken) is not null;

    public async Task<IReadOnlyList<BlockRecord>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var blocked = new List<BlockRecord>();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = $"USER#{userId}", SortKey = SortKeyCondition.BeginsWith("BLOCK#"), Limit = 1000 }, cancellationToken))
        {
            blocked.Add(ItemJson.Deserialize(item, BlockJson.Default.BlockRecord));
        }
        return blocked;
    }

    /// <summary>Writes both halves of a block at once; false when it already existed.</summary>
    public async Task<bool> BlockAsync(string blockerId, string blockedId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var forward = BlockKeys.Block(blockerId, blockedId);
        var mirror = BlockKeys.BlockedBy(blockedId, blockerId);
        return (await store.TransactAsync(
        [
            new WriteOperation.Put(new Item { Pk = forward.Pk, Sk = forward.Sk, Version = 1, Data = ItemJson.Serialize(new BlockRecord(blockedId, now), BlockJson.Default.BlockRecord) }, Condition.NotExists),
            new WriteOperation.Put(new Item { Pk = mirror.Pk, Sk = mirror.Sk, Version = 1, Data = ItemJson.Serialize(new BlockRecord(blockerId, now), BlockJson.Default.BlockRecord) }),
        ], cancellationToken)).Committed;
    }

    public async Task<bool> UnblockAsync(string blockerId, string blockedId, CancellationToken cancellationToken) =>
        (await store.TransactAsync(
        [
            new WriteOperation.Delete(BlockKeys.Block(blockerId, blockedId), Condition.Exists),
            new WriteOperation.Delete(BlockKeys.BlockedBy(blockedId, blockerId)),
        ], cancellationToken)).Committed;
}
