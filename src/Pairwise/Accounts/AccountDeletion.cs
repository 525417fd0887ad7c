using Pairwise.Storage;

namespace Pairwise.Accounts;

/// <summary>
/// What a feature keeps about a person, so that deleting an account erases it everywhere. Each
/// feature that stores something keyed by a user (or by their profiles) implements it for its own
/// keys; <see cref="AccountDeletion"/> calls every one, the highest floor first, accounts last.
/// </summary>
public interface IPersonalData
{
    /// <summary>Adds what this feature holds about the user (and nothing private of anyone else) to their archive.</summary>
    Task ExportAsync(string userId, PersonalArchive archive, CancellationToken cancellationToken);

    /// <summary>Erases (or, where others need the record, anonymises) what this feature holds about the user.</summary>
    Task EraseAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>
/// Deleting an account (seeds 001, 004: "requests to delete data"). The account is disabled and
/// every session ended first, so nothing new arrives while the features erase; then each feature
/// erases its part (see docs/privacy.md for what is removed and what is anonymised); last, the
/// user's own partition and their address claims go. Afterwards log-in answers exactly as for an
/// unknown address. Running it again after an interruption finishes the job.
/// </summary>
public sealed class AccountDeletion(
    IEnumerable<IPersonalData> features, UserStore users, PasswordHasher hasher, Sessions sessions, Blocks blocks, AccountExport exports, Identities identities,
    IItemStore store, TimeProvider time)
{
    private static readonly TimeSpan RecentSignIn = TimeSpan.FromMinutes(10);

    /// <summary>Null when the account is gone; otherwise why it was not deleted.</summary>
    /// <param name="signedInAt">When the caller's session began; an account without a password confirms by a sign-in of the last ten minutes.</param>
    public async Task<AccountOutcome> DeleteAsync(string userId, string? password, DateTimeOffset? signedInAt, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(userId, cancellationToken) is not { } user)
        {
            return AccountService.Gone;
        }
        var confirmed = user.PasswordHash.Length > 0
            ? hasher.Verify(password ?? "", user.PasswordHash)
            : signedInAt > time.GetUtcNow() - RecentSignIn;
        if (!confirmed)
        {
            return AccountOutcome.Invalid("password", user.PasswordHash.Length > 0
                ? "Confirm with your current password."
                : "Sign in again (within ten minutes) to confirm.");
        }
        await users.UpdateAsync(userId, u => u with { Disabled = true }, cancellationToken);
        await sessions.EndAllAsync(userId, "account deleted", cancellationToken);
        // Registered floor by floor; the features above accounts erase first, while the account still names them.
        foreach (var feature in features.Reverse())
        {
            await feature.EraseAsync(userId, cancellationToken);
        }
        await store.DeleteAsync(AccountKeys.Email(user.Email), Condition.None, cancellationToken);
        if (user.Phone is { } phone)
        {
            await store.DeleteAsync(AccountKeys.Phone(phone), Condition.None, cancellationToken);
        }
        await exports.EraseAsync(userId, cancellationToken);
        await identities.EraseAsync(userId, cancellationToken);
        // The user's partition last: the user record, sessions, codes, blocks, and what other features keep there.
        foreach (var block in await blocks.ListAsync(userId, cancellationToken))
        {
            await store.DeleteAsync(BlockKeys.BlockedBy(block.UserId, userId), Condition.None, cancellationToken);
        }
        await foreach (var item in store.QueryAllAsync(new Query { Pk = AccountKeys.User(userId).Pk, SortKey = SortKeyCondition.BeginsWith("BLOCKEDBY#") }, cancellationToken))
        {
            await store.DeleteAsync(BlockKeys.Block(item.Sk["BLOCKEDBY#".Length..], userId), Condition.None, cancellationToken);
        }
        await store.DeletePartitionAsync(AccountKeys.User(userId).Pk, cancellationToken);
        return AccountOutcome.Done;
    }
}
