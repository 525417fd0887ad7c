using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Accounts;

public sealed record StoredUser(UserRecord Record, long Version);

/// <summary>
/// Users and the claims that keep e-mail addresses and phone numbers unique. The only way other
/// features read or change an account.
/// </summary>
public sealed class UserStore(IItemStore store)
{
    public async Task<StoredUser?> GetAsync(string userId, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(userId, Ids.User) && await store.GetAsync(AccountKeys.User(userId), cancellationToken) is { } item
            ? new StoredUser(ItemJson.Deserialize(item, AccountJson.Default.UserRecord), item.Version)
            : null;

    public async Task<UserRecord?> FindAsync(string userId, CancellationToken cancellationToken) =>
        (await GetAsync(userId, cancellationToken))?.Record;

    public async Task<bool> ExistsAsync(string userId, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(userId, Ids.User) && await store.GetAsync(AccountKeys.User(userId), cancellationToken) is not null;

    /// <summary>The account that holds a normalised e-mail address.</summary>
    public async Task<StoredUser?> FindByEmailAsync(string address, CancellationToken cancellationToken) =>
        await store.GetAsync(AccountKeys.Email(address), cancellationToken) is { } claim
            ? await GetAsync(ItemJson.Deserialize(claim, AccountJson.Default.ClaimRecord).UserId, cancellationToken)
            : null;

    /// <summary>The user and the claim on their address, in one transaction; false when the address is taken.</summary>
    public async Task<bool> CreateAsync(UserRecord user, CancellationToken cancellationToken) =>
        (await store.TransactAsync(CreateOperations(user), cancellationToken)).Committed;

    public static IReadOnlyList<WriteOperation> CreateOperations(UserRecord user) =>
    [
        new WriteOperation.Put(ClaimItem(AccountKeys.Email(user.Email), user.Id), Condition.NotExists),
        new WriteOperation.Put(UserItem(user, 1), Condition.NotExists),
    ];

    /// <summary>Read, change, write with a version check; null when there is no such user.</summary>
    public Task<UserRecord?> UpdateAsync(string userId, Func<UserRecord, UserRecord> change, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync<UserRecord?>("The account", async ct =>
        {
            if (await GetAsync(userId, ct) is not { } user)
            {
                return Attempt.Done<UserRecord?>(null);
            }
            var updated = change(user.Record);
            return await store.PutAsync(UserItem(updated, user.Version + 1), Condition.VersionIs(user.Version), ct)
                ? Attempt.Done<UserRecord?>(updated)
                : Attempt.Conflict<UserRecord?>();
        }, cancellationToken);

    /// <summary>
    /// Moves the account to a new address: the new claim (if still free), the old claim released and
    /// the user updated, in one transaction. Returns the previous address.
    /// </summary>
    public Task<(AccountStatus Status, string? Previous)> ChangeEmailAsync(string userId, string address, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync("The account", async ct =>
        {
            if (await GetAsync(userId, ct) is not { } user)
            {
                return Attempt.Done<(AccountStatus, string?)>((AccountStatus.NotFound, null));
            }
            if (await store.GetAsync(AccountKeys.Email(address), ct) is not null)
            {
                return Attempt.Done<(AccountStatus, string?)>((AccountStatus.Taken, null));
            }
            var result = await store.TransactAsync(
            [
                new WriteOperation.Put(ClaimItem(AccountKeys.Email(address), userId), Condition.NotExists),
                new WriteOperation.Delete(AccountKeys.Email(user.Record.Email)),
                new WriteOperation.Put(UserItem(user.Record with { Email = address, EmailVerified = true }, user.Version + 1), Condition.VersionIs(user.Version)),
            ], ct);
            return result.Committed ? Attempt.Done<(AccountStatus, string?)>((AccountStatus.Done, user.Record.Email)) : Attempt.Conflict<(AccountStatus, string?)>();
        }, cancellationToken);

    /// <summary>Claims a verified phone number for the user; false when another account holds it.</summary>
    public async Task<bool> ClaimPhoneAsync(string phone, string userId, CancellationToken cancellationToken) =>
        await store.PutAsync(ClaimItem(AccountKeys.Phone(phone), userId), Condition.NotExists, cancellationToken)
        || (await store.GetAsync(AccountKeys.Phone(phone), cancellationToken) is { } claim
            && ItemJson.Deserialize(claim, AccountJson.Default.ClaimRecord).UserId == userId);

    private static Item UserItem(UserRecord user, long version) => new()
    {
        Pk = AccountKeys.User(user.Id).Pk,
        Sk = AccountKeys.User(user.Id).Sk,
        Data = ItemJson.Serialize(user, AccountJson.Default.UserRecord),
        Version = version,
    };

    private static Item ClaimItem(ItemKey key, string userId) => new()
    {
        Pk = key.Pk,
        Sk = key.Sk,
        Data = ItemJson.Serialize(new ClaimRecord(userId), AccountJson.Default.ClaimRecord),
        Version = 1,
    };
}

/// <summary>
/// What an account knows of its profiles. Profiles, a floor above, implement it; accounts only
/// show them in <c>/v1/me</c> and check one exists before switching mode.
/// </summary>
public interface IAccountProfiles
{
    Task<IReadOnlyList<ProfileSummary>> ListAsync(string userId, CancellationToken cancellationToken);

    Task<bool> HasProfileAsync(string userId, string market, string side, CancellationToken cancellationToken);
}

public sealed record ProfileSummary(string Id, string Market, string Side, string DisplayName, double Completeness);
