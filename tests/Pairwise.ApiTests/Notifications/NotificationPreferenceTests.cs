using static Pairwise.Tests.Scenarios.Chat;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Notifications;

public sealed class NotificationPreferenceTests
{
    [Theory]
    [OnEachEngine]
    public async Task ATypeTurnedOffInTheAppNeverReachesTheTray(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var (founder, card) = await StartupAsync(app, "Quiet", "fintech", "seed", "Hong Kong");
        var (investor, _) = await InvestorAsync(app);

        var updated = await Expect.Json(await founder.Client.PutAsJsonAsync("/v1/me/notification-preferences",
            new { types = new { interested = new { inApp = false, email = false } } }), HttpStatusCode.OK);
        await SwipeAsync(investor, card);

        Assert.False(updated.GetProperty("types").GetProperty("interested").GetProperty("inApp").GetBoolean());
        Assert.True(updated.GetProperty("types").GetProperty("match").GetProperty("inApp").GetBoolean());
        var tray = await Expect.Json(await founder.Client.GetAsync("/v1/notifications"), HttpStatusCode.OK);
        Assert.Empty(tray.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [OnEachEngine]
    public async Task AMatchIsEmailedToAVerifiedAddressAsTheDefaultsSay(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        async Task<List<string>> MatchMails(string to) => [.. (await app.MailsToAsync(to)).Where(m => m.Contains("You matched"))];

        // Neither address was verified when they matched: nothing was mailed.
        Assert.Empty(await MatchMails(pair.Investor.Email));

        await Expect.Status(await pair.Investor.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = app.LatestEmailCode(pair.Investor.Email) }), HttpStatusCode.OK);
        await Expect.Status(await pair.Founder.Client.DeleteAsync($"/v1/matches/{pair.MatchId}"), HttpStatusCode.NoContent);
        var (founder, card) = await StartupAsync(app, "Second", "fintech", "seed", "Hong Kong");
        await SwipeAsync(founder, pair.InvestorCard);
        await SwipeAsync(pair.Investor, card);

        Assert.Single(await MatchMails(pair.Investor.Email));
        Assert.Empty(await MatchMails(founder.Email));
    }

    [Theory]
    [OnEachEngine]
    public async Task AnUnknownTypeIsRefused(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();
        var problem = await Expect.Problem(await user.Client.PutAsJsonAsync("/v1/me/notification-preferences", new { types = new { gossip = new { inApp = true, email = true } } }), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("types.gossip", out _));
    }

    [Theory]
    [OnEachEngine]
    public async Task AMemberMayNudgeTheOtherWithTextTheServerWrites(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);

        var nudged = await Expect.Json(await pair.Founder.Client.PostAsJsonAsync("/v1/notifications", new { type = "message", conversationId = pair.ConversationId }), HttpStatusCode.Accepted);
        await Expect.Problem(await pair.Founder.Client.PostAsJsonAsync("/v1/notifications", new { type = "marketing", conversationId = pair.ConversationId }), HttpStatusCode.BadRequest);

        Assert.Equal(1, nudged.GetProperty("notified").GetInt32());
        var tray = await Expect.Json(await pair.Investor.Client.GetAsync("/v1/notifications"), HttpStatusCode.OK);
        Assert.Equal("Lantern Pay is waiting for your reply.", tray.GetProperty("items")[0].GetProperty("body").GetString());
    }
}
