using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Swipes;

public sealed class MatchTests
{
    [Theory]
    [OnEachEngine]
    public async Task TwoLikesMakeOneMatchWithAConversationForBoth(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var (founder, startupCard) = await StartupAsync(app, "PayLah", "fintech", "seed", "Hong Kong");
        var (investor, investorCard) = await InvestorAsync(app);

        var first = await SwipeAsync(investor, startupCard);
        var second = await SwipeAsync(founder, investorCard);

        Assert.False(first.GetProperty("matched").GetBoolean());
        Assert.True(second.GetProperty("matched").GetBoolean());
        var matchId = second.GetProperty("matchId").GetString();
        var conversationId = second.GetProperty("conversationId").GetString();
        var founderMatches = await Expect.Json(await founder.Client.GetAsync("/v1/matches"), HttpStatusCode.OK);
        var investorMatches = await Expect.Json(await investor.Client.GetAsync("/v1/matches"), HttpStatusCode.OK);
        var seenByFounder = Assert.Single(founderMatches.GetProperty("items").EnumerateArray());
        var seenByInvestor = Assert.Single(investorMatches.GetProperty("items").EnumerateArray());
        Assert.Equal(matchId, seenByFounder.GetProperty("id").GetString());
        Assert.Equal(conversationId, seenByInvestor.GetProperty("conversationId").GetString());
        Assert.Equal("Harbour Ventures", seenByFounder.GetProperty("with").GetProperty("displayName").GetString());
        Assert.Equal(startupCard, seenByInvestor.GetProperty("with").GetProperty("cardId").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task ARepeatedSwipeChangesNothing(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var (founder, startupCard) = await StartupAsync(app, "PayLah", "fintech", "seed", "Hong Kong");
        var (investor, investorCard) = await InvestorAsync(app);
        await SwipeAsync(investor, startupCard);
        var matched = await SwipeAsync(founder, investorCard);

        var again = await SwipeAsync(founder, investorCard);
        var theirs = await SwipeAsync(investor, startupCard);

        Assert.Equal(matched.GetProperty("matchId").GetString(), again.GetProperty("matchId").GetString());
        Assert.Equal(matched.GetProperty("matchId").GetString(), theirs.GetProperty("matchId").GetString());
        Assert.Single((await Expect.Json(await founder.Client.GetAsync("/v1/matches"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        await Expect.Problem(await founder.Client.PostAsJsonAsync($"/v1/listings/{investorCard}/swipe", new { action = "pass" }), HttpStatusCode.Conflict);
    }

    [Theory]
    [OnEachEngine]
    public async Task AHundredPairsLikingEachOtherAtOnceMakeExactlyAHundredMatches(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pairs = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            var startup = await StartupAsync(app, $"S{i}", "fintech", "seed", "Hong Kong");
            var investor = await InvestorAsync(app, $"I{i}");
            return (startup, investor);
        }));

        var outcomes = await Task.WhenAll(pairs.SelectMany(p => new[]
        {
            Task.Run(() => SwipeAsync(p.startup.User, p.investor.CardId)),
            Task.Run(() => SwipeAsync(p.investor.User, p.startup.CardId)),
        }));

        var matchIds = outcomes.Where(o => o.GetProperty("matched").GetBoolean()).Select(o => o.GetProperty("matchId").GetString()).Distinct().ToList();
        Assert.Equal(100, matchIds.Count);
        foreach (var (startup, investor) in pairs)
        {
            var a = await Expect.Json(await startup.User.Client.GetAsync("/v1/matches"), HttpStatusCode.OK);
            var b = await Expect.Json(await investor.User.Client.GetAsync("/v1/matches"), HttpStatusCode.OK);
            Assert.Equal(Assert.Single(a.GetProperty("items").EnumerateArray()).GetProperty("id").GetString(),
                Assert.Single(b.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        }
    }

    [Theory]
    [OnEachEngine]
    public async Task UnmatchingEndsTheMatchForBothAndStrangersCannot(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var (founder, startupCard) = await StartupAsync(app, "PayLah", "fintech", "seed", "Hong Kong");
        var (investor, investorCard) = await InvestorAsync(app);
        var stranger = await app.SignUpAsync();
        await SwipeAsync(investor, startupCard);
        var matchId = (await SwipeAsync(founder, investorCard)).GetProperty("matchId").GetString();

        await Expect.Problem(await stranger.Client.DeleteAsync($"/v1/matches/{matchId}"), HttpStatusCode.NotFound);
        await Expect.Status(await founder.Client.DeleteAsync($"/v1/matches/{matchId}"), HttpStatusCode.NoContent);

        Assert.Empty((await Expect.Json(await investor.Client.GetAsync("/v1/matches"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        await Expect.Problem(await investor.Client.DeleteAsync($"/v1/matches/{matchId}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEachEngine("{\"action\":\"love\"}", HttpStatusCode.BadRequest)]
    [OnEachEngine("{}", HttpStatusCode.BadRequest)]
    [OnEachEngine("{\"action\":\"like\",\"side\":\"startup\"}", HttpStatusCode.Conflict)]
    public async Task ABadSwipeIsRefused(Engine engine, string body, HttpStatusCode expected)
    {
        using var app = new PairwiseApp(engine);
        var (_, card) = await StartupAsync(app, "PayLah", "fintech", "seed", "Hong Kong");
        var (investor, _) = await InvestorAsync(app);

        await Expect.Problem(await investor.Client.PostAsync($"/v1/listings/{card}/swipe", new StringContent(body, System.Text.Encoding.UTF8, "application/json")), expected);
    }

    [Theory]
    [OnEachEngine]
    public async Task NobodySwipesOnTheirOwnCardOrWithoutAProfile(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var (founder, card) = await StartupAsync(app, "PayLah", "fintech", "seed", "Hong Kong");
        var nobody = await app.SignUpAsync();

        await Expect.Problem(await founder.Client.PostAsJsonAsync($"/v1/listings/{card}/swipe", new { action = "like" }), HttpStatusCode.Conflict);
        await Expect.Problem(await nobody.Client.PostAsJsonAsync($"/v1/listings/{card}/swipe", new { action = "like" }), HttpStatusCode.Conflict);
        await Expect.Problem(await nobody.Client.PostAsJsonAsync("/v1/listings/lst_00000000000000000000000000000000/swipe", new { action = "like" }), HttpStatusCode.NotFound);
    }
}
