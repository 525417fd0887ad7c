using Pairwise.Tests.Scenarios;

namespace Pairwise.Tests.Graph;

/// <summary>The graphql-transport-ws protocol: its handshake, its errors and closes, and the events each subscription gets.</summary>
public sealed class GraphSubscriptionTests
{
    [Theory]
    [OnEachEngine]
    public async Task EachSubscriptionGetsItsOwnEventsOnce(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await Chat.MatchAsync(app);
        await using var socket = await GraphSocketClient.ConnectAsync(app);
        await socket.InitAsync(Chat.Token(pair.Founder));
        await socket.SendAsync(new { type = "ping" });
        await socket.WaitForAsync(m => GraphSocketClient.Type(m) == "pong");

        await socket.SubscribeAsync("typing", "subscription($r: ID!) { typing(roomId: $r) { roomId userId } }", new { r = pair.ConversationId });
        await socket.SubscribeAsync("tray", "subscription { notifications { type data } }");
        await socket.SubscribeAsync("matches", "subscription { matches { id kind roomId } }");
        // A query over the socket: one next, then complete (and, as the socket's messages are handled in order, the subscriptions above now listen).
        await socket.SubscribeAsync("q", "{ me { id } }");
        await socket.WaitForAsync(m => GraphSocketClient.Type(m) == "complete" && m.GetProperty("id").GetString() == "q");
        Assert.Equal(pair.Founder.UserId, Assert.Single(socket.Next("q")).GetProperty("data").GetProperty("me").GetProperty("id").GetString());

        await Expect.Status(await pair.Investor.Client.PostAsync($"/v1/conversations/{pair.ConversationId}/typing", null), HttpStatusCode.NoContent);
        await Chat.SendAsync(pair.Investor, pair.ConversationId, "hello");
        await socket.WaitForNextAsync("typing", 1);
        await socket.WaitForNextAsync("tray", 1);
        var typing = Assert.Single(socket.Next("typing")).GetProperty("data").GetProperty("typing");
        Assert.Equal(pair.Investor.UserId, typing.GetProperty("userId").GetString());
        Assert.Equal("message", socket.Next("tray")[0].GetProperty("data").GetProperty("notifications").GetProperty("type").GetString());

        // A new match for the founder arrives on matches; completing a subscription stops its events.
        await socket.SendAsync(new { id = "typing", type = "complete" });
        var other = await Chat.MatchAsync(app.CreateClient, pair.Founder);
        await socket.WaitForNextAsync("matches", 1);
        Assert.Equal(other.ConversationId, socket.Next("matches")[0].GetProperty("data").GetProperty("matches").GetProperty("roomId").GetString());
        await Expect.Status(await pair.Investor.Client.PostAsync($"/v1/conversations/{pair.ConversationId}/typing", null), HttpStatusCode.NoContent);
        await Task.Delay(300);
        Assert.Single(socket.Next("typing"));
        Assert.Single(socket.Next("matches"));
    }

    [Theory]
    [OnEachEngine]
    public async Task ProtocolViolationsCloseTheSocketWithTheProtocolsCodes(Engine engine)
    {
        using var app = new PairwiseApp(engine, new()
        {
            ["Pairwise:GraphQL:ConnectionInitTimeout"] = "00:00:01",
            ["Pairwise:GraphQL:MaxSubscriptionsPerConnection"] = "2",
        });
        var user = await app.SignUpAsync();
        var token = Chat.Token(user);

        await using (var silent = await GraphSocketClient.ConnectAsync(app))
        {
            Assert.Equal(4408, await silent.ClosedAsync());
        }
        await using (var twice = await GraphSocketClient.ConnectAsync(app))
        {
            await twice.InitAsync(token);
            await twice.SendAsync(new { type = "connection_init", payload = new { accessToken = token } });
            Assert.Equal(4429, await twice.ClosedAsync());
        }
        await using (var duplicate = await GraphSocketClient.ConnectAsync(app))
        {
            await duplicate.InitAsync(token);
            await duplicate.SubscribeAsync("same", "subscription { matches { id } }");
            await duplicate.SubscribeAsync("same", "subscription { notifications { id } }");
            Assert.Equal(4409, await duplicate.ClosedAsync());
        }
        await using (var garbage = await GraphSocketClient.ConnectAsync(app))
        {
            await garbage.InitAsync(token);
            await garbage.SendRawAsync("{ not json");
            Assert.Equal(4400, await garbage.ClosedAsync());
        }
        await using (var greedy = await GraphSocketClient.ConnectAsync(app))
        {
            await greedy.InitAsync(token);
            await greedy.SubscribeAsync("1", "subscription { matches { id } }");
            await greedy.SubscribeAsync("2", "subscription { notifications { id } }");
            await greedy.SubscribeAsync("3", "subscription { matches { id } }");
            var refused = await greedy.WaitForAsync(m => GraphSocketClient.Type(m) == "error" && m.GetProperty("id").GetString() == "3");
            Assert.Equal("RATE_LIMITED", refused.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
            // A document that does not validate is an error message for that id; the socket stays open.
            await greedy.SendAsync(new { id = "1", type = "complete" });
            await greedy.SubscribeAsync("4", "subscription { nothing }");
            var invalid = await greedy.WaitForAsync(m => GraphSocketClient.Type(m) == "error" && m.GetProperty("id").GetString() == "4");
            Assert.Equal("GRAPHQL_VALIDATION_FAILED", invalid.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
            await greedy.SendAsync(new { type = "ping" });
            await greedy.WaitForAsync(m => GraphSocketClient.Type(m) == "pong");
        }
    }

    [Theory]
    [OnEachEngine]
    public async Task LoggingOutClosesTheSocketsOfThatSession(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();
        await using var socket = await GraphSocketClient.ConnectAsync(app);
        await socket.InitAsync(Chat.Token(user));
        await socket.SubscribeAsync("tray", "subscription { notifications { id } }");
        await Expect.Status(await user.Client.PostAsync("/v1/auth/logout", null), HttpStatusCode.NoContent);
        Assert.Equal(4403, await socket.ClosedAsync(TimeSpan.FromSeconds(10)));
        await Expect.Problem(await user.Client.PostAsJsonAsync("/graphql", new { query = "{ me { id } }" }), HttpStatusCode.Unauthorized);
    }
}
