using static Pairwise.Tests.Ranking.LearningTests;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Ranking;

/// <summary>The explanation is the score: its points add up to the base, and the base times its multipliers is the score, in every shipped market.</summary>
public sealed class ExplanationTests
{
    [Theory]
    [OnEachEngine]
    public async Task TheExplainedPointsAddUpToTheScoreInEveryShippedMarket(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.Dating());
        var feeds = new List<JsonElement>();

        // Venture, with a swipe so the learned term takes part, and a startup that liked the investor (the ×2 multiplier).
        var (founder, _) = await StartupAsync(app, "PayLah", "fintech", "seed", "Hong Kong");
        await StartupAsync(app, "Other", "ai", "series-a", "Singapore");
        var (investor, investorCard) = await InvestorAsync(app, industries: ["fintech", "ai", "climate"]);
        await SwipeAsync(founder, investorCard);

        // Marketplace: a buyer near two products, one of them liked by someone else.
        var seller = await Scenarios.Marketplace.SellerAsync(app);
        var bike = (await Scenarios.Marketplace.ProductAsync(seller)).GetProperty("id").GetString()!;
        await Scenarios.Marketplace.ProductAsync(seller, "Lamp", 80, tags: ["home"]);
        var buyer = await app.SignUpAsync();
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new
        {
            attributes = new { location = new { lat = Scenarios.Marketplace.Central.Lat, lon = Scenarios.Marketplace.Central.Lon } },
            preferences = new { tags = new[] { "bikes" } },
        }), HttpStatusCode.Created);
        var other = await app.SignUpAsync();
        await Expect.Status(await other.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new { attributes = new { } }), HttpStatusCode.Created);
        await SwipeAsync(other, bike);

        // Gigs: a worker and a job with a response on it.
        var (worker, _) = await Gigs.GigsFeedTests.WorkerAsync(app, "餐廳侍應，晚市經驗，識做樓面服務", "Central", 80, 150);
        var (employer, job) = await Gigs.GigsFeedTests.JobAsync(app);
        var (responder, _) = await Gigs.GigsFeedTests.WorkerAsync(app, "餐廳侍應，晚市經驗", "Central", 80, 150);
        await SwipeAsync(responder, job);

        // Dating: filters, importance, closeness and the reciprocal mean together.
        var (person, _) = await PersonAsync(app, "woman", 30, new { genders = new[] { "man" }, minAge = 28, maxAge = 34, ageMatters = 8, cities = new[] { "Hong Kong" } });
        var (_, near) = await PersonAsync(app, "man", 36, new { genders = new[] { "woman" } });
        var (liker, _) = await PersonAsync(app, "woman", 29);
        await SwipeAsync(liker, near, "pass");
        await SettleAsync(app);

        feeds.Add(await FeedAsync(investor));
        feeds.Add(await FeedAsync(buyer, "marketplace"));
        feeds.Add(await FeedAsync(worker, "gigs"));
        feeds.Add(await FeedAsync(employer, "gigs"));
        feeds.Add(await FeedAsync(person, "dating"));

        var recipes = new HashSet<string>();
        foreach (var item in feeds.SelectMany(f => f.GetProperty("items").EnumerateArray()))
        {
            var explanation = item.GetProperty("explanation");
            recipes.Add(explanation.GetProperty("recipe").GetString()!);
            var features = explanation.GetProperty("features").EnumerateArray().ToList();
            var points = features.Sum(f => f.GetProperty("points").GetDouble());
            var @base = explanation.GetProperty("base").GetDouble();
            Assert.True(Math.Abs(points - @base) <= 0.006 * features.Count, $"points {points} against base {@base}: {explanation}");
            var factor = explanation.GetProperty("multipliers").EnumerateArray().Aggregate(1.0, (f, m) => f * m.GetProperty("value").GetDouble());
            Assert.Equal(item.GetProperty("score").GetDouble(), @base * factor, 2);
            Assert.Contains(features, f => f.GetProperty("name").GetString() == "learned");
        }
        Assert.Equal(["gigs", "marketplace", "venture", "weighted"], recipes.Order());
    }

    [Theory]
    [OnEachEngine]
    public async Task TheQualityTermWeighsWhatTheMarketSays(Engine engine)
    {
        // Dating weighs quality at 0.5: 50 points at most, not 100.
        using var app = new PairwiseApp(engine, MarketFiles.Dating(market => market["scoring"]!["learning"] = false));
        var (viewer, _) = await PersonAsync(app, "woman", 30);
        var (_, card) = await PersonAsync(app, "man", 31);
        await SettleAsync(app);

        var quality = Item(await FeedAsync(viewer, "dating"), card).GetProperty("explanation").GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == "quality");

        Assert.Equal(50, quality.GetProperty("weight").GetDouble());
        Assert.Equal(quality.GetProperty("value").GetDouble() * 50, quality.GetProperty("points").GetDouble(), 1);
    }
}
