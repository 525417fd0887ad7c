using Pairwise.Accounts;

namespace Pairwise.Profiles;

/// <summary>A deleted account's profiles, each with its card (and the card's images).</summary>
public sealed class ProfilePersonalData(ProfileStore profiles, ProfileService service) : IPersonalData
{
    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        foreach (var profile in await profiles.ListOwnAsync(userId, cancellationToken))
        {
            await service.DeleteAsync(userId, profile.Market, profile.Side, cancellationToken);
        }
    }
}
