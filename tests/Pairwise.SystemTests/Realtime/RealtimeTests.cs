using Microsoft.AspNetCore.SignalR.Client;
using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Realtime;

/// <summary>The hub at /v1/realtime on the real binary, with the official JavaScript and .NET clients.</summary>
// Starts the real binary (on SQLite): runs once, not again in the DynamoDB pass.
[Trait("Category", "BinaryProcess")]
public sealed class RealtimeTests
{
    private static async Task<ServerProcess> StartAsync() =>
        await ServerProcess.StartAsync(TempFolder.Create("realtime"), new Dictionary<string, string> { ["Pairwise__RateLimits__SendBurst"] = "10000" });

    private static Func<HttpClient> Clients(ServerProcess server) => () => new HttpClient { BaseAddress = server.Address };

    [Fact]
    public async Task JsAndDotNetClientsSeeAHundredMessagesLiveInOrderOnceAndCatchUpAfterADisconnect()
    {
        await using var server = await StartAsync();
        var pair = await MatchAsync(Clients(server));
        var js = await JsHubClient.ConnectAsync(server.Address, Token(pair.Investor));
        await using var dotnet = await DotNetHubClient.ConnectAsync(server.Address, Token(pair.Founder));

        // 50 each way at the same time: the investor from node (fetch), the founder from .NET.
        var fromJs = js.CommandAsync(new { cmd = "send", conversationId = pair.ConversationId, count = 50, prefix = "js" });
        for (var i = 1; i <= 50; i++)
        {
            await SendAsync(pair.Founder, pair.ConversationId, $"net {i}", $"net-{i}");
        }
        Assert.Equal(50, (await fromJs).GetProperty("sent").GetInt32());
        await js.WaitForAsync("message", 100);
        await dotnet.WaitForAsync("message", 100);

        var stored = await AllMessagesAsync(pair.Investor, pair.ConversationId);
        Assert.Equal(100, stored.Count);
        foreach (var client in new EventLog[] { js, dotnet })
        {
            var received = client.Of("message").Select(m => (Id: m.GetProperty("id").GetString()!, Text: m.GetProperty("text").GetString()!)).ToList();
            // Once each, exactly what was stored, and each sender's messages in the order sent.
            Assert.Equal(100, received.Select(r => r.Id).Distinct().Count());
            Assert.Equal(stored.Select(m => m.Id).Order(), received.Select(r => r.Id).Order());
            Assert.Equal(Enumerable.Range(1, 50).Select(i => $"js {i}"), received.Where(r => r.Text.StartsWith("js ", StringComparison.Ordinal)).Select(r => r.Text));
            Assert.Equal(Enumerable.Range(1, 50).Select(i => $"net {i}"), received.Where(r => r.Text.StartsWith("net ", StringComparison.Ordinal)).Select(r => r.Text));
        }

        // The browser goes away; ten more arrive; it comes back and asks for what came after the last one it saw.
        var lastSeen = js.Of("message").Select(m => m.GetProperty("id").GetString()!).Max(StringComparer.Ordinal)!;
        Assert.True((await js.CommandAsync(new { cmd = "stop" })).GetProperty("stopped").GetBoolean());
        await js.DisposeAsync();
        for (var i = 1; i <= 10; i++)
        {
            await SendAsync(pair.Founder, pair.ConversationId, $"missed {i}", $"missed-{i}");
        }
        await using var back = await JsHubClient.ConnectAsync(server.Address, Token(pair.Investor));
        var missed = await MessagesAsync(pair.Investor, pair.ConversationId, $"after={lastSeen}&limit=50");
        Assert.Equal(Enumerable.Range(1, 10).Reverse().Select(i => $"missed {i}"), Texts(missed));
        Assert.Equal(JsonValueKind.Null, missed.GetProperty("nextCursor").ValueKind);

        // Live again from here on.
        await SendAsync(pair.Founder, pair.ConversationId, "welcome back");
        await back.WaitForAsync("message", 1);
        Assert.Equal("welcome back", back.Of("message").Single().GetProperty("text").GetString());
    }

    [Fact]
    public async Task MembersGetTypingAndReadEventsAndAStrangerGetsNothing()
    {
        await using var server = await StartAsync();
        var pair = await MatchAsync(Clients(server));
        var stranger = await SignUpAsync(Clients(server)(), "Sly Stranger");
        await using var investor = await DotNetHubClient.ConnectAsync(server.Address, Token(pair.Investor));
        await using var js = await JsHubClient.ConnectAsync(server.Address, Token(pair.Founder));
        await using var spy = await DotNetHubClient.ConnectAsync(server.Address, Token(stranger));

        var typed = await js.CommandAsync(new { cmd = "typing", conversationId = pair.ConversationId });
        var message = await SendAsync(pair.Founder, pair.ConversationId, "hello");
        await Expect.Status(await pair.Investor.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/read", new { upToMessageId = message.GetProperty("id").GetString() }), HttpStatusCode.OK);
        await investor.Connection.InvokeAsync("Typing", pair.ConversationId);

        Assert.Equal(pair.ConversationId, typed.GetProperty("typed").GetString());
        await investor.WaitForAsync("typing", 1);
        await js.WaitForAsync("typing", 1);
        await js.WaitForAsync("read", 1);
        Assert.Equal(pair.Founder.UserId, investor.Of("typing")[0].GetProperty("userId").GetString());
        var read = js.Of("read")[0];
        Assert.Equal(pair.Investor.UserId, read.GetProperty("userId").GetString());
        Assert.Equal(message.GetProperty("id").GetString(), read.GetProperty("upToMessageId").GetString());

        // The stranger cannot type into it, and heard none of it.
        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => spy.Connection.InvokeAsync("Typing", pair.ConversationId));
        Assert.Contains("no open conversation", refused.Message);
        var failed = await js.CommandAsync(new { cmd = "typing", conversationId = "cnv_00000000000000000000000000000000" });
        Assert.Contains("no open conversation", failed.GetProperty("error").GetString());
        await SendAsync(pair.Investor, pair.ConversationId, "one more for everyone listening");
        await js.WaitForAsync("message", 2);
        Assert.Empty(spy.Events);
    }

    [Fact]
    public async Task HubTypingSpendsTheSameBudgetAsHttpAndAMissingIdIsRefusedWithoutHarm()
    {
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("realtime"),
            new Dictionary<string, string> { ["Pairwise__RateLimits__SendBurst"] = "5", ["Pairwise__RateLimits__SendsPerMinute"] = "1" });
        var pair = await MatchAsync(Clients(server));
        await using var investor = await DotNetHubClient.ConnectAsync(server.Address, Token(pair.Investor));
        await using var founder = await DotNetHubClient.ConnectAsync(server.Address, Token(pair.Founder));

        var missing = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => founder.Connection.InvokeAsync("Typing", (string?)null));
        Assert.Contains("needs the id", missing.Message);

        // Three over HTTP and two over the socket use up the burst of five; the sixth is refused either way.
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await pair.Founder.Client.PostAsync($"/v1/conversations/{pair.ConversationId}/typing", null)).IsSuccessStatusCode);
        }
        await founder.Connection.InvokeAsync("Typing", pair.ConversationId);
        await founder.Connection.InvokeAsync("Typing", pair.ConversationId);
        var tooFast = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => founder.Connection.InvokeAsync("Typing", pair.ConversationId));
        Assert.Contains("too fast", tooFast.Message);
        var refused = await Expect.Problem(await pair.Founder.Client.PostAsync($"/v1/conversations/{pair.ConversationId}/typing", null), HttpStatusCode.TooManyRequests);
        Assert.Contains("too fast", refused.GetProperty("detail").GetString());

        await investor.WaitForAsync("typing", 5);
        await Task.Delay(300);
        Assert.Equal(5, investor.Of("typing").Count);
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, founder.Connection.State);
    }

    [Fact]
    public async Task AMatchAndItsNotificationArriveLive()
    {
        await using var server = await StartAsync();
        var newClient = Clients(server);
        var founder = await SignUpAsync(newClient(), "Mei Founder");
        var startup = await Expect.Json(await founder.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
        {
            displayName = "Lantern Pay",
            attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong" },
        }), HttpStatusCode.Created);
        var investor = await SignUpAsync(newClient(), "Ian Investor");
        var fund = await Expect.Json(await investor.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor", new
        {
            displayName = "Harbour Ventures",
            attributes = new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" } },
        }), HttpStatusCode.Created);
        await using var live = await DotNetHubClient.ConnectAsync(server.Address, Token(founder));

        await Expect.Status(await founder.Client.PostAsJsonAsync($"/v1/listings/{fund.GetProperty("cardId").GetString()}/swipe", new { action = "like" }), HttpStatusCode.OK);
        var match = await Expect.Json(await investor.Client.PostAsJsonAsync($"/v1/listings/{startup.GetProperty("cardId").GetString()}/swipe", new { action = "like" }), HttpStatusCode.OK);

        await live.WaitForAsync("match", 1);
        await live.WaitForAsync("notification", 1);
        Assert.Equal(match.GetProperty("conversationId").GetString(), live.Of("match")[0].GetProperty("conversationId").GetString());
        Assert.Equal("match", live.Of("notification")[0].GetProperty("type").GetString());
    }

    private static async Task<List<(string Id, string Text)>> AllMessagesAsync(UserSession user, string conversationId)
    {
        var all = new List<(string, string)>();
        string? cursor = null;
        do
        {
            var page = await MessagesAsync(user, conversationId, "limit=200" + (cursor is null ? "" : $"&cursor={cursor}"));
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(m => (m.GetProperty("id").GetString()!, m.GetProperty("text").GetString()!)));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return all;
    }
}
