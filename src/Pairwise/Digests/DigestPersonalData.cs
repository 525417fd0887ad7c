using Pairwise.Accounts;
using Pairwise.Storage;

namespace Pairwise.Digests;

/// <summary>A deleted account's digest: its place in the schedule and its "sent today" marks (its settings live in the user's partition).</summary>
public sealed class DigestPersonalData(IItemStore store) : IPersonalData
{
    public async Task ExportAsync(string userId, PersonalArchive archive, CancellationToken cancellationToken) =>
        archive.Add("digest", await store.GetAsync(DigestKeys.Settings(userId), cancellationToken) is { } item
            ? System.Text.Json.JsonSerializer.SerializeToNode(ItemJson.Deserialize(item, DigestJson.Default.DigestSettings), DigestJson.Default.DigestSettings)
            : null);

    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(DigestKeys.Settings(userId), cancellationToken) is { } item
            && ItemJson.Deserialize(item, DigestJson.Default.DigestSettings) is { NextAt: { } due })
        {
            await store.DeleteAsync(DigestKeys.Due(due, userId), Condition.None, cancellationToken);
        }
        await store.DeletePartitionAsync(DigestKeys.SentPartition(userId), cancellationToken);
    }
}
