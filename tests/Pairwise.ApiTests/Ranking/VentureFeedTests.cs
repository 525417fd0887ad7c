using Microsoft.Extensions.DependencyInjection;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Ranking;

/// <summary>Seed 000's formulas, exactly: the market's learned term is off (scoring.learning false).</summary>
public sealed class VentureFeedTests
{
    [Theory]
    [OnEachEngine]
    public async Task AnInvestorSeesFintechSeedStartupsInHongKongFirstEachExplained(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.WithoutLearning());
        var fits = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            fits.Add((await StartupAsync(app, $"Pay{i}", "fintech", "seed", "Hong Kong")).CardId);
        }
        string[][] others =
        [
            ["ai", "seed", "Hong Kong"], ["fintech", "series-b", "London"], ["healthtech", "seed", "Singapore"], ["gaming", "growth", "Tokyo"],
            ["fintech", "series-a", "Hong Kong"], ["climate", "pre-seed", "Berlin"], ["edtech", "seed", "Hong Kong"], ["saas", "series-a", "Singapore"],
        ];
        foreach (var (industry, stage, location) in others.Select(o => (o[0], o[1], o[2])))
        {
            await StartupAsync(app, $"{industry}-{stage}", industry, stage, location);
        }
        var (investor, _) = await InvestorAsync(app, industries: ["fintech", "ai"], stages: ["seed"], locations: ["Hong Kong"]);
        await SettleAsync(app);

        var feed = await FeedAsync(investor);

        var ids = Ids(feed);
        Assert.Equal(10, ids.Count);
        Assert.Equal(fits.Order(), ids.Take(3).Order());
        foreach (var item in feed.GetProperty("items").EnumerateArray())
        {
            var explanation = item.GetProperty("explanation");
            Assert.Equal("venture", explanation.GetProperty("recipe").GetString());
            Assert.Contains(explanation.GetProperty("features").EnumerateArray(), f => f.GetProperty("name").GetString() == "match.industries");
            Assert.Contains(explanation.GetProperty("multipliers").EnumerateArray(), m => m.GetProperty("name").GetString() == "sentiment");
            Assert.Equal(item.GetProperty("score").GetDouble(), explanation.GetProperty("score").GetDouble());
        }
        var scores = feed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Theory]
    [OnEachEngine]
    public async Task AStartupThatLikedTheInvestorScoresExactlyTwiceAsHigh(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.WithoutLearning());
        var (founder, card) = await StartupAsync(app, "PayLah", "fintech", "seed", "Hong Kong");
        var (liked, likedCard) = await InvestorAsync(app, "Liked Capital");
        var (control, _) = await InvestorAsync(app, "Control Capital");
        var swipe = await SwipeAsync(founder, likedCard);
        Assert.False(swipe.GetProperty("matched").GetBoolean());
        await SettleAsync(app);

        var withLike = Item(await FeedAsync(liked), card);
        var without = Item(await FeedAsync(control), card);

        Assert.Equal(2 * without.GetProperty("score").GetDouble(), withLike.GetProperty("score").GetDouble(), 3);
        var sentiment = withLike.GetProperty("explanation").GetProperty("multipliers").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "sentiment");
        Assert.Equal(2, sentiment.GetProperty("value").GetDouble());
        Assert.Contains("liked you", sentiment.GetProperty("detail").GetString());
        Assert.Equal(without.GetProperty("explanation").GetProperty("base").GetDouble(), withLike.GetProperty("explanation").GetProperty("base").GetDouble());
    }

    [Theory]
    [OnEachEngine]
    public async Task AStartupThatWouldNeverWantTheInvestorRanksBelowAMutualFit(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.WithoutLearning());
        var (_, oneSided) = await StartupAsync(app, "OneSided", "fintech", "seed", "Hong Kong", wantsIndustries: ["climate"], wantsLocations: ["Berlin"]);
        var (_, mutual) = await StartupAsync(app, "Mutual", "fintech", "seed", "Hong Kong");
        var (investor, _) = await InvestorAsync(app);
        await SettleAsync(app);

        var feed = await FeedAsync(investor);

        Assert.Equal([mutual, oneSided], Ids(feed));
        var reciprocal = Item(feed, oneSided).GetProperty("explanation").GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "reciprocal");
        Assert.Contains("harmonic mean", reciprocal.GetProperty("basis").GetString());
        Assert.Contains("you fit", reciprocal.GetProperty("detail").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task LikedOwnAndPassedCardsStayOutUntilTheCoolDown(Engine engine)
    {
        using var app = new PairwiseApp(engine, new(MarketFiles.WithoutLearning()) { ["Pairwise:Tokens:AccessTokenLifetime"] = "90.00:00:00", ["Pairwise:Tokens:RefreshTokenLifetime"] = "90.00:00:00" });
        var (_, liked) = await StartupAsync(app, "Liked", "fintech", "seed", "Hong Kong");
        var (_, passed) = await StartupAsync(app, "Passed", "fintech", "seed", "Hong Kong");
        var (_, untouched) = await StartupAsync(app, "Untouched", "fintech", "seed", "Hong Kong");
        var (investor, _) = await InvestorAsync(app);
        await Expect.Status(await investor.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup",
            new { attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong" } }), HttpStatusCode.Created);
        await SwipeAsync(investor, liked);
        await SwipeAsync(investor, passed, "pass");
        await SettleAsync(app);

        Assert.Equal([untouched], Ids(await FeedAsync(investor, query: "side=investor")));

        app.Clock.Advance(TimeSpan.FromDays(31));
        var later = await FeedAsync(investor, query: "side=investor");
        Assert.True(Ids(later).Count == 2, later.ToString());
        var back = Item(later, passed).GetProperty("explanation").GetProperty("multipliers").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "time");
        Assert.Equal(31.0 / 60, back.GetProperty("value").GetDouble(), 3);
    }

    [Theory]
    [OnEachEngine]
    public async Task ACardShownCountsHalfFromAnHourLaterAndRecoversOverAWeek(Engine engine)
    {
        using var app = new PairwiseApp(engine, new(MarketFiles.WithoutLearning()) { ["Pairwise:Tokens:AccessTokenLifetime"] = "30.00:00:00", ["Pairwise:Tokens:RefreshTokenLifetime"] = "30.00:00:00" });
        await StartupAsync(app, "Seen", "fintech", "seed", "Hong Kong");
        await StartupAsync(app, "Other", "fintech", "seed", "Hong Kong");
        var (investor, _) = await InvestorAsync(app);
        await SettleAsync(app);
        var seen = app.Services.GetRequiredService<Pairwise.Ranking.SeenWriter>();
        var order = Ids(await FeedAsync(investor));
        var card = order[0];
        double TimeFactor(JsonElement feed) => Item(feed, card).GetProperty("explanation").GetProperty("multipliers").EnumerateArray()
            .Single(m => m.GetProperty("name").GetString() == "time").GetProperty("value").GetDouble();

        // Fetching marks nothing: the deck is the same on every reload (or device).
        await seen.FlushAsync(CancellationToken.None);
        for (var reload = 0; reload < 3; reload++)
        {
            var again = await FeedAsync(investor);
            Assert.Equal(order, Ids(again));
            Assert.Equal(1, TimeFactor(again));
        }

        // The app says the first card was shown: for the next hour it stays first.
        await SeenAsync(investor, [card]);
        await seen.FlushAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(order, Ids(await FeedAsync(investor)));

        // From an hour on it counts half (behind the other, equal card), then recovers linearly: whole after a week.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var later = await FeedAsync(investor);
        Assert.Equal(1 - (0.5 * (1 - (1.0 / 24 / 7))), TimeFactor(later), 3);
        Assert.Equal([order[1], card], Ids(later));
        app.Clock.Advance(TimeSpan.FromDays(3.5) - TimeSpan.FromHours(1));
        Assert.Equal(0.75, TimeFactor(await FeedAsync(investor)), 3);

        // Ids that are not listings, none or too many are refused; a market must exist and the viewer have a profile in it.
        await Expect.Problem(await investor.Client.PostAsJsonAsync("/v1/markets/venture/feed/seen", new { listingIds = Array.Empty<string>() }), HttpStatusCode.BadRequest);
        await Expect.Problem(await investor.Client.PostAsJsonAsync("/v1/markets/venture/feed/seen", new { listingIds = new[] { "nonsense" } }), HttpStatusCode.BadRequest);
        await Expect.Problem(await investor.Client.PostAsJsonAsync("/v1/markets/venture/feed/seen", new { listingIds = Enumerable.Repeat(card, 101) }), HttpStatusCode.BadRequest);
        await Expect.Problem(await investor.Client.PostAsJsonAsync("/v1/markets/nowhere/feed/seen", new { listingIds = new[] { card } }), HttpStatusCode.NotFound);
        await Expect.Problem(await investor.Client.PostAsJsonAsync("/v1/markets/gigs/feed/seen", new { listingIds = new[] { card } }), HttpStatusCode.Conflict);
    }

    [Theory]
    [OnEachEngine]
    public async Task UndoingAPassBringsTheCardBackAtOnce(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.WithoutLearning());
        var (_, card) = await StartupAsync(app, "Again", "fintech", "seed", "Hong Kong");
        var (investor, _) = await InvestorAsync(app);
        await SwipeAsync(investor, card, "pass");
        await SettleAsync(app);
        Assert.Empty(Ids(await FeedAsync(investor)));
        await Expect.Problem(await investor.Client.PostAsJsonAsync($"/v1/listings/{card}/swipe", new { action = "like" }), HttpStatusCode.Conflict);

        await Expect.Status(await investor.Client.DeleteAsync($"/v1/listings/{card}/swipe"), HttpStatusCode.NoContent);

        Assert.Equal([card], Ids(await FeedAsync(investor)));
        await Expect.Problem(await investor.Client.DeleteAsync($"/v1/listings/{card}/swipe"), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEachEngine]
    public async Task PagesContinueTheFirstPagesOrderWithoutRepeats(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.WithoutLearning());
        var all = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            all.Add((await StartupAsync(app, $"S{i}", i % 2 == 0 ? "fintech" : "ai", "seed", "Hong Kong")).CardId);
        }
        var (investor, _) = await InvestorAsync(app);
        await SettleAsync(app);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await FeedAsync(investor, query: "limit=10" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(Ids(page));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(25, seen.Distinct().Count());
        Assert.Equal(all.Order(), seen.Order());
        await Expect.Problem(await investor.Client.GetAsync("/v1/markets/venture/feed?cursor=bogus"), HttpStatusCode.BadRequest);
    }

    [Theory]
    [OnEachEngine]
    public async Task ANewCardReachesFeedsWithinASecond(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.WithoutLearning());
        var (investor, _) = await InvestorAsync(app);
        Assert.Empty(Ids(await FeedAsync(investor)));

        var (_, card) = await StartupAsync(app, "Fresh", "fintech", "seed", "Hong Kong");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!Ids(await FeedAsync(investor)).Contains(card) && watch.Elapsed < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(20);
        }
        Assert.Contains(card, Ids(await FeedAsync(investor)));
    }

    [Theory]
    [OnEachEngine]
    public async Task AFeedNeedsAProfileAndAKnownMarket(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.WithoutLearning());
        var user = await app.SignUpAsync();
        await Expect.Problem(await user.Client.GetAsync("/v1/markets/venture/feed"), HttpStatusCode.Conflict);
        await Expect.Problem(await user.Client.GetAsync("/v1/markets/chess/feed"), HttpStatusCode.NotFound);
        await Expect.Problem(await user.Client.GetAsync("/v1/markets/venture/feed?limit=0"), HttpStatusCode.BadRequest);
        await Expect.Problem(await app.CreateClient().GetAsync("/v1/markets/venture/feed"), HttpStatusCode.Unauthorized);
    }
}
