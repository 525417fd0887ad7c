using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Accounts;

/// <summary>A session that ended: one of the user's (<see cref="FamilyId"/>), or all of them (null) but <see cref="Except"/>.</summary>
public sealed record SessionEnd(string UserId, string? FamilyId, string? Except = null)
{
    public bool Covers(string userId, string familyId) =>
        userId == UserId && (FamilyId is null ? familyId != Except : familyId == FamilyId);
}

/// <summary>
/// A user's sessions (token families) live in the user's partition, so all of them can be found
/// and ended at once. Every authenticated request reads its session (one point read, no cache):
/// an ended session stops its access token on the next request, on any node, whoever ended it
/// (a log-out, the CLI, another node). Each end is also appended to a short log that every node
/// reads twice a second to close the hub connections it holds for that session.
/// </summary>
public sealed class Sessions(IItemStore store, TimeProvider time)
{
    private static readonly TimeSpan EndsKept = TimeSpan.FromHours(1);

    public async ValueTask<bool> IsActiveAsync(string userId, string familyId, CancellationToken cancellationToken)
    {
        if (!Ids.IsWellFormed(userId, Ids.User) || !Ids.IsWellFormed(familyId, Ids.TokenFamily))
        {
            return false;
        }
        var item = await store.GetAsync(AccountKeys.Session(userId, familyId), cancellationToken);
        return item is not null && !ItemJson.Deserialize(item, AccountJson.Default.TokenFamilyRecord).Revoked;
    }

    /// <summary>The user's sessions still open, most recently used first.</summary>
    public async Task<IReadOnlyList<(string Id, TokenFamilyRecord Session)>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var open = new List<(string, TokenFamilyRecord)>();
        var query = new Query { Pk = AccountKeys.User(userId).Pk, SortKey = SortKeyCondition.BeginsWith(AccountKeys.SessionPrefix), Limit = 1000 };
        await foreach (var item in store.QueryAllAsync(query, cancellationToken))
        {
            if (ItemJson.Deserialize(item, AccountJson.Default.TokenFamilyRecord) is { Revoked: false } session)
            {
                open.Add((item.Sk[AccountKeys.SessionPrefix.Length..], session));
            }
        }
        return [.. open.OrderByDescending(s => s.Item2.LastUsedAt ?? s.Item2.CreatedAt)];
    }

    /// <summary>Ends one session: its refresh token stops working and so does its access token. False when the user has no such open session.</summary>
    public async Task<bool> EndAsync(string userId, string familyId, string because, CancellationToken cancellationToken)
    {
        if (!Ids.IsWellFormed(familyId, Ids.TokenFamily) || !await RevokeAsync(AccountKeys.Session(userId, familyId), because, cancellationToken))
        {
            return false;
        }
        await LogAsync(new SessionEnd(userId, familyId), cancellationToken);
        return true;
    }

    /// <summary>Ends every session of the user (disabled, deleted), or every one but <paramref name="except"/> (password changed).</summary>
    public async Task<int> EndAllAsync(string userId, string because, CancellationToken cancellationToken, string? except = null)
    {
        var ended = 0;
        var query = new Query { Pk = AccountKeys.User(userId).Pk, SortKey = SortKeyCondition.BeginsWith(AccountKeys.SessionPrefix), Limit = 1000 };
        await foreach (var item in store.QueryAllAsync(query, cancellationToken))
        {
            if (item.Sk != AccountKeys.Session(userId, except ?? "").Sk && await RevokeAsync(item.Key, because, cancellationToken))
            {
                ended++;
            }
        }
        await LogAsync(new SessionEnd(userId, null, except), cancellationToken);
        return ended;
    }

    /// <summary>The sessions ended since <paramref name="since"/>, oldest first, each with its unique position in the log.</summary>
    public async Task<IReadOnlyList<(string Position, SessionEnd End)>> EndedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var query = new Query { Pk = AccountKeys.SessionEnds.Pk, SortKey = SortKeyCondition.GreaterOrEqual(Ids.Floor(Ids.SessionEnd, since)), Limit = 1000 };
        var page = await store.QueryAsync(query, cancellationToken);
        return [.. page.Items.Select(item => (item.Sk, ItemJson.Deserialize(item, AccountJson.Default.SessionEnd)))];
    }

    private async Task<bool> RevokeAsync(ItemKey key, string because, CancellationToken cancellationToken) =>
        await Optimistic.RetryAsync("The session", async ct =>
        {
            if (await store.GetAsync(key, ct) is not { } item || ItemJson.Deserialize(item, AccountJson.Default.TokenFamilyRecord) is not { Revoked: false } family)
            {
                return Attempt.Done(false);
            }
            var revoked = item with
            {
                Data = ItemJson.Serialize(family with { Revoked = true, RevokedBecause = because }, AccountJson.Default.TokenFamilyRecord),
                Version = item.Version + 1,
            };
            return await store.PutAsync(revoked, Condition.VersionIs(item.Version), ct) ? Attempt.Done(true) : Attempt.Conflict<bool>();
        }, cancellationToken);

    private async Task LogAsync(SessionEnd end, CancellationToken cancellationToken) =>
        await store.PutAsync(new Item
        {
            Pk = AccountKeys.SessionEnds.Pk,
            Sk = Ids.New(Ids.SessionEnd, time),
            Data = ItemJson.Serialize(end, AccountJson.Default.SessionEnd),
            Version = 1,
            ExpiresAt = time.GetUtcNow() + EndsKept,
        }, Condition.None, cancellationToken);
}
