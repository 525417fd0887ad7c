using Pairwise.Tests.Scenarios;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Deals;

/// <summary>
/// Priced offers in a buyer's conversation: an amount, a counter-offer, acceptance that reserves
/// the product and closes the other buyers' offers, calling it off, and the sale.
/// </summary>
public sealed class DealTests
{
    private static async Task<(string MatchId, string ConversationId)> LikeAsync(UserSession buyer, string productId)
    {
        var swipe = await Expect.Json(await buyer.Client.PostAsJsonAsync($"/v1/listings/{productId}/swipe", new { action = "like" }), HttpStatusCode.OK);
        return (swipe.GetProperty("matchId").GetString()!, swipe.GetProperty("conversationId").GetString()!);
    }

    private static async Task<JsonElement> OfferAsync(UserSession user, string matchId, decimal amount, HttpStatusCode expected = HttpStatusCode.Created) =>
        await Expect.Json(await user.Client.PostAsJsonAsync($"/v1/matches/{matchId}/offers", new { amount }), expected);

    private static async Task<HttpResponseMessage> AnswerAsync(UserSession user, string matchId, JsonElement offer, string action) =>
        await user.Client.PostAsync($"/v1/matches/{matchId}/offers/{offer.GetProperty("id").GetString()}/{action}", null);

    private static async Task<JsonElement> DealAsync(UserSession user, string matchId) =>
        await Expect.Json(await user.Client.GetAsync($"/v1/matches/{matchId}/offers"), HttpStatusCode.OK);

    private static async Task<string?> StatusAsync(UserSession user, string listingId) =>
        (await Expect.Json(await user.Client.GetAsync($"/v1/listings/{listingId}"), HttpStatusCode.OK)).GetProperty("status").GetString();

    private static async Task<List<string?>> SearchAsync(UserSession user, string query) =>
        Marketplace.Ids(await Expect.Json(await user.Client.GetAsync($"/v1/markets/marketplace/search?{query}"), HttpStatusCode.OK));

    [Theory]
    [OnEachEngine]
    public async Task AnOfferIsCounteredAcceptedCalledOffAndSoldAndClosesTheOtherBuyersOffers(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var bike = (await Marketplace.ProductAsync(seller, "Road bike", price: 300)).GetProperty("id").GetString()!;
        var ada = await Marketplace.BuyerAsync(app);
        var ben = await Marketplace.BuyerAsync(app);
        var (adaMatch, adaRoom) = await LikeAsync(ada, bike);
        var (benMatch, _) = await LikeAsync(ben, bike);

        // Ada offers 250; the seller sees it open and counters with 280, which closes Ada's as countered.
        var first = await OfferAsync(ada, adaMatch, 250);
        Assert.Equal(("pending", "HKD", adaRoom), (first.GetProperty("status").GetString(), first.GetProperty("currency").GetString(), first.GetProperty("conversationId").GetString()));
        var seen = await DealAsync(seller, adaMatch);
        Assert.Equal(first.GetProperty("id").GetString(), seen.GetProperty("pending").GetString());
        Assert.Equal(300m, seen.GetProperty("listingPrice").GetDecimal());
        await Says(await AnswerAsync(ada, adaMatch, first, "accept"), HttpStatusCode.Conflict, "other party answers");
        var counter = await OfferAsync(seller, adaMatch, 280);
        var history = (await DealAsync(ada, adaMatch)).GetProperty("offers").EnumerateArray().Select(o => (o.GetProperty("amount").GetDecimal(), o.GetProperty("status").GetString())).ToList();
        Assert.Equal([(250m, "countered"), (280m, "pending")], history);
        Assert.Contains(await BodiesAsync(ada), b => b.Contains("countered with HKD 280 for Road bike", StringComparison.Ordinal));

        // Ben offers too; Ada accepts the counter: the bike is reserved, out of search and browse, and Ben's offer is declined with the reason.
        var benOffer = await OfferAsync(ben, benMatch, 260);
        Assert.Equal("accepted", (await Expect.Json(await AnswerAsync(ada, adaMatch, counter, "accept"), HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("reserved", await StatusAsync(seller, bike));
        var benDeal = await DealAsync(ben, benMatch);
        var closed = benDeal.GetProperty("offers").EnumerateArray().Single(o => o.GetProperty("id").GetString() == benOffer.GetProperty("id").GetString());
        Assert.Equal(("declined", "Road bike is reserved for another buyer."), (closed.GetProperty("status").GetString(), closed.GetProperty("reason").GetString()));
        Assert.Equal(JsonValueKind.Null, benDeal.GetProperty("pending").ValueKind);
        await Says(await ben.Client.PostAsJsonAsync($"/v1/matches/{benMatch}/offers", new { amount = 400 }), HttpStatusCode.Conflict, "reserved");
        await SettleAsync(app);
        Assert.DoesNotContain(bike, await SearchAsync(ben, "q=bike"));
        Assert.DoesNotContain(bike, Marketplace.Ids(await Marketplace.BrowseAsync(ben, "tags=bikes")));
        // Reserved is not the seller's to set or clear by an edit.
        await Says(await seller.Client.PatchAsJsonAsync($"/v1/listings/{bike}", new { status = "active" }), HttpStatusCode.BadRequest, "lifecycle");

        // Ada calls it off: the bike is back on sale and in search; a new amount, accepted, then the sale.
        var accepted = (await DealAsync(seller, adaMatch)).GetProperty("accepted").GetString();
        Assert.Equal(counter.GetProperty("id").GetString(), accepted);
        await Says(await AnswerAsync(ada, adaMatch, counter, "complete"), HttpStatusCode.Conflict, "Only the seller");
        Assert.Equal("cancelled", (await Expect.Json(await AnswerAsync(ada, adaMatch, counter, "cancel"), HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("active", await StatusAsync(seller, bike));
        await SettleAsync(app);
        Assert.Contains(bike, await SearchAsync(ben, "q=bike"));
        var again = await OfferAsync(ada, adaMatch, 270);
        await Expect.Status(await AnswerAsync(seller, adaMatch, again, "accept"), HttpStatusCode.OK);
        Assert.Equal("completed", (await Expect.Json(await AnswerAsync(seller, adaMatch, again, "complete"), HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("sold", await StatusAsync(seller, bike));
        Assert.Contains(await BodiesAsync(ada), b => b.Contains("marked Road bike sold to you for HKD 270", StringComparison.Ordinal));
        await Says(await ada.Client.PostAsJsonAsync($"/v1/matches/{adaMatch}/offers", new { amount = 100 }), HttpStatusCode.Conflict, "sold");

        // The sale is the exchange: Ada and the seller may review each other without a word written; Ben may not.
        await Expect.Status(await ada.Client.PostAsJsonAsync($"/v1/users/{seller.UserId}/reviews", new { rating = "good", contextId = adaMatch }), HttpStatusCode.Created);
        await Expect.Status(await seller.Client.PostAsJsonAsync($"/v1/users/{ada.UserId}/reviews", new { rating = "good", contextId = adaMatch }), HttpStatusCode.Created);
        await Says(await ben.Client.PostAsJsonAsync($"/v1/users/{seller.UserId}/reviews", new { rating = "bad", contextId = benMatch }), HttpStatusCode.Conflict, "both written");
    }

    [Theory]
    [OnEachEngine]
    public async Task OfTwoOffersAcceptedAtOnceExactlyOneReservesTheProduct(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var camera = (await Marketplace.ProductAsync(seller, "Film camera", price: 900)).GetProperty("id").GetString()!;
        var offers = new List<(string Match, JsonElement Offer)>();
        for (var i = 0; i < 2; i++)
        {
            var buyer = await Marketplace.BuyerAsync(app);
            var (match, _) = await LikeAsync(buyer, camera);
            offers.Add((match, await OfferAsync(buyer, match, 800 + i)));
        }

        var answers = await Task.WhenAll(offers.Select(o => AnswerAsync(seller, o.Match, o.Offer, "accept")));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        Assert.Equal("reserved", await StatusAsync(seller, camera));
        var states = await Task.WhenAll(offers.Select(async o => (await DealAsync(seller, o.Match)).GetProperty("accepted").ValueKind));
        Assert.Single(states, s => s == JsonValueKind.String);
    }

    [Theory]
    [OnEachEngine]
    public async Task WrongDealRequestsAreAnsweredWithProblemsThatSayWhat(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var lamp = (await Marketplace.ProductAsync(seller, "Desk lamp", price: 120)).GetProperty("id").GetString()!;
        var buyer = await Marketplace.BuyerAsync(app);
        var (match, _) = await LikeAsync(buyer, lamp);
        var stranger = await Marketplace.BuyerAsync(app);

        await Says(await buyer.Client.PostAsJsonAsync($"/v1/matches/{match}/offers", new { amount = 0 }), HttpStatusCode.BadRequest, "amount");
        await Says(await buyer.Client.PostAsJsonAsync($"/v1/matches/{match}/offers", new { amount = 10.005 }), HttpStatusCode.BadRequest, "two decimals");
        await Says(await buyer.Client.PostAsJsonAsync($"/v1/matches/{match}/offers", new { note = "no amount" }), HttpStatusCode.BadRequest, "Amount");
        await Says(await buyer.Client.PostAsJsonAsync($"/v1/matches/{match}/offers", new { amount = 100, note = new string('x', 501) }), HttpStatusCode.BadRequest, "note");
        await Says(await stranger.Client.GetAsync($"/v1/matches/{match}/offers"), HttpStatusCode.NotFound, "no such match");
        await Says(await buyer.Client.PostAsync($"/v1/matches/{match}/offers/ofr_nothing/accept", null), HttpStatusCode.NotFound, "no such offer");
        var offer = await OfferAsync(buyer, match, 100);
        await Says(await AnswerAsync(seller, match, offer, "withdraw"), HttpStatusCode.Conflict, "your own pending");
        await Expect.Status(await AnswerAsync(seller, match, offer, "decline"), HttpStatusCode.OK);
        await Says(await AnswerAsync(seller, match, offer, "accept"), HttpStatusCode.Conflict, "declined");

        // A mutual market's match has no priced deal.
        var pair = await Chat.MatchAsync(app);
        await Says(await pair.Investor.Client.GetAsync($"/v1/matches/{pair.MatchId}/offers"), HttpStatusCode.Conflict, "marketplace");
    }

    private static async Task Says(HttpResponseMessage response, HttpStatusCode status, string words)
    {
        var problem = await Expect.Problem(response, status);
        Assert.Contains(words, problem.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<List<string>> BodiesAsync(UserSession user) =>
        [.. (await Expect.Json(await user.Client.GetAsync("/v1/notifications?limit=50"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(n => n.GetProperty("body").GetString()!)];
}
