using Pairwise.Accounts;
using Pairwise.Storage;

namespace Pairwise.Ranking;

/// <summary>A deleted account's feed state: the cards each of their profiles has seen, and their kept feed lists.</summary>
public sealed class RankingPersonalData(IItemStore store, IAccountProfiles profiles, ViewerLists lists) : IPersonalData
{
    /// <summary>Nothing to export: what the feed remembers is derived from swipes, which are exported.</summary>
    public Task ExportAsync(string userId, PersonalArchive archive, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        foreach (var profile in await profiles.ListAsync(userId, cancellationToken))
        {
            await store.DeletePartitionAsync(RankingKeys.SeenPartition(profile.Id), cancellationToken);
            await lists.ForgetAsync(profile.Id, cancellationToken);
        }
    }
}
