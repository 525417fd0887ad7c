using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Pairwise.Storage;

namespace Pairwise.Social;

/// <summary>
/// Linked accounts as stored: one item per account under its user, found by provider (for the
/// connectors) and by id (for WebSub callbacks). Provider secrets are sealed with Data Protection
/// (its key ring in the store, shared by every node) and only ever unsealed by a connector.
/// </summary>
public sealed class LinkedAccounts(IItemStore store, IDataProtectionProvider protection, Timelines timelines)
{
    public const int MaxPerUser = 20;

    private readonly IDataProtector _protector = protection.CreateProtector("Pairwise.Social.ProviderSecrets");

    public string Seal(string secret) => _protector.Protect(secret);

    public string Unseal(string sealedSecret) => _protector.Unprotect(sealedSecret);

    public async Task<IReadOnlyList<(LinkedAccountRecord Account, long Version)>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var accounts = new List<(LinkedAccountRecord, long)>();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = SocialKeys.LinkedPartition(userId) }, cancellationToken))
        {
            accounts.Add((ItemJson.Deserialize(item, SocialJson.Default.LinkedAccountRecord), item.Version));
        }
        return accounts;
    }

    public async Task<(LinkedAccountRecord Account, long Version)?> GetAsync(string userId, string linkedId, CancellationToken cancellationToken) =>
        linkedId.Length <= 64 && await store.GetAsync(SocialKeys.Linked(userId, linkedId), cancellationToken) is { } item
            ? (ItemJson.Deserialize(item, SocialJson.Default.LinkedAccountRecord), item.Version)
            : null;

    /// <summary>The account with this id, whoever owns it (the index may lag a new account by a moment).</summary>
    public async Task<(LinkedAccountRecord Account, long Version)?> FindAsync(string linkedId, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Index = ItemIndex.Gsi2, Pk = SocialKeys.LinkedById(linkedId), Limit = 1 }, cancellationToken);
        return page.Items is [var item] ? await GetAsync(ItemJson.Deserialize(item, SocialJson.Default.LinkedAccountRecord).UserId, linkedId, cancellationToken) : null;
    }

    /// <summary>Every account of a provider, for its connector.</summary>
    public async IAsyncEnumerable<LinkedAccountRecord> AllOfAsync(string provider, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in store.QueryAllAsync(new Query { Index = ItemIndex.Gsi1, Pk = SocialKeys.LinkedByProvider(provider), Limit = 500 }, cancellationToken))
        {
            yield return ItemJson.Deserialize(item, SocialJson.Default.LinkedAccountRecord);
        }
    }

    /// <summary>Writes the account if its version is still <paramref name="version"/> (0: a new account).</summary>
    public Task<bool> SaveAsync(LinkedAccountRecord account, long version, CancellationToken cancellationToken)
    {
        var key = SocialKeys.Linked(account.UserId, account.Id);
        return store.PutAsync(new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Gsi1Pk = SocialKeys.LinkedByProvider(account.Provider),
            Gsi1Sk = account.Id,
            Gsi2Pk = SocialKeys.LinkedById(account.Id),
            Gsi2Sk = "LINK",
            Data = ItemJson.Serialize(account, SocialJson.Default.LinkedAccountRecord),
            Version = version + 1,
        }, version == 0 ? Condition.NotExists : Condition.VersionIs(version), cancellationToken);
    }

    /// <summary>
    /// Unlinks: the account (with its sealed tokens) and every post cached for it go at once, as
    /// the providers' terms want, and the user's feed list is rebuilt without them.
    /// </summary>
    public async Task<bool> UnlinkAsync(string userId, string linkedId, CancellationToken cancellationToken)
    {
        if (await GetAsync(userId, linkedId, cancellationToken) is null)
        {
            return false;
        }
        await store.DeleteAsync(SocialKeys.Linked(userId, linkedId), Condition.None, cancellationToken);
        await timelines.InvalidateAsync(userId);
        await store.DeletePartitionAsync(SocialKeys.ProviderPosts(linkedId), cancellationToken);
        // A poll that was under way when the account went cannot bring its posts back into the list.
        await timelines.InvalidateAsync(userId);
        return true;
    }

    public IAsyncEnumerable<Item> PostsOfAsync(string linkedId, CancellationToken cancellationToken) =>
        store.QueryAllAsync(new Query { Pk = SocialKeys.ProviderPosts(linkedId), Limit = 1000 }, cancellationToken);
}

/// <summary>How feed sources are named: a Pairwise profile by its id, a linked feed by the account's id, a provider author by account and author.</summary>
public static class SourceIds
{
    public static string ForAuthor(string linkedId, string authorId) =>
        $"{linkedId}.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(authorId)))[..16]}";

    /// <summary>A short stable id for a provider's post id (the local half of its sort key).</summary>
    public static string LocalId(string providerPostId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(providerPostId)))[..20];

    /// <summary>The linked account a provider source belongs to.</summary>
    public static string? LinkedIdOf(string sourceId) =>
        sourceId.StartsWith(Platform.Ids.LinkedAccount + "_", StringComparison.Ordinal) ? sourceId.Split('.')[0] : null;
}
