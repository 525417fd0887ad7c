using System.Security.Cryptography;
using System.Text;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Accounts;

/// <summary><c>Pairwise:Oidc:Providers:{name}</c>: an OpenID Connect provider people may sign in with.</summary>
public sealed class OidcProviderOptions
{
    /// <summary>The issuer, e.g. <c>https://accounts.google.com</c>; its discovery document and keys are read from there.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }

    /// <summary>The name on the "Continue with …" button; the provider's key when not given.</summary>
    public string? DisplayName { get; set; }
}

public sealed record IdentityRecord(string Id, string UserId, string Provider, string Subject, string? Email, DateTimeOffset LinkedAt);

public enum IdentityStatus
{
    SignedIn,
    Created,
    Linked,
    /// <summary>The identity's e-mail belongs to an account that has not linked it: sign in there and link it.</summary>
    LinkRequired,
    /// <summary>The identity is linked to another account.</summary>
    LinkedElsewhere,
    Disabled,
}

/// <summary>
/// Identities from OpenID Connect providers, linked to accounts (several per account). Signing in
/// with a linked identity signs into its account; an unknown one makes a new account — unless its
/// e-mail address already has one: then it is linked only from that account, signed in (never
/// silently, which would hand the account to whoever controls the provider account).
/// </summary>
public sealed class Identities(IItemStore store, UserStore users, TokenService tokens, TimeProvider time)
{
    public async Task<(IdentityStatus Status, TokenPair? Session)> SignInAsync(
        string provider, string subject, string? email, bool emailVerified, string? name, string? linkingUserId, string? userAgent, CancellationToken cancellationToken)
    {
        var key = AccountKeys.Identity(provider, Hash(subject));
        if (await store.GetAsync(key, cancellationToken) is { } existing)
        {
            var linked = ItemJson.Deserialize(existing, AccountJson.Default.IdentityRecord);
            if (linkingUserId is not null && linkingUserId != linked.UserId)
            {
                return (IdentityStatus.LinkedElsewhere, null);
            }
            return await users.FindAsync(linked.UserId, cancellationToken) is { Disabled: false }
                ? (linkingUserId is null ? IdentityStatus.SignedIn : IdentityStatus.Linked, await tokens.StartSessionAsync(linked.UserId, userAgent, cancellationToken))
                : (IdentityStatus.Disabled, null);
        }
        var address = email is null ? null : AccountService.NormaliseEmail(email);
        string userId;
        var status = IdentityStatus.Linked;
        if (linkingUserId is not null)
        {
            userId = linkingUserId;
        }
        else if (address is not null && await users.FindByEmailAsync(address, cancellationToken) is not null)
        {
            return (IdentityStatus.LinkRequired, null);
        }
        else
        {
            var shownName = TextRules.Line(name ?? address?.Split('@')[0] ?? "New member");
            var user = new UserRecord
            {
                Id = Ids.New(Ids.User, time),
                // Without an address from the provider, a placeholder nobody can receive mail at until the person sets theirs.
                Email = address ?? $"{Hash(provider + subject)[..16]}@{provider}.oidc.invalid",
                DisplayName = shownName[..Math.Min(80, shownName.Length)],
                PasswordHash = "",
                EmailVerified = address is not null && emailVerified,
                CreatedAt = time.GetUtcNow(),
            };
            if (!await users.CreateAsync(user, cancellationToken))
            {
                return (IdentityStatus.LinkRequired, null);
            }
            userId = user.Id;
            status = IdentityStatus.Created;
        }
        var record = new IdentityRecord(Hash(provider + "#" + subject)[..24], userId, provider, subject, address, time.GetUtcNow());
        var own = AccountKeys.UserIdentity(userId, record.Id);
        var committed = await store.TransactAsync(
        [
            new WriteOperation.Put(new Item { Pk = key.Pk, Sk = key.Sk, Data = ItemJson.Serialize(record, AccountJson.Default.IdentityRecord), Version = 1 }, Condition.NotExists),
            new WriteOperation.Put(new Item { Pk = own.Pk, Sk = own.Sk, Data = ItemJson.Serialize(record, AccountJson.Default.IdentityRecord), Version = 1 }),
        ], cancellationToken);
        return committed.Committed
            ? (status, await tokens.StartSessionAsync(userId, userAgent, cancellationToken))
            : (IdentityStatus.LinkedElsewhere, null);
    }

    public async Task<IReadOnlyList<IdentityRecord>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var list = new List<IdentityRecord>();
        var query = new Query { Pk = AccountKeys.User(userId).Pk, SortKey = SortKeyCondition.BeginsWith(AccountKeys.IdentityPrefix), Limit = 100 };
        await foreach (var item in store.QueryAllAsync(query, cancellationToken))
        {
            list.Add(ItemJson.Deserialize(item, AccountJson.Default.IdentityRecord));
        }
        return list;
    }

    /// <summary>Unlinks one; refused (false, with a reason) when it is the account's only way in.</summary>
    public async Task<(bool Removed, string? Problem)> UnlinkAsync(string userId, string id, CancellationToken cancellationToken)
    {
        var mine = await ListAsync(userId, cancellationToken);
        if (mine.FirstOrDefault(i => i.Id == id) is not { } identity)
        {
            return (false, null);
        }
        if (mine.Count == 1 && await users.FindAsync(userId, cancellationToken) is { PasswordHash.Length: 0 })
        {
            return (false, "This is the only way into your account: set a password (forgotten password) or link another identity first.");
        }
        await store.DeleteAsync(AccountKeys.Identity(identity.Provider, Hash(identity.Subject)), Condition.None, cancellationToken);
        await store.DeleteAsync(AccountKeys.UserIdentity(userId, id), Condition.None, cancellationToken);
        return (true, null);
    }

    /// <summary>The identities' global entries go with the account (their copies in its partition go with the partition).</summary>
    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        foreach (var identity in await ListAsync(userId, cancellationToken))
        {
            await store.DeleteAsync(AccountKeys.Identity(identity.Provider, Hash(identity.Subject)), Condition.None, cancellationToken);
        }
    }

    /// <summary>A one-time token (5 minutes) that lets a browser start linking an identity to this account.</summary>
    public async Task<string> StartLinkAsync(string userId, CancellationToken cancellationToken)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var key = AccountKeys.LinkStart(Hash(token));
        await store.PutAsync(new Item
        {
            Pk = key.Pk, Sk = key.Sk, Version = 1, ExpiresAt = time.GetUtcNow() + LinkWindow,
            Data = ItemJson.Serialize(new ClaimRecord(userId), AccountJson.Default.ClaimRecord),
        }, Condition.None, cancellationToken);
        return token;
    }

    /// <summary>Whose account a link token was made for; null when it is unknown, used or expired. It works once.</summary>
    public async Task<string?> TakeLinkAsync(string token, CancellationToken cancellationToken)
    {
        var key = AccountKeys.LinkStart(Hash(token));
        if (await store.GetAsync(key, cancellationToken) is not { } item || !await store.DeleteAsync(key, Condition.VersionIs(item.Version), cancellationToken))
        {
            return null;
        }
        return ItemJson.Deserialize(item, AccountJson.Default.ClaimRecord).UserId;
    }

    private static readonly TimeSpan LinkWindow = TimeSpan.FromMinutes(5);

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
