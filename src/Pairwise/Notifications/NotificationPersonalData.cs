using Pairwise.Accounts;
using Pairwise.Storage;

namespace Pairwise.Notifications;

/// <summary>A deleted account's tray (its preferences live in the user's partition, which goes last).</summary>
public sealed class NotificationPersonalData(IItemStore store) : IPersonalData
{
    public async Task ExportAsync(string userId, PersonalArchive archive, CancellationToken cancellationToken)
    {
        var tray = new List<NotificationRecord>();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = NotificationKeys.Tray(userId), Limit = 1000 }, cancellationToken))
        {
            tray.Add(ItemJson.Deserialize(item, NotificationJson.Default.NotificationRecord));
        }
        archive.Add("notifications", PersonalArchive.Array(tray, NotificationJson.Default.NotificationRecord));
    }

    public async Task EraseAsync(string userId, CancellationToken cancellationToken) =>
        await store.DeletePartitionAsync(NotificationKeys.Tray(userId), cancellationToken);
}
