using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Reviews;

public sealed class ReviewTests
{
    [Theory]
    [OnEachEngine]
    public async Task EachSideReviewsTheOtherOnceAndTheSummaryIsOnTheProfile(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        await SendAsync(pair.Founder, pair.ConversationId, "Thanks for the call.");
        await SendAsync(pair.Investor, pair.ConversationId, "Likewise.");

        var review = await Expect.Json(await pair.Investor.Client.PostAsJsonAsync($"/v1/users/{pair.Founder.UserId}/reviews",
            new { rating = "bad", text = "Missed two calls.", contextId = pair.MatchId }), HttpStatusCode.Created);
        await Expect.Status(await pair.Founder.Client.PostAsJsonAsync($"/v1/users/{pair.Investor.UserId}/reviews",
            new { rating = "good", contextId = pair.MatchId }), HttpStatusCode.Created);
        var again = await pair.Investor.Client.PostAsJsonAsync($"/v1/users/{pair.Founder.UserId}/reviews", new { rating = "good", contextId = pair.MatchId });

        await Expect.Problem(again, HttpStatusCode.Conflict);
        Assert.Equal("Harbour Ventures", review.GetProperty("reviewerName").GetString());
        var reviews = await Expect.Json(await pair.Investor.Client.GetAsync($"/v1/users/{pair.Founder.UserId}/reviews"), HttpStatusCode.OK);
        Assert.Equal("Missed two calls.", Assert.Single(reviews.GetProperty("items").EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal(1.0, reviews.GetProperty("summary").GetProperty("badRatio").GetDouble());
        // The card's profile carries the summary that the ranking filters read.
        var card = await Expect.Json(await pair.Investor.Client.GetAsync($"/v1/listings/{pair.FounderCard}"), HttpStatusCode.OK);
        var profile = await Expect.Json(await pair.Investor.Client.GetAsync($"/v1/profiles/{card.GetProperty("ownerProfileId").GetString()}"), HttpStatusCode.OK);
        Assert.Equal(1, profile.GetProperty("ratings").GetProperty("bad").GetInt32());
        Assert.Equal(pair.Founder.UserId, profile.GetProperty("userId").GetString());
        // And the reviewed one hears of it.
        var tray = await Expect.Json(await pair.Founder.Client.GetAsync("/v1/notifications?limit=20"), HttpStatusCode.OK);
        Assert.Contains(tray.GetProperty("items").EnumerateArray(), n => n.GetProperty("type").GetString() == "review");
    }

    [Theory]
    [OnEachEngine]
    public async Task OneLikeIsNotADealAReviewNeedsBothToHaveWritten(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        var review = new { rating = "bad", contextId = pair.MatchId };

        var early = await Expect.Problem(await pair.Investor.Client.PostAsJsonAsync($"/v1/users/{pair.Founder.UserId}/reviews", review), HttpStatusCode.Conflict);
        Assert.Contains("both written", early.GetProperty("detail").GetString());
        await SendAsync(pair.Investor, pair.ConversationId, "Hello?");
        await Expect.Problem(await pair.Investor.Client.PostAsJsonAsync($"/v1/users/{pair.Founder.UserId}/reviews", review), HttpStatusCode.Conflict);
        await SendAsync(pair.Founder, pair.ConversationId, "Hi, sorry for the wait.");

        await Expect.Status(await pair.Investor.Client.PostAsJsonAsync($"/v1/users/{pair.Founder.UserId}/reviews", review), HttpStatusCode.Created);
        var summary = (await Expect.Json(await pair.Investor.Client.GetAsync($"/v1/users/{pair.Founder.UserId}/reviews"), HttpStatusCode.OK)).GetProperty("summary");
        Assert.Equal(1, summary.GetProperty("count").GetInt32());
    }

    [Theory]
    [OnEachEngine]
    public async Task NobodyReviewsSomeoneTheyNeverMatched(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        var stranger = await app.SignUpAsync();

        await Expect.Problem(await stranger.Client.PostAsJsonAsync($"/v1/users/{pair.Founder.UserId}/reviews", new { rating = "bad", contextId = pair.MatchId }), HttpStatusCode.NotFound);
        await Expect.Problem(await pair.Investor.Client.PostAsJsonAsync($"/v1/users/{stranger.UserId}/reviews", new { rating = "bad", contextId = pair.MatchId }), HttpStatusCode.NotFound);
        await Expect.Problem(await pair.Investor.Client.PostAsJsonAsync($"/v1/users/{pair.Investor.UserId}/reviews", new { rating = "good", contextId = pair.MatchId }), HttpStatusCode.BadRequest);
        var wrongScale = await Expect.Problem(await pair.Investor.Client.PostAsJsonAsync($"/v1/users/{pair.Founder.UserId}/reviews", new { rating = 5, contextId = pair.MatchId }), HttpStatusCode.BadRequest);
        Assert.Contains("good, neutral or bad", wrongScale.GetProperty("errors").GetProperty("rating")[0].GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task AStarRatedMarketTakesOneToFiveStars(Engine engine)
    {
        var markets = TempFolder.Create("markets");
        var dating = JsonNode(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "dating.json")));
        // In this market the match itself is the deal.
        dating["reviews"] = new System.Text.Json.Nodes.JsonObject { ["scale"] = "stars", ["after"] = "match" };
        File.WriteAllText(Path.Combine(markets, "dating.json"), dating.ToJsonString());
        using var app = new PairwiseApp(engine, new() { ["Pairwise:MarketsDirectory"] = markets });
        var (a, b) = (await app.SignUpAsync(), await app.SignUpAsync());
        var cards = new List<string>();
        foreach (var user in new[] { a, b })
        {
            var profile = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/dating/profiles/person", new { displayName = "Someone", attributes = new { age = 30, gender = "woman", city = "Hong Kong" } }), HttpStatusCode.Created);
            cards.Add(profile.GetProperty("cardId").GetString()!);
        }
        await Expect.Status(await a.Client.PostAsJsonAsync($"/v1/listings/{cards[1]}/swipe", new { action = "like" }), HttpStatusCode.OK);
        var match = await Expect.Json(await b.Client.PostAsJsonAsync($"/v1/listings/{cards[0]}/swipe", new { action = "like" }), HttpStatusCode.OK);
        var matchId = match.GetProperty("matchId").GetString();

        await Expect.Problem(await a.Client.PostAsJsonAsync($"/v1/users/{b.UserId}/reviews", new { rating = 6, contextId = matchId }), HttpStatusCode.BadRequest);
        await Expect.Problem(await a.Client.PostAsJsonAsync($"/v1/users/{b.UserId}/reviews", new { rating = "good", contextId = matchId }), HttpStatusCode.BadRequest);
        var review = await Expect.Json(await a.Client.PostAsJsonAsync($"/v1/users/{b.UserId}/reviews", new { rating = 4, contextId = matchId }), HttpStatusCode.Created);

        Assert.Equal(4, review.GetProperty("stars").GetInt32());
        var summary = (await Expect.Json(await a.Client.GetAsync($"/v1/users/{b.UserId}/reviews"), HttpStatusCode.OK)).GetProperty("summary");
        Assert.Equal(4.0, summary.GetProperty("averageStars").GetDouble());
        Assert.Equal(1, summary.GetProperty("good").GetInt32());
        TempFolder.Delete(markets);
    }

    private static System.Text.Json.Nodes.JsonNode JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!;
}

