using System.Runtime.CompilerServices;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Swipes;

public sealed record StoredMatch(MatchRecord Record, long Version);

/// <summary>Matches and the pointers to them under each of their users: how every feature reads or makes one.</summary>
public sealed class MatchStore(IItemStore store)
{
    public async Task<StoredMatch?> GetAsync(string matchId, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(matchId, Ids.Match) && await store.GetAsync(SwipeKeys.Match(matchId), cancellationToken) is { } item
            ? new StoredMatch(ItemJson.Deserialize(item, SwipeJson.Default.MatchRecord), item.Version)
            : null;

    /// <summary>A page of the user's matches, newest first.</summary>
    public async Task<(IReadOnlyList<MatchRecord> Items, string? Cursor)> ListForUserAsync(string userId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Pk = SwipeKeys.UserMatches(userId), Descending = true, Limit = limit, Cursor = cursor }, cancellationToken);
        var matches = (await store.GetManyAsync([.. page.Items.Select(i => SwipeKeys.Match(i.Sk))], cancellationToken))
            .Select(i => ItemJson.Deserialize(i, SwipeJson.Default.MatchRecord))
            .OrderByDescending(m => m.Id, StringComparer.Ordinal)
            .ToList();
        return (matches, page.Cursor);
    }

    /// <summary>Every match of the user, newest first.</summary>
    public async IAsyncEnumerable<MatchRecord> AllForUserAsync(string userId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var pointer in store.QueryAllAsync(new Query { Pk = SwipeKeys.UserMatches(userId), Descending = true, Limit = 100 }, cancellationToken))
        {
            if (await store.GetAsync(SwipeKeys.Match(pointer.Sk), cancellationToken) is { } item)
            {
                yield return ItemJson.Deserialize(item, SwipeJson.Default.MatchRecord);
            }
        }
    }

    /// <summary>The ids of the matches buyers' likes opened on a listing (instant markets), one per buyer.</summary>
    public async IAsyncEnumerable<string> OfferMatchIdsAsync(string listingId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var pointer in store.QueryAllAsync(new Query { Pk = SwipeKeys.Offers(listingId), Limit = 100 }, cancellationToken))
        {
            yield return ItemJson.Deserialize(pointer, SwipeJson.Default.OfferRecord).MatchId;
        }
    }

    /// <summary>The match and a pointer to it under each of its users, for the transaction that makes it.</summary>
    public static IEnumerable<WriteOperation> CreateOperations(MatchRecord match) =>
    [
        new WriteOperation.Put(new Item { Pk = SwipeKeys.Match(match.Id).Pk, Sk = SwipeKeys.Match(match.Id).Sk, Data = ItemJson.Serialize(match, SwipeJson.Default.MatchRecord), Version = 1 }, Condition.NotExists),
        .. match.UserIds.Distinct().Select(u => new WriteOperation.Put(new Item { Pk = SwipeKeys.UserMatch(u, match.Id).Pk, Sk = SwipeKeys.UserMatch(u, match.Id).Sk, Version = 1 })),
    ];

    /// <summary>Ends a match for both: the match (if unchanged) and its pointers.</summary>
    public async Task<bool> DeleteAsync(StoredMatch match, CancellationToken cancellationToken) =>
        (await store.TransactAsync(
        [
            new WriteOperation.Delete(SwipeKeys.Match(match.Record.Id), Condition.VersionIs(match.Version)),
            .. match.Record.UserIds.Distinct().Select(u => new WriteOperation.Delete(SwipeKeys.UserMatch(u, match.Record.Id))),
        ], cancellationToken)).Committed;
}
