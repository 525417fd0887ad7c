using Pairwise.Tests.Scenarios;
using static Pairwise.Tests.Scenarios.Gql;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Graph;

/// <summary>Search and priced offers over GraphQL: the same services, rules and answers as REST.</summary>
public sealed class GraphDealTests
{
    [Theory]
    [OnEachEngine]
    public async Task ABuyerSearchesOffersAndTheSellerAcceptsOverGraphQL(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var bike = (await Marketplace.ProductAsync(seller, "Folding bike", price: 900, category: "bikes")).GetProperty("id").GetString()!;
        await Marketplace.ProductAsync(seller, "Oak bookshelf", price: 700, category: "furniture", tags: ["furniture"]);
        var buyer = await Marketplace.BuyerAsync(app);
        await SettleAsync(app);

        var found = (await DataAsync(buyer.Client, """
            { search(market: "marketplace", q: "fold", sort: "price", filterBy: { maxPrice: 1000, values: [{ name: "category", value: "bikes" }] }, first: 5) {
                total nodes { id title price } pageInfo { hasNextPage } } }
            """)).GetProperty("search");
        Assert.Equal(1, found.GetProperty("total").GetInt32());
        Assert.Equal(bike, Assert.Single(found.GetProperty("nodes").EnumerateArray()).GetProperty("id").GetString());
        var bad = await RunAsync(buyer.Client, """{ search(market: "marketplace", sort: "cheapest", filterBy: { values: [{ name: "colour", value: "red" }] }) { total } }""");
        Assert.Contains("BAD_USER_INPUT", Codes(bad));
        Assert.Contains("colour", bad.ToString(), StringComparison.Ordinal);

        var match = (await DataAsync(buyer.Client, "mutation($id: ID!) { swipe(listingId: $id, action: LIKE) { matchId } }", new { id = bike }))
            .GetProperty("swipe").GetProperty("matchId").GetString()!;
        var offer = (await DataAsync(buyer.Client, "mutation($m: ID!) { makeOffer(matchId: $m, amount: 800, note: \"Cash tonight\") { id status amount currency roomId } }", new { m = match }))
            .GetProperty("makeOffer");
        Assert.Equal(("pending", 800m, "HKD"), (offer.GetProperty("status").GetString(), offer.GetProperty("amount").GetDecimal(), offer.GetProperty("currency").GetString()));
        var accepted = (await DataAsync(seller.Client, "mutation($m: ID!, $o: ID!) { answerOffer(matchId: $m, offerId: $o, action: ACCEPT) { status } }",
            new { m = match, o = offer.GetProperty("id").GetString() })).GetProperty("answerOffer");
        Assert.Equal("accepted", accepted.GetProperty("status").GetString());

        var deal = (await DataAsync(buyer.Client, "query($m: ID!) { deal(matchId: $m) { listingStatus accepted offers { amount status } } }", new { m = match })).GetProperty("deal");
        Assert.Equal("reserved", deal.GetProperty("listingStatus").GetString());
        Assert.Equal(offer.GetProperty("id").GetString(), deal.GetProperty("accepted").GetString());
        // The same refusals as REST: accepting twice is a conflict; a stranger has no such match.
        Assert.Contains("CONFLICT", Codes(await RunAsync(seller.Client, "mutation($m: ID!, $o: ID!) { answerOffer(matchId: $m, offerId: $o, action: ACCEPT) { status } }",
            new { m = match, o = offer.GetProperty("id").GetString() })));
        var stranger = await Marketplace.BuyerAsync(app);
        Assert.Contains("NOT_FOUND", Codes(await RunAsync(stranger.Client, "query($m: ID!) { deal(matchId: $m) { listingStatus } }", new { m = match })));
    }
}
