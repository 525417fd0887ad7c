using Pairwise.Accounts;

namespace Pairwise.Profiles;

/// <summary>A deleted account's profiles, each with its card (and the card's images).</summary>
public sealed class ProfilePersonalData(ProfileStore profiles, ProfileService service) : IPersonalData
{
    public async Task ExportAsync(string userId, PersonalArchive archive, CancellationToken cancellationToken)
    {
        var own = new List<ProfileRecord>();
        foreach (var summary in await profiles.ListOwnAsync(userId, cancellationToken))
        {
            if (await profiles.GetAsync(summary.Id, cancellationToken) is { } profile)
            {
                own.Add(profile.Record);
            }
        }
        archive.Add("profiles", PersonalArchive.Array(own, ProfileJson.Default.ProfileRecord));
    }

    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        foreach (var profile in await profiles.ListOwnAsync(userId, cancellationToken))
        {
            await service.DeleteAsync(userId, profile.Market, profile.Side, cancellationToken);
        }
    }
}
