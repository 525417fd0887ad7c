using Pairwise.Accounts;
using Pairwise.Storage;

namespace Pairwise.Swipes;

/// <summary>
/// A deleted account's swipes and matches: every swipe by their profiles and its traces (the
/// owner's inbox entry, the pair, the offer or response), every swipe on them, and their matches,
/// which end for the other side too (the conversation closes with a notice; see conversations).
/// </summary>
public sealed class SwipePersonalData(IItemStore store, IAccountProfiles profiles, MatchStore matches) : IPersonalData
{
    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        foreach (var profile in await profiles.ListAsync(userId, cancellationToken))
        {
            await foreach (var item in store.QueryAllAsync(new Query { Pk = SwipeKeys.Swipes(profile.Id), Limit = 1000 }, cancellationToken))
            {
                var swipe = ItemJson.Deserialize(item, SwipeJson.Default.SwipeRecord);
                await store.DeleteAsync(SwipeKeys.Inbox(swipe.CardOwnerProfileId, profile.Id), Condition.None, cancellationToken);
                await store.DeleteAsync(SwipeKeys.Pair(profile.Id, swipe.CardOwnerProfileId), Condition.None, cancellationToken);
                await store.DeleteAsync(SwipeKeys.Offer(swipe.CardId, profile.Id), Condition.None, cancellationToken);
                await store.DeleteAsync(SwipeKeys.Response(swipe.CardId, profile.Id), Condition.None, cancellationToken);
            }
            await store.DeletePartitionAsync(SwipeKeys.Swipes(profile.Id), cancellationToken);
            await store.DeletePartitionAsync(SwipeKeys.Inboxes(profile.Id), cancellationToken);
        }
        var mine = new List<string>();
        await foreach (var match in matches.AllForUserAsync(userId, cancellationToken))
        {
            mine.Add(match.Id);
        }
        foreach (var matchId in mine)
        {
            if (await matches.GetAsync(matchId, cancellationToken) is { } match)
            {
                await matches.DeleteAsync(match, cancellationToken);
            }
        }
        await store.DeletePartitionAsync(SwipeKeys.UserMatches(userId), cancellationToken);
    }
}
