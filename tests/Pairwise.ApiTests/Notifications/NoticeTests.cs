using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Notifications;

public sealed class NoticeTests
{
    [Theory]
    [OnEachEngine]
    public async Task AnOperatorNoticeReachesItsAudienceAndMarketingOnlyThoseWhoOptedIn(Engine engine)
    {
        using var app = new PairwiseApp(engine, new() { ["Pairwise:Operators:0"] = "ops@example.com" });
        var pair = await MatchAsync(app);
        var operatorUser = await app.SignUpAsync("ops@example.com");
        await Expect.Status(await operatorUser.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = app.LatestEmailCode("ops@example.com") }), HttpStatusCode.OK);

        // An account notice to the venture investors: the investor gets it, the founder does not.
        var account = await Expect.Json(await operatorUser.Client.PostAsJsonAsync("/v1/operator/notices",
            new { audience = new { market = "venture", side = "investor" }, type = "account", title = "New terms", body = "Our terms change on 1 January." }), HttpStatusCode.OK);
        Assert.Equal(1, account.GetProperty("recipients").GetInt32());
        Assert.Contains(await TrayAsync(pair.Investor), n => n.Contains("New terms", StringComparison.Ordinal));
        Assert.DoesNotContain(await TrayAsync(pair.Founder), n => n.Contains("New terms", StringComparison.Ordinal));

        // Marketing to everyone: only the founder, who opted in, sees it.
        await Expect.Status(await pair.Founder.Client.PutAsJsonAsync("/v1/me/notification-preferences",
            new { types = new { marketing = new { inApp = true, email = false, push = false } } }), HttpStatusCode.OK);
        await Expect.Status(await operatorUser.Client.PostAsJsonAsync("/v1/operator/notices",
            new { type = "marketing", title = "Demo day", body = "Meet 40 investors on Friday." }), HttpStatusCode.OK);
        Assert.Contains(await TrayAsync(pair.Founder), n => n.Contains("Demo day", StringComparison.Ordinal));
        Assert.DoesNotContain(await TrayAsync(pair.Investor), n => n.Contains("Demo day", StringComparison.Ordinal));

        // Only operators; a wrong type or audience says so.
        await Expect.Problem(await pair.Founder.Client.PostAsJsonAsync("/v1/operator/notices", new { type = "account", title = "x", body = "y" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await operatorUser.Client.PostAsJsonAsync("/v1/operator/notices", new { type = "spam", title = "x", body = "y" }), HttpStatusCode.BadRequest);
        await Expect.Problem(await operatorUser.Client.PostAsJsonAsync("/v1/operator/notices",
            new { audience = new { market = "nowhere" }, type = "account", title = "x", body = "y" }), HttpStatusCode.NotFound);
    }

    private static async Task<List<string>> TrayAsync(UserSession user) =>
        [.. (await Expect.Json(await user.Client.GetAsync("/v1/notifications?limit=50"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(n => n.GetProperty("body").GetString()!)];
}
