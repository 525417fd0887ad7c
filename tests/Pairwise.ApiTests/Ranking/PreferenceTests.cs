using static Pairwise.Tests.Ranking.LearningTests;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Ranking;

/// <summary>What a market file can say people want: hard filters both ways, closeness, per-person importance, ranked lists of any length.</summary>
public sealed class PreferenceTests
{
    [Theory]
    [OnEachEngine]
    public async Task AManWhoWantsWomenAged25To30IsNeverShownMenOrASixtyYearOld(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.Dating());
        var (man, _) = await PersonAsync(app, "man", 35, new { genders = new[] { "woman" }, minAge = 25, maxAge = 30, ageMatters = 10 });
        var (_, within) = await PersonAsync(app, "woman", 27);
        var (_, justOutside) = await PersonAsync(app, "woman", 31);
        var (_, sixty) = await PersonAsync(app, "woman", 60);
        var (_, otherMan) = await PersonAsync(app, "man", 28);
        await SettleAsync(app);

        var feed = await FeedAsync(man, "dating");

        // A year outside the range still shows, scored lower; twenty years outside never does, nor a man.
        Assert.Equal([within, justOutside], Ids(feed));
        double Age(string card) => Item(feed, card).GetProperty("explanation").GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == "match.minAge").GetProperty("value").GetDouble();
        Assert.Equal(1, Age(within));
        Assert.Equal(0.6667, Age(justOutside), 3);
        Assert.DoesNotContain(sixty, Ids(feed));
        Assert.DoesNotContain(otherMan, Ids(feed));
    }

    [Theory]
    [OnEachEngine]
    public async Task AWomanWithNoPreferencesSeesEveryoneWhoWouldSeeHer(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.Dating());
        var (woman, _) = await PersonAsync(app, "woman", 28);
        var (_, choosyMan) = await PersonAsync(app, "man", 35, new { genders = new[] { "woman" }, minAge = 25, maxAge = 30 });
        var (_, man) = await PersonAsync(app, "man", 52);
        var (_, otherWoman) = await PersonAsync(app, "woman", 60);
        var (_, wantsMen) = await PersonAsync(app, "woman", 30, new { genders = new[] { "man" } });
        var (_, wantsOlder) = await PersonAsync(app, "man", 40, new { minAge = 35, maxAge = 45 });
        await SettleAsync(app);

        var seen = Ids(await FeedAsync(woman, "dating"));

        // No preference of hers filters anyone; only people whose own filters leave her out are missing (they would not see her).
        Assert.Equal(new[] { choosyMan, man, otherWoman }.Order(), seen.Order());
        Assert.DoesNotContain(wantsMen, seen);
        Assert.DoesNotContain(wantsOlder, seen);
    }

    [Theory]
    [OnEachEngine]
    public async Task TwoPeopleWhoWouldNotSeeEachOtherNeverMatch(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.Dating());
        var (man, manCard) = await PersonAsync(app, "man", 35, new { genders = new[] { "woman" }, minAge = 25, maxAge = 30 });
        var (woman, womanCard) = await PersonAsync(app, "woman", 60);
        await SettleAsync(app);

        // Each knows the other's card id, but neither card exists for the other: no swipe, no match.
        await Expect.Problem(await woman.Client.PostAsJsonAsync($"/v1/listings/{manCard}/swipe", new { action = "like" }), HttpStatusCode.NotFound);
        await Expect.Problem(await man.Client.PostAsJsonAsync($"/v1/listings/{womanCard}/swipe", new { action = "like" }), HttpStatusCode.NotFound);
        var matches = await Expect.Json(await man.Client.GetAsync("/v1/matches"), HttpStatusCode.OK);
        Assert.Empty(matches.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [OnEachEngine]
    public async Task SomeoneFartherThanAPersonWillGoIsNotShownEitherWay(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.Dating());
        async Task<(UserSession User, string CardId)> Placed(int age, (double Lat, double Lon) at, object? preferences = null)
        {
            var user = await app.SignUpAsync();
            var profile = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/dating/profiles/person", new
            {
                displayName = $"Person {age}",
                attributes = new { age, gender = "man", city = "Hong Kong", location = new { lat = at.Lat, lon = at.Lon } },
                preferences = preferences ?? new { },
            }), HttpStatusCode.Created);
            return (user, profile.GetProperty("cardId").GetString()!);
        }
        var (local, _) = await Placed(30, Scenarios.Marketplace.Central, new { maxDistanceKm = 10 });
        var (_, near) = await Placed(31, Scenarios.Marketplace.NearCentral);
        var (_, acrossTown) = await Placed(32, Scenarios.Marketplace.TuenMun);   // ~22 km: past 10 km and its 5 km tolerance
        var (_, nowhere) = await Placed(33, (35.69, 139.70));
        var (farAway, _) = await Placed(34, (35.68, 139.69));                     // Tokyo, no limit of their own
        await SettleAsync(app);

        Assert.Equal([near], Ids(await FeedAsync(local, "dating")));
        // The one in Tokyo sets no limit, but the local person would not see them, so they do not see the local person either.
        var seenFromTokyo = Ids(await FeedAsync(farAway, "dating"));
        Assert.Contains(near, seenFromTokyo);
        Assert.Contains(acrossTown, seenFromTokyo);
        Assert.Contains(nowhere, seenFromTokyo);
        Assert.Equal(3, seenFromTokyo.Count);
    }

    [Theory]
    [OnEachEngine]
    public async Task HowMuchSomethingMattersToAPersonWeighsItForThem(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.Dating(market => market["scoring"]!["learning"] = false));
        var (cares, _) = await PersonAsync(app, "woman", 30, new { genders = new[] { "man" }, cities = new[] { "Singapore" }, cityMatters = 10, ageMatters = 0, minAge = 30, maxAge = 40 });
        var (indifferent, _) = await PersonAsync(app, "woman", 31, new { genders = new[] { "man" }, cities = new[] { "Singapore" }, cityMatters = 0, ageMatters = 10, minAge = 30, maxAge = 40 });
        var (_, local) = await PersonAsync(app, "man", 33, city: "Singapore");
        var (_, faraway) = await PersonAsync(app, "man", 34, city: "London");
        await SettleAsync(app);

        double Points(JsonElement feed, string card, string term) => Item(feed, card).GetProperty("explanation").GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == term).GetProperty("points").GetDouble();
        var caring = await FeedAsync(cares, "dating");
        var notCaring = await FeedAsync(indifferent, "dating");

        Assert.Equal([local, faraway], Ids(caring));
        Assert.True(Points(caring, local, "match.cities") > Points(notCaring, local, "match.cities"));
        Assert.Equal(0, Points(notCaring, local, "match.cities"));
        Assert.Equal(0, Points(caring, local, "match.minAge"));
    }

    [Theory]
    [OnEachEngine]
    public async Task ARankedPreferenceOfTenValuesScoresEveryRank(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.WithoutLearning());
        string[] ranked = ["fintech", "ai", "healthtech", "climate", "edtech", "saas", "gaming", "ecommerce", "logistics", "biotech"];
        var (_, second) = await StartupAsync(app, "Second", "ai", "seed", "Hong Kong");
        var (_, tenth) = await StartupAsync(app, "Tenth", "biotech", "seed", "Hong Kong");
        var (investor, _) = await InvestorAsync(app, industries: ranked);
        await SettleAsync(app);

        var feed = await FeedAsync(investor);

        double Industry(string card) => Item(feed, card).GetProperty("explanation").GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == "match.industries").GetProperty("value").GetDouble();
        Assert.Equal(0.9, Industry(second), 4);
        Assert.Equal(0.1, Industry(tenth), 4);
    }
}
