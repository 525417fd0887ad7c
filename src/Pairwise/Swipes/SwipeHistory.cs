using Pairwise.Storage;

namespace Pairwise.Swipes;

/// <summary>What a profile swiped and who swiped on it: read by ranking (exclusions, sentiment) and exports.</summary>
public sealed class SwipeHistory(IItemStore store)
{
    /// <summary>Every swipe the profile made, by card id.</summary>
    public async Task<Dictionary<string, SwipeRecord>> SwipesOfAsync(string profileId, CancellationToken cancellationToken)
    {
        var swipes = new Dictionary<string, SwipeRecord>(StringComparer.Ordinal);
        await foreach (var item in store.QueryAllAsync(new Query { Pk = SwipeKeys.Swipes(profileId), Limit = 1000 }, cancellationToken))
        {
            var swipe = ItemJson.Deserialize(item, SwipeJson.Default.SwipeRecord);
            swipes[swipe.CardId] = swipe;
        }
        return swipes;
    }

    /// <summary>The latest action of each member who swiped on any card of the profile, by their profile id.</summary>
    public async Task<Dictionary<string, InboxRecord>> InboxOfAsync(string profileId, CancellationToken cancellationToken)
    {
        var inbox = new Dictionary<string, InboxRecord>(StringComparer.Ordinal);
        await foreach (var item in store.QueryAllAsync(new Query { Pk = SwipeKeys.Inboxes(profileId), Limit = 1000 }, cancellationToken))
        {
            var entry = ItemJson.Deserialize(item, SwipeJson.Default.InboxRecord);
            inbox[entry.SwiperProfileId] = entry;
        }
        return inbox;
    }
}
