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
    public async Task ExportAsync(string userId, PersonalArchive archive, CancellationToken cancellationToken)
    {
        var swipes = new List<SwipeRecord>();
        foreach (var profile in await profiles.ListAsync(userId, cancellationToken))
        {
            await foreach (var item in store.QueryAllAsync(new Query { Pk = SwipeKeys.Swipes(profile.Id), Limit = 1000 }, cancellationToken))
            {
                swipes.Add(ItemJson.Deserialize(item, SwipeJson.Default.SwipeRecord));
            }
        }
        archive.Add("swipes", PersonalArchive.Array(swipes, SwipeJson.Default.SwipeRecord));
        var mine = new System.Text.Json.Nodes.JsonArray();
        await foreach (var match in matches.AllForUserAsync(userId, cancellationToken))
        {
            // The match, not who the other person is beyond their public profile.
            mine.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = match.Id, ["market"] = match.Market, ["kind"] = match.Kind, ["conversationId"] = match.ConversationId,
                ["listingId"] = match.ListingId, ["profileIds"] = new System.Text.Json.Nodes.JsonArray([.. match.ProfileIds.Select(p => (System.Text.Json.Nodes.JsonNode)p)]),
            });
        }
        archive.Add("matches", mine);
    }

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
            await store.DeletePartitionAsync(BehaviourCounters.Partition(profile.Id), cancellationToken);
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
