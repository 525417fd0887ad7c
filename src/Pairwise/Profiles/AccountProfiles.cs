using Pairwise.Accounts;

namespace Pairwise.Profiles;

/// <summary>The profiles an account holds, for the account's own pages.</summary>
public sealed class AccountProfiles(ProfileStore profiles) : IAccountProfiles
{
    public Task<IReadOnlyList<ProfileSummary>> ListAsync(string userId, CancellationToken cancellationToken) =>
        profiles.ListOwnAsync(userId, cancellationToken);

    public async Task<bool> HasProfileAsync(string userId, string market, string side, CancellationToken cancellationToken) =>
        await profiles.FindOwnAsync(userId, market, side, cancellationToken) is not null;
}
