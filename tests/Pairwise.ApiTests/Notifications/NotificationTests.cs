using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Notifications;

public sealed class NotificationTests
{
    private static async Task<JsonElement> TrayAsync(UserSession user, string query = "") =>
        await Expect.Json(await user.Client.GetAsync($"/v1/notifications{query}"), HttpStatusCode.OK);

    private static List<string> Types(JsonElement tray) => [.. tray.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("type").GetString()!)];

    [Theory]
    [OnEachEngine]
    public async Task ALikeTellsTheOwnerTheyAreWantedAndAMatchTellsBoth(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var (founder, startupCard) = await StartupAsync(app, "PayLah", "fintech", "seed", "Hong Kong");
        var (investor, investorCard) = await InvestorAsync(app);

        await SwipeAsync(investor, startupCard);
        var interested = await TrayAsync(founder);
        Assert.Equal(["interested"], Types(interested));
        Assert.Contains("Harbour Ventures is interested", interested.GetProperty("items")[0].GetProperty("body").GetString());
        Assert.Equal(1, interested.GetProperty("unreadCount").GetInt32());

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var match = await SwipeAsync(founder, investorCard);

        Assert.Equal(["match", "interested"], Types(await TrayAsync(founder)));
        var investorTray = await TrayAsync(investor);
        Assert.Equal(["match"], Types(investorTray));
        Assert.Equal(match.GetProperty("matchId").GetString(), investorTray.GetProperty("items")[0].GetProperty("data").GetProperty("matchId").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task ASuperLikeSaysSoAndReadingAChatReadsItsMessageNotification(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var (founder, startupCard) = await StartupAsync(app, "PayLah", "fintech", "seed", "Hong Kong");
        var (investor, investorCard) = await InvestorAsync(app);

        await SwipeAsync(investor, startupCard, "superlike");
        var interested = (await TrayAsync(founder)).GetProperty("items")[0];
        Assert.Equal("Harbour Ventures super-liked you.", interested.GetProperty("body").GetString());
        Assert.Equal("superlike", interested.GetProperty("data").GetProperty("action").GetString());

        // A match, and a message: the investor's tray has "new message", unread, until the chat is read to the end.
        var conversation = (await SwipeAsync(founder, investorCard)).GetProperty("conversationId").GetString()!;
        var first = await Scenarios.Chat.SendAsync(founder, conversation, "Hello!");
        var second = await Scenarios.Chat.SendAsync(founder, conversation, "Are you free on Friday?");
        JsonElement MessageNotice(JsonElement tray) => tray.GetProperty("items").EnumerateArray().Single(n => n.GetProperty("type").GetString() == "message");
        var before = await TrayAsync(investor);
        Assert.Equal("unread", MessageNotice(before).GetProperty("state").GetString());

        await Expect.Status(await investor.Client.PostAsJsonAsync($"/v1/conversations/{conversation}/read", new { upToMessageId = first.GetProperty("id").GetString() }), HttpStatusCode.OK);
        Assert.Equal("unread", MessageNotice(await TrayAsync(investor)).GetProperty("state").GetString());
        await Expect.Status(await investor.Client.PostAsJsonAsync($"/v1/conversations/{conversation}/read", new { upToMessageId = second.GetProperty("id").GetString() }), HttpStatusCode.OK);
        var after = await TrayAsync(investor);
        Assert.Equal("read", MessageNotice(after).GetProperty("state").GetString());
        Assert.Equal(before.GetProperty("unreadCount").GetInt32() - 1, after.GetProperty("unreadCount").GetInt32());
    }

    [Theory]
    [OnEachEngine]
    public async Task ReadLowersTheCountActionedLeavesTheTrayAndThirtyDaysEndThem(Engine engine)
    {
        using var app = new PairwiseApp(engine, new() { ["Pairwise:Tokens:AccessTokenLifetime"] = "40.00:00:00", ["Pairwise:Tokens:RefreshTokenLifetime"] = "40.00:00:00" });
        var (founder, _) = await StartupAsync(app, "PayLah", "fintech", "seed", "Hong Kong");
        var founderCard = (await Expect.Json(await founder.Client.GetAsync("/v1/markets/venture/profiles/startup/me"), HttpStatusCode.OK)).GetProperty("cardId").GetString()!;
        for (var i = 0; i < 3; i++)
        {
            var (investor, _) = await InvestorAsync(app, $"Fund {i}");
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await SwipeAsync(investor, founderCard);
        }
        var tray = await TrayAsync(founder);
        var ids = tray.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetString()).ToList();
        Assert.Equal(3, tray.GetProperty("unreadCount").GetInt32());

        await Expect.Status(await founder.Client.PostAsync($"/v1/notifications/{ids[0]}/read", null), HttpStatusCode.OK);
        await Expect.Status(await founder.Client.PostAsync($"/v1/notifications/{ids[1]}/actioned", null), HttpStatusCode.OK);
        var after = await TrayAsync(founder);
        Assert.Equal(1, after.GetProperty("unreadCount").GetInt32());
        Assert.Equal([ids[0], ids[2]], after.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal("read", after.GetProperty("items")[0].GetProperty("state").GetString());

        await Expect.Status(await founder.Client.PostAsync("/v1/notifications/read-all", null), HttpStatusCode.NoContent);
        Assert.Equal(0, (await TrayAsync(founder)).GetProperty("unreadCount").GetInt32());

        app.Clock.Advance(TimeSpan.FromDays(30));
        Assert.Empty((await TrayAsync(founder)).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [OnEachEngine]
    public async Task TheTrayPagesTheLatestTenAndNobodyTouchesAnothersNotifications(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var (founder, founderCard) = await StartupAsync(app, "PayLah", "fintech", "seed", "Hong Kong");
        for (var i = 0; i < 12; i++)
        {
            var (investor, _) = await InvestorAsync(app, $"Fund {i}");
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await SwipeAsync(investor, founderCard);
        }
        var stranger = await app.SignUpAsync();

        var first = await TrayAsync(founder);
        var second = await TrayAsync(founder, $"?cursor={first.GetProperty("nextCursor").GetString()}");

        Assert.Equal(10, first.GetProperty("items").GetArrayLength());
        Assert.Equal(2, second.GetProperty("items").GetArrayLength());
        Assert.Contains("Fund 11", first.GetProperty("items")[0].GetProperty("body").GetString());
        var id = first.GetProperty("items")[0].GetProperty("id").GetString();
        await Expect.Problem(await stranger.Client.PostAsync($"/v1/notifications/{id}/read", null), HttpStatusCode.NotFound);
        Assert.Empty((await TrayAsync(stranger)).GetProperty("items").EnumerateArray());
        Assert.Equal(12, (await TrayAsync(founder)).GetProperty("unreadCount").GetInt32());
    }

    [Theory]
    [OnEachEngine]
    public async Task AnOfferTellsTheSeller(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Pairwise.Tests.Scenarios.Marketplace.SellerAsync(app);
        var product = (await Pairwise.Tests.Scenarios.Marketplace.ProductAsync(seller)).GetProperty("id").GetString()!;
        var buyer = await app.SignUpAsync();
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new { displayName = "Bea", preferences = new { radiusKm = 5 } }), HttpStatusCode.Created);

        await SwipeAsync(buyer, product);

        var tray = await TrayAsync(seller);
        Assert.Equal(["interested"], Types(tray));
        Assert.Contains("Bea wants Road bike", tray.GetProperty("items")[0].GetProperty("body").GetString());
    }
}
