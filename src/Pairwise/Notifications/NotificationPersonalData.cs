using Pairwise.Accounts;
using Pairwise.Storage;

namespace Pairwise.Notifications;

/// <summary>A deleted account's tray (its preferences live in the user's partition, which goes last).</summary>
public sealed class NotificationPersonalData(IItemStore store) : IPersonalData
{
    public async Task EraseAsync(string userId, CancellationToken cancellationToken) =>
        await store.DeletePartitionAsync(NotificationKeys.Tray(userId), cancellationToken);
}
