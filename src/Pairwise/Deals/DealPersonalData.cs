using Pairwise.Accounts;
using Pairwise.Platform;
using Pairwise.Storage;
using Pairwise.Swipes;

namespace Pairwise.Deals;

/// <summary>A deleted account's deals: the offers of every conversation they were in go with it (the other party's copy of the deal too).</summary>
public sealed class DealPersonalData(IItemStore store, MatchStore matches) : IPersonalData
{
    public async Task ExportAsync(string userId, PersonalArchive archive, CancellationToken cancellationToken)
    {
        var offers = new List<PriceOffer>();
        await foreach (var match in matches.AllForUserAsync(userId, cancellationToken))
        {
            await foreach (var item in store.QueryAllAsync(new Query { Pk = DealKeys.Offers(match.Id), SortKey = SortKeyCondition.BeginsWith(Ids.Offer), Limit = 100 }, cancellationToken))
            {
                offers.Add(ItemJson.Deserialize(item, DealJson.Default.PriceOffer));
            }
        }
        archive.Add("offers", PersonalArchive.Array(offers, DealJson.Default.PriceOffer));
    }

    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        await foreach (var match in matches.AllForUserAsync(userId, cancellationToken))
        {
            await store.DeletePartitionAsync(DealKeys.Offers(match.Id), cancellationToken);
        }
    }
}
