using static Pairwise.Tests.Scenarios.Chat;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Safety;

public sealed class SafetyTests
{
    [Theory]
    [OnEachEngine]
    public async Task ABlockHidesBothFromEachOtherClosesTheConversationAndStopsMessages(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        var (_, otherStartup) = await StartupAsync(app, "Other", "fintech", "seed", "Hong Kong");
        var (otherInvestor, otherInvestorCard) = await InvestorAsync(app, "Other Fund");
        await SettleAsync(app);
        var (blockedFounder, blockedCard) = await StartupAsync(app, "Blocked", "fintech", "seed", "Hong Kong");
        await SettleAsync(app);
        Assert.Contains(blockedCard, Ids(await FeedAsync(otherInvestor)));

        var blocked = await Expect.Json(await pair.Investor.Client.PostAsync($"/v1/users/{pair.Founder.UserId}/block", null), HttpStatusCode.OK);
        await Expect.Status(await otherInvestor.Client.PostAsync($"/v1/users/{blockedFounder.UserId}/block", null), HttpStatusCode.OK);

        Assert.Equal(pair.Founder.UserId, blocked.GetProperty("userId").GetString());
        // Gone from the blocker's feed, and the blocker from the blocked one's.
        Assert.DoesNotContain(blockedCard, Ids(await FeedAsync(otherInvestor)));
        Assert.Contains(otherStartup, Ids(await FeedAsync(otherInvestor)));
        Assert.DoesNotContain(otherInvestorCard, Ids(await FeedAsync(blockedFounder)));
        // Nobody can write any more, either way; a swipe finds no card.
        await Expect.Problem(await pair.Founder.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/messages", new { text = "hello?", clientMessageId = "a" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await pair.Investor.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/messages", new { text = "bye", clientMessageId = "b" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await blockedFounder.Client.PostAsJsonAsync($"/v1/listings/{otherInvestorCard}/swipe", new { action = "like" }), HttpStatusCode.NotFound);
        Assert.True((await ConversationAsync(pair.Founder, pair.ConversationId)).GetProperty("closed").GetBoolean());

        var list = await Expect.Json(await otherInvestor.Client.GetAsync("/v1/me/blocks"), HttpStatusCode.OK);
        Assert.Equal([blockedFounder.UserId], list.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("userId").GetString()));
        await Expect.Status(await otherInvestor.Client.DeleteAsync($"/v1/users/{blockedFounder.UserId}/block"), HttpStatusCode.NoContent);
        Assert.Contains(blockedCard, Ids(await FeedAsync(otherInvestor)));
        Assert.Contains(otherInvestorCard, Ids(await FeedAsync(blockedFounder)));
        await Expect.Problem(await otherInvestor.Client.DeleteAsync($"/v1/users/{blockedFounder.UserId}/block"), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEachEngine]
    public async Task BlockingNobodyOrOneselfIsRefused(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();
        await Expect.Problem(await user.Client.PostAsync($"/v1/users/{user.UserId}/block", null), HttpStatusCode.BadRequest);
        await Expect.Problem(await user.Client.PostAsync("/v1/users/usr_00000000000000000000000000000000/block", null), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEachEngine]
    public async Task AReportedMessageReachesTheOperatorsWithItsText(Engine engine)
    {
        var operatorEmail = $"ops-{Guid.NewGuid():N}@example.com";
        using var app = new PairwiseApp(engine, new() { ["Pairwise:Operators:0"] = operatorEmail });
        var pair = await MatchAsync(app);
        var rude = await SendAsync(pair.Founder, pair.ConversationId, "Rude words");
        var ops = await app.SignUpAsync(operatorEmail);
        await Expect.Status(await ops.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = app.LatestEmailCode(operatorEmail) }), HttpStatusCode.OK);

        var report = await Expect.Json(await pair.Investor.Client.PostAsJsonAsync("/v1/reports",
            new { messageId = rude.GetProperty("id").GetString(), reason = "harassment", details = "Out of nowhere." }), HttpStatusCode.Created);
        await Expect.Status(await pair.Investor.Client.PostAsJsonAsync("/v1/reports", new { targetUserId = pair.Founder.UserId, reason = "fake" }), HttpStatusCode.Created);

        Assert.Equal(pair.Founder.UserId, report.GetProperty("targetUserId").GetString());
        var queue = await Expect.Json(await ops.Client.GetAsync("/v1/operator/reports"), HttpStatusCode.OK);
        var items = queue.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["fake", "harassment"], items.Select(i => i.GetProperty("reason").GetString()));
        Assert.Equal("Rude words", items[1].GetProperty("messageText").GetString());
        await Expect.Problem(await pair.Investor.Client.GetAsync("/v1/operator/reports"), HttpStatusCode.Forbidden);
    }

    [Theory]
    [OnEachEngine("""{"reason":"spam"}""", "targetUserId")]
    [OnEachEngine("""{"targetUserId":"usr_00000000000000000000000000000000","messageId":"msg_00000000000000000000000000000000","reason":"spam"}""", "targetUserId")]
    [OnEachEngine("""{"targetUserId":"usr_00000000000000000000000000000000","reason":"boredom"}""", "reason")]
    public async Task ABadReportIsRefusedNamingTheField(Engine engine, string body, string field)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();
        var problem = await Expect.Problem(await user.Client.PostAsync("/v1/reports", new StringContent(body, System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
