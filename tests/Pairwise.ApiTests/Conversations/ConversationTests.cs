using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Conversations;

public sealed class ConversationTests
{
    [Theory]
    [OnEachEngine]
    public async Task AMatchOpensAConversationWhereBothTalkAndMessagesListNewestFirstByCursor(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        for (var i = 1; i <= 7; i++)
        {
            await SendAsync(i % 2 == 0 ? pair.Founder : pair.Investor, pair.ConversationId, $"message {i}");
        }

        var first = await MessagesAsync(pair.Founder, pair.ConversationId, "limit=3");
        Assert.Equal(["message 7", "message 6", "message 5"], Texts(first));
        var second = await MessagesAsync(pair.Founder, pair.ConversationId, $"limit=3&cursor={first.GetProperty("nextCursor").GetString()}");
        Assert.Equal(["message 4", "message 3", "message 2"], Texts(second));
        var third = await MessagesAsync(pair.Founder, pair.ConversationId, $"limit=3&cursor={second.GetProperty("nextCursor").GetString()}");
        Assert.Equal(["message 1"], Texts(third));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("nextCursor").ValueKind);
        var message = first.GetProperty("items")[0];
        Assert.Equal(pair.Investor.UserId, message.GetProperty("senderId").GetString());
        Assert.Equal(pair.ConversationId, message.GetProperty("conversationId").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task RetryingASendWithTheSameIdempotencyKeyStoresOneMessage(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        var body = new { text = "Are you free on Monday?", clientMessageId = "retry-1" };

        var first = await pair.Founder.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/messages", body);
        var again = await pair.Founder.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/messages", body);
        var concurrently = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => pair.Founder.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/messages", body)));

        var stored = await Expect.Json(first, HttpStatusCode.Created);
        Assert.Equal(stored.GetProperty("id").GetString(), (await Expect.Json(again, HttpStatusCode.Created)).GetProperty("id").GetString());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        foreach (var response in concurrently)
        {
            Assert.Equal(stored.GetProperty("id").GetString(), (await Expect.Json(response, HttpStatusCode.Created)).GetProperty("id").GetString());
        }
        Assert.Equal(["Are you free on Monday?"], Texts(await MessagesAsync(pair.Investor, pair.ConversationId)));
        // The key is the sender's own: the other member may use the same one.
        await SendAsync(pair.Investor, pair.ConversationId, "Yes", "retry-1");
        Assert.Equal(2, Texts(await MessagesAsync(pair.Investor, pair.ConversationId)).Count);
    }

    [Theory]
    [OnEachEngine]
    public async Task UnreadCountsAndReadMarkersWorkAsInStream(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        var sent = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            sent.Add((await SendAsync(pair.Founder, pair.ConversationId, $"pitch {i}")).GetProperty("id").GetString()!);
        }

        var investorView = await ConversationAsync(pair.Investor, pair.ConversationId);
        Assert.Equal(3, investorView.GetProperty("unreadCount").GetInt32());
        Assert.Equal(0, (await ConversationAsync(pair.Founder, pair.ConversationId)).GetProperty("unreadCount").GetInt32());
        Assert.Equal("pitch 3", investorView.GetProperty("lastMessage").GetProperty("text").GetString());

        var marker = await Expect.Json(await pair.Investor.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/read", new { upToMessageId = sent[1] }), HttpStatusCode.OK);
        Assert.Equal(1, marker.GetProperty("unreadCount").GetInt32());
        Assert.Equal(sent[1], marker.GetProperty("upToMessageId").GetString());

        // A marker never moves back.
        var back = await Expect.Json(await pair.Investor.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/read", new { upToMessageId = sent[0] }), HttpStatusCode.OK);
        Assert.Equal(sent[1], back.GetProperty("upToMessageId").GetString());

        // The founder sees how far the investor read.
        var founderView = await ConversationAsync(pair.Founder, pair.ConversationId);
        var investorMember = founderView.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("userId").GetString() == pair.Investor.UserId);
        Assert.Equal(sent[1], investorMember.GetProperty("readUpTo").GetString());

        // Replying marks everything read for the sender, and counts one unread for the other.
        await SendAsync(pair.Investor, pair.ConversationId, "Tell me more");
        Assert.Equal(0, (await ConversationAsync(pair.Investor, pair.ConversationId)).GetProperty("unreadCount").GetInt32());
        Assert.Equal(1, (await ConversationAsync(pair.Founder, pair.ConversationId)).GetProperty("unreadCount").GetInt32());

        // With no message named, read means read up to the latest.
        var all = await Expect.Json(await pair.Founder.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/read", new { }), HttpStatusCode.OK);
        Assert.Equal(0, all.GetProperty("unreadCount").GetInt32());

        var bad = await Expect.Problem(await pair.Founder.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/read", new { upToMessageId = "msg_nope" }), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("upToMessageId", out _));
    }

    [Theory]
    [OnEachEngine]
    public async Task MyConversationsComeByLastActivityWithPreviewAndUnreadCount(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var first = await MatchAsync(app);
        var second = await MatchAsync(app);
        // One investor in two conversations: sign the second founder up against the first investor's card.
        var founder = second.Founder;
        await Expect.Status(await founder.Client.PostAsJsonAsync($"/v1/listings/{first.InvestorCard}/swipe", new { action = "like" }), HttpStatusCode.OK);
        var liked = await Expect.Json(await first.Investor.Client.PostAsJsonAsync($"/v1/listings/{second.FounderCard}/swipe", new { action = "like" }), HttpStatusCode.OK);
        var otherConversation = liked.GetProperty("conversationId").GetString()!;

        await SendAsync(first.Founder, first.ConversationId, "older");
        await SendAsync(founder, otherConversation, new string('x', 300));

        var list = await Expect.Json(await first.Investor.Client.GetAsync("/v1/conversations"), HttpStatusCode.OK);
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([otherConversation, first.ConversationId], items.Select(i => i.GetProperty("id").GetString()));
        Assert.All(items, i => Assert.Equal(1, i.GetProperty("unreadCount").GetInt32()));
        Assert.Equal(140, items[0].GetProperty("lastMessage").GetProperty("text").GetString()!.Length);
        Assert.Equal("investor", items[0].GetProperty("role").GetString());

        await SendAsync(first.Founder, first.ConversationId, "newer");
        var reordered = await Expect.Json(await first.Investor.Client.GetAsync("/v1/conversations?limit=1"), HttpStatusCode.OK);
        Assert.Equal(first.ConversationId, reordered.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(2, reordered.GetProperty("items")[0].GetProperty("unreadCount").GetInt32());
        var rest = await Expect.Json(await first.Investor.Client.GetAsync($"/v1/conversations?limit=1&cursor={reordered.GetProperty("nextCursor").GetString()}"), HttpStatusCode.OK);
        Assert.Equal(otherConversation, rest.GetProperty("items")[0].GetProperty("id").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task BuyersAndSellersFilterTheirConversationsByRole(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Scenarios.Marketplace.SellerAsync(app);
        var product = (await Scenarios.Marketplace.ProductAsync(seller)).GetProperty("id").GetString()!;
        var buyer = await app.SignUpAsync();
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new { displayName = "Bea", preferences = new { radiusKm = 5 } }), HttpStatusCode.Created);
        // The buyer also sells: their own product draws an offer from the first seller's buyer profile.
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { attributes = new { shopName = "Bea's attic" } }), HttpStatusCode.Created);
        var own = (await Scenarios.Marketplace.ProductAsync(buyer, title: "Lamp")).GetProperty("id").GetString()!;
        await Expect.Status(await seller.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new { displayName = "Sam", preferences = new { radiusKm = 5 } }), HttpStatusCode.Created);

        var offer = await Expect.Json(await buyer.Client.PostAsJsonAsync($"/v1/listings/{product}/swipe", new { action = "like" }), HttpStatusCode.OK);
        var other = await Expect.Json(await seller.Client.PostAsJsonAsync($"/v1/listings/{own}/swipe", new { action = "like" }), HttpStatusCode.OK);

        async Task<List<string?>> Ids(string query) =>
            [.. (await Expect.Json(await buyer.Client.GetAsync($"/v1/conversations{query}"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString())];
        Assert.Equal([offer.GetProperty("conversationId").GetString()], await Ids("?role=buyer"));
        Assert.Equal([other.GetProperty("conversationId").GetString()], await Ids("?role=seller"));
        Assert.Equal(2, (await Ids("")).Count);
        await Expect.Problem(await buyer.Client.GetAsync("/v1/conversations?role=pirate"), HttpStatusCode.BadRequest);
    }

    [Theory]
    [OnEachEngine]
    public async Task AfterAndAroundReturnExactlyTheMessagesAsked(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        var ids = new List<string>();
        for (var i = 1; i <= 20; i++)
        {
            ids.Add((await SendAsync(pair.Founder, pair.ConversationId, $"m{i}")).GetProperty("id").GetString()!);
        }

        // Catching up after m12: exactly m13..m20, newest first, paged without gaps.
        var page = await MessagesAsync(pair.Investor, pair.ConversationId, $"after={ids[11]}&limit=5");
        var caught = Texts(page);
        page = await MessagesAsync(pair.Investor, pair.ConversationId, $"limit=5&cursor={page.GetProperty("nextCursor").GetString()}");
        caught.AddRange(Texts(page));
        Assert.Equal(Enumerable.Range(13, 8).Reverse().Select(i => $"m{i}"), caught);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);

        var around = await MessagesAsync(pair.Investor, pair.ConversationId, $"around={ids[9]}&limit=5");
        Assert.Equal(["m12", "m11", "m10", "m9", "m8"], Texts(around));
        Assert.Equal(["m7", "m6"], Texts(await MessagesAsync(pair.Investor, pair.ConversationId, $"limit=2&cursor={around.GetProperty("nextCursor").GetString()}")));

        await Expect.Problem(await pair.Investor.Client.GetAsync($"/v1/conversations/{pair.ConversationId}/messages?cursor=bogus"), HttpStatusCode.BadRequest);
        await Expect.Problem(await pair.Investor.Client.GetAsync($"/v1/conversations/{pair.ConversationId}/messages?after=nope"), HttpStatusCode.BadRequest);
        await Expect.Problem(await pair.Investor.Client.GetAsync($"/v1/conversations/{pair.ConversationId}/messages?limit=0"), HttpStatusCode.BadRequest);
    }

    [Theory]
    [OnEachEngine("""{"text":"","clientMessageId":"a"}""", "text")]
    [OnEachEngine("""{"text":"   ","clientMessageId":"a"}""", "text")]
    [OnEachEngine("""{"text":"hi"}""", "clientMessageId")]
    [OnEachEngine("""{"text":"hi","clientMessageId":"has spaces"}""", "clientMessageId")]
    [OnEachEngine("""{"text":"hi","clientMessageId":"0123456789012345678901234567890123456789012345678901234567890123456789"}""", "clientMessageId")]
    public async Task ABadMessageIsRefusedNamingTheField(Engine engine, string body, string field)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        var response = await pair.Founder.Client.PostAsync($"/v1/conversations/{pair.ConversationId}/messages", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await Expect.Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [OnEachEngine]
    public async Task AMessageLongerThanTheMarketAllowsIsRefused(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        var response = await pair.Founder.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/messages", new { text = new string('a', 4001), clientMessageId = "long" });
        var problem = await Expect.Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains("4000", problem.GetProperty("errors").GetProperty("text")[0].GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task MessagesAreKeptForTheMarketsRetentionAndNoLonger(Engine engine)
    {
        using var app = new PairwiseApp(engine, new() { ["Pairwise:Tokens:AccessTokenLifetime"] = "400.00:00:00", ["Pairwise:Tokens:RefreshTokenLifetime"] = "400.00:00:00" });
        var pair = await MatchAsync(app);
        await SendAsync(pair.Founder, pair.ConversationId, "a year ago");
        app.Clock.Advance(TimeSpan.FromDays(200));
        await SendAsync(pair.Founder, pair.ConversationId, "recent");

        app.Clock.Advance(TimeSpan.FromDays(170));

        Assert.Equal(["recent"], Texts(await MessagesAsync(pair.Investor, pair.ConversationId)));
    }

    [Theory]
    [OnEachEngine]
    public async Task AConversationTurningUnreadNotifiesOnceNotPerMessage(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        async Task<int> MessageNotifications() =>
            (await Expect.Json(await pair.Investor.Client.GetAsync("/v1/notifications?limit=50"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
                .Count(n => n.GetProperty("type").GetString() == "message");

        await SendAsync(pair.Founder, pair.ConversationId, "one");
        await SendAsync(pair.Founder, pair.ConversationId, "two");
        Assert.Equal(1, await MessageNotifications());

        await Expect.Status(await pair.Investor.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/read", new { }), HttpStatusCode.OK);
        await SendAsync(pair.Founder, pair.ConversationId, "three");
        Assert.Equal(2, await MessageNotifications());
    }

    [Theory]
    [OnEachEngine]
    public async Task SendingTooFastIsLimitedPerUser(Engine engine)
    {
        using var app = new PairwiseApp(engine, new() { ["Pairwise:RateLimits:SendBurst"] = "5", ["Pairwise:RateLimits:SendsPerMinute"] = "1" });
        var pair = await MatchAsync(app);
        for (var i = 0; i < 5; i++)
        {
            await SendAsync(pair.Founder, pair.ConversationId, $"burst {i}");
        }

        var refused = await pair.Founder.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/messages", new { text = "one too many", clientMessageId = "x" });

        var problem = await Expect.Problem(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("sending too fast", problem.GetProperty("detail").GetString());
        Assert.True(refused.Headers.RetryAfter is not null);
        // The limit is the sender's, not the conversation's.
        await SendAsync(pair.Investor, pair.ConversationId, "I can still talk");
    }

    [Theory]
    [OnEachEngine]
    public async Task UnmatchingClosesTheConversationButKeepsItsHistory(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        await SendAsync(pair.Founder, pair.ConversationId, "before");

        await Expect.Status(await pair.Investor.Client.DeleteAsync($"/v1/matches/{pair.MatchId}"), HttpStatusCode.NoContent);

        var refused = await pair.Founder.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/messages", new { text = "after", clientMessageId = "after" });
        await Expect.Problem(refused, HttpStatusCode.Forbidden);
        Assert.True((await ConversationAsync(pair.Founder, pair.ConversationId)).GetProperty("closed").GetBoolean());
        Assert.Equal(["before"], Texts(await MessagesAsync(pair.Founder, pair.ConversationId)));
    }
}
