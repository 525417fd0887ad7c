using Pairwise.Tests.Scenarios;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Ranking;

/// <summary>Search beside the deck: words over title, tags and description, category and price filters, sorts, pages, and who is left out.</summary>
public sealed class SearchTests
{
    private static async Task<JsonElement> SearchAsync(UserSession user, string query) =>
        await Expect.Json(await user.Client.GetAsync($"/v1/markets/marketplace/search?{query}"), HttpStatusCode.OK);

    private static List<string?> Titles(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString())];

    [Theory]
    [OnEachEngine]
    public async Task WordsFindTitlesFirstThenTagsThenDescriptionsWithFiltersAndSorts(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        await Marketplace.ProductAsync(seller, "Road bike", price: 1200, category: "bikes", tags: ["bikes", "outdoor"]);
        await Marketplace.ProductAsync(seller, "Folding bike", price: 900, category: "bikes", condition: "new", tags: ["bikes", "commute"]);
        await Marketplace.ProductAsync(seller, "Oak dining table", price: 1500, category: "furniture", tags: ["furniture"], description: "Seats six; comes with a bike rack.");
        await Marketplace.ProductAsync(seller, "兒童單車", price: 300, category: "bikes", tags: ["kids"], description: "Kids' bike with training wheels.");
        await Marketplace.ProductAsync(seller, "Helmet", price: 150, category: "sports", tags: ["bikes"]);
        var buyer = await Marketplace.BuyerAsync(app);
        await SettleAsync(app);

        // Every word must appear; a title beats a tag beats a description; equal scores newest first.
        var bike = await SearchAsync(buyer, "q=bike");
        Assert.Equal(["Folding bike", "Road bike", "Helmet", "兒童單車", "Oak dining table"], Titles(bike));
        Assert.Equal(5, bike.GetProperty("total").GetInt32());
        Assert.Equal(["Road bike"], Titles(await SearchAsync(buyer, "q=ROAD+bi")));
        Assert.Equal(["兒童單車"], Titles(await SearchAsync(buyer, "q=單車")));
        Assert.Empty(Titles(await SearchAsync(buyer, "q=bike+sofa")));

        // Filters by the market's category fields and price; sorts by price either way.
        Assert.Equal(["兒童單車", "Folding bike", "Road bike"], Titles(await SearchAsync(buyer, "category=bikes&sort=price")));
        Assert.Equal(["Road bike", "Folding bike", "兒童單車"], Titles(await SearchAsync(buyer, "category=bikes&sort=-price")));
        Assert.Equal(["Folding bike"], Titles(await SearchAsync(buyer, "q=bike&condition=new")));
        Assert.Equal(["Folding bike", "Road bike"], Titles(await SearchAsync(buyer, "q=bike&minPrice=500&maxPrice=1300")));

        // Pages: the cursor continues the same order with nothing twice.
        var first = await SearchAsync(buyer, "sort=price&limit=2");
        var second = await SearchAsync(buyer, $"sort=price&limit=2&cursor={first.GetProperty("nextCursor").GetString()}");
        Assert.Equal(["Helmet", "兒童單車", "Folding bike", "Road bike"], Titles(first).Concat(Titles(second)).ToList());
    }

    [Theory]
    [OnEachEngine]
    public async Task SearchLeavesOutMyOwnAndBlockedPeoplesListingsAndFindsANewOneWithinMoments(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var other = await Marketplace.SellerAsync(app);
        var buyer = await Marketplace.BuyerAsync(app);
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { attributes = new { shopName = "Mine" } }), HttpStatusCode.Created);
        await Marketplace.ProductAsync(seller, "Blue guitar", category: "music");
        await Marketplace.ProductAsync(other, "Red guitar", category: "music");
        await Marketplace.ProductAsync(buyer, "Green guitar", category: "music");
        await SettleAsync(app);
        Assert.Equal(["Red guitar", "Blue guitar"], Titles(await SearchAsync(buyer, "q=guitar")));

        await Expect.Status(await buyer.Client.PostAsync($"/v1/users/{other.UserId}/block", null), HttpStatusCode.OK);
        Assert.Equal(["Blue guitar"], Titles(await SearchAsync(buyer, "q=guitar")));

        await Marketplace.ProductAsync(seller, "Yellow guitar", category: "music");
        var found = false;
        for (var i = 0; i < 50 && !found; i++)
        {
            found = Titles(await SearchAsync(buyer, "q=guitar")).Contains("Yellow guitar");
            await Task.Delay(100);
        }
        Assert.True(found, "A new product was not found within 5 s.");
    }

    [Theory]
    [OnEachEngine]
    public async Task InADatingMarketSearchKeepsTheHardFiltersBothWaysAndShowsNobodyWithoutAProfile(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.Dating());
        var (woman, _) = await LearningTests.PersonAsync(app, "woman", 30, new { genders = new[] { "man" } });
        var (_, wantsWomen) = await LearningTests.PersonAsync(app, "man", 32, new { genders = new[] { "woman" } });
        var (_, wantsMen) = await LearningTests.PersonAsync(app, "man", 33, new { genders = new[] { "man" } });
        await LearningTests.PersonAsync(app, "woman", 29);
        var stranger = await app.SignUpAsync();
        await SettleAsync(app);

        var found = await Expect.Json(await woman.Client.GetAsync("/v1/markets/dating/search?gender=man"), HttpStatusCode.OK);
        Assert.Equal([wantsWomen], Marketplace.Ids(found));
        Assert.DoesNotContain(wantsMen, Marketplace.Ids(found));
        var none = await Expect.Json(await stranger.Client.GetAsync("/v1/markets/dating/search"), HttpStatusCode.OK);
        Assert.Equal(0, none.GetProperty("total").GetInt32());
    }

    [Theory]
    [OnEachEngine]
    public async Task WrongSearchParametersAreProblemsThatNameThem(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var buyer = await Marketplace.BuyerAsync(app);
        foreach (var (query, field) in new[]
        {
            ("sort=cheapest", "sort"), ("sort=distance", "sort"), ("category=cars", "category"), ("colour=red", "colour"), ("minPrice=-1", "minPrice"),
            ("minPrice=9&maxPrice=1", "minPrice"), ("limit=0", "limit"), ("cursor=nonsense", "cursor"), ("radiusKm=5", "radiusKm"), ("near=200,1", "near"),
            ("side=nobody", "side"), ($"q={new string('a', 201)}", "q"), ("q=a&q=b", "q"),
        })
        {
            var problem = await Expect.Problem(await buyer.Client.GetAsync($"/v1/markets/marketplace/search?{query}"), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {problem}");
        }
        await Expect.Problem(await buyer.Client.GetAsync("/v1/markets/nowhere/search?q=x"), HttpStatusCode.NotFound);
    }
}
