using Microsoft.Extensions.DependencyInjection;
using Pairwise.Tests.Scenarios;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Ranking;

public sealed class MarketplaceFeedTests
{
    private static readonly (double Lat, double Lon) Buyer = (22.2819, 114.1582);   // Central
    private static readonly (double Lat, double Lon) TwoKm = (22.2999, 114.1582);   // ~2 km north
    private static readonly (double Lat, double Lon) EightKm = (22.3539, 114.1582); // ~8 km north

    private static async Task<UserSession> BuyerAsync(PairwiseApp app, object? preferences = null)
    {
        var buyer = await app.SignUpAsync();
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new
        {
            attributes = new { location = new { lat = Buyer.Lat, lon = Buyer.Lon } },
            preferences = preferences ?? new { radiusKm = 10 },
        }), HttpStatusCode.Created);
        return buyer;
    }

    [Theory]
    [OnEachEngine]
    public async Task ABuyerSeesANearbyProductBeforeAFarOne(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var far = (await Marketplace.ProductAsync(seller, "Far bike", at: EightKm)).GetProperty("id").GetString()!;
        var near = (await Marketplace.ProductAsync(seller, "Near bike", at: TwoKm)).GetProperty("id").GetString()!;
        var outside = (await Marketplace.ProductAsync(seller, "Kowloon bike", at: (22.40, 114.16))).GetProperty("id").GetString()!;
        var buyer = await BuyerAsync(app);
        await SettleAsync(app);

        var feed = await FeedAsync(buyer, "marketplace");

        Assert.Equal([near, far], Ids(feed));
        Assert.DoesNotContain(outside, Ids(feed));
        var distance = Item(feed, near).GetProperty("explanation").GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "distance");
        Assert.Contains("2.0 km", distance.GetProperty("detail").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task APromotedProductGetsABoundedBoost(Engine engine)
    {
        using var app = new PairwiseApp(engine, new() { ["Pairwise:Operators:0"] = "ops@example.com" });
        var seller = await Marketplace.SellerAsync(app);
        var far = (await Marketplace.ProductAsync(seller, "Far bike", at: EightKm)).GetProperty("id").GetString()!;
        var near = (await Marketplace.ProductAsync(seller, "Near bike", at: TwoKm)).GetProperty("id").GetString()!;
        var buyer = await BuyerAsync(app);
        await SettleAsync(app);
        var before = await FeedAsync(buyer, "marketplace");
        var operatorUser = await app.SignUpAsync("ops@example.com");
        await Expect.Status(await operatorUser.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = app.LatestEmailCode("ops@example.com") }), HttpStatusCode.OK);

        await Expect.Status(await operatorUser.Client.PostAsJsonAsync($"/v1/operator/listings/{far}/promotion", new { hype = 100, boostDays = 7 }), HttpStatusCode.OK);
        await SettleAsync(app);
        var after = await FeedAsync(await BuyerAsync(app), "marketplace");

        var boosted = Item(after, far);
        var promotion = boosted.GetProperty("explanation").GetProperty("multipliers").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "promotion");
        Assert.Equal(1.25, promotion.GetProperty("value").GetDouble(), 3);
        Assert.Equal(1.25 * Item(before, far).GetProperty("score").GetDouble(), boosted.GetProperty("score").GetDouble(), 2);
        Assert.Contains(near, Ids(after));
    }

    [Theory]
    [OnEachEngine]
    public async Task PriceAndConditionPreferencesFilterTheFeed(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var cheapUsed = (await Marketplace.ProductAsync(seller, "Cheap", 100, "used", at: TwoKm)).GetProperty("id").GetString()!;
        await Marketplace.ProductAsync(seller, "Dear", 900, "used", at: TwoKm);
        await Marketplace.ProductAsync(seller, "New", 100, "new", at: TwoKm);
        var buyer = await BuyerAsync(app, new { radiusKm = 5, minPrice = 50, maxPrice = 500, conditions = new[] { "used" }, tags = new[] { "bikes" } });
        await SettleAsync(app);

        Assert.Equal([cheapUsed], Ids(await FeedAsync(buyer, "marketplace")));
    }

    [Theory]
    [OnEachEngine]
    public async Task ASwipeRightOpensAConversationWithTheSeller(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var product = (await Marketplace.ProductAsync(seller, at: TwoKm)).GetProperty("id").GetString()!;
        var buyer = await BuyerAsync(app);

        var swipe = await SwipeAsync(buyer, product);
        var again = await SwipeAsync(buyer, product);

        Assert.True(swipe.GetProperty("matched").GetBoolean());
        Assert.NotNull(swipe.GetProperty("conversationId").GetString());
        Assert.Equal(swipe.GetProperty("conversationId").GetString(), again.GetProperty("conversationId").GetString());
        var sellerMatches = await Expect.Json(await seller.Client.GetAsync("/v1/matches"), HttpStatusCode.OK);
        var offer = Assert.Single(sellerMatches.GetProperty("items").EnumerateArray());
        Assert.Equal("offer", offer.GetProperty("kind").GetString());
        Assert.Equal(product, offer.GetProperty("listingId").GetString());
        Assert.Equal(swipe.GetProperty("conversationId").GetString(), offer.GetProperty("conversationId").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task TheCurrentLocationOverridesTheProfiles(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var kowloon = (await Marketplace.ProductAsync(seller, "Kowloon bike", at: (22.40, 114.16))).GetProperty("id").GetString()!;
        var buyer = await BuyerAsync(app);
        await SettleAsync(app);

        Assert.Empty(Ids(await FeedAsync(buyer, "marketplace")));
        Assert.Equal([kowloon], Ids(await FeedAsync(buyer, "marketplace", "near=22.39,114.16")));
        await Expect.Problem(await buyer.Client.GetAsync("/v1/markets/marketplace/feed?near=north"), HttpStatusCode.BadRequest);
    }
}
