using Pairwise.Tests.Scenarios;
using static Pairwise.Tests.Scenarios.Gql;

namespace Pairwise.Tests.Graph;

/// <summary>Every GraphQL field that takes an id, with a stranger's token: no data, an error with a code, nothing changed.</summary>
public sealed class GraphAuthorizationTests
{
    [Theory]
    [OnEachEngine]
    public async Task AStrangerGetsNoDataAndChangesNothing(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var product = (await Marketplace.ProductAsync(seller)).GetProperty("id").GetString()!;
        var draft = (await Marketplace.ProductAsync(seller, title: "Secret draft", status: "draft")).GetProperty("id").GetString()!;
        var buyer = await app.SignUpAsync();
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new { attributes = new { } }), HttpStatusCode.Created);
        var room = (await DataAsync(buyer.Client, "mutation($id: ID!) { createRoom(listingId: $id) { id } }", new { id = product })).GetProperty("createRoom").GetProperty("id").GetString()!;
        var message = (await DataAsync(buyer.Client, "mutation($r: ID!) { sendMessage(roomId: $r, text: \"private\", clientMessageId: \"p1\") { id } }", new { r = room }))
            .GetProperty("sendMessage").GetProperty("id").GetString()!;
        var stranger = await app.SignUpAsync();
        await Expect.Status(await stranger.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { attributes = new { shopName = "Other" } }), HttpStatusCode.Created);

        (string Document, object Variables, string Code)[] forbidden =
        [
            ("query($id: ID!) { listing(id: $id) { id title } }", new { id = draft }, "NOT_FOUND"),
            ("query($id: ID!) { room(id: $id) { id lastMessage { text } } }", new { id = room }, "NOT_FOUND"),
            ("query($id: ID!) { messages(roomId: $id) { nodes { text } } }", new { id = room }, "NOT_FOUND"),
            ("mutation($id: ID!) { sendMessage(roomId: $id, text: \"let me in\", clientMessageId: \"x1\") { id } }", new { id = room }, "NOT_FOUND"),
            ("mutation($id: ID!, $m: ID) { markRead(roomId: $id, upToMessageId: $m) { unreadCount } }", new { id = room, m = message }, "NOT_FOUND"),
            ("mutation($id: ID!) { updateProduct(id: $id, input: { price: 1 }) { id } }", new { id = product }, "NOT_FOUND"),
            ("mutation($id: ID!) { updateProduct(id: $id, input: { title: \"mine\" }) { id } }", new { id = draft }, "NOT_FOUND"),
            ("mutation($id: ID!) { deleteProduct(id: $id) }", new { id = product }, "NOT_FOUND"),
            ("mutation($id: ID!) { createRoom(listingId: $id) { id } }", new { id = draft }, "NOT_FOUND"),
            ("mutation($id: ID!) { swipe(listingId: $id, action: LIKE) { matched } }", new { id = draft }, "NOT_FOUND"),
        ];
        foreach (var (document, variables, code) in forbidden)
        {
            var response = await RunAsync(stranger.Client, document, variables);
            Assert.True(Codes(response).SequenceEqual([code]), $"{document}: {response}");
            Assert.DoesNotContain("private", response.ToString());
            Assert.DoesNotContain("Secret draft", response.ToString());
            var data = response.GetProperty("data");
            Assert.True(data.ValueKind == JsonValueKind.Null || data.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.Null), response.ToString());
        }
        // The stranger's rooms and tray are empty.
        Assert.Empty((await DataAsync(stranger.Client, "{ rooms { nodes { id } } }")).GetProperty("rooms").GetProperty("nodes").EnumerateArray());

        // Subscriptions to someone else's room are refused with the protocol's error message.
        await using var socket = await GraphSocketClient.ConnectAsync(app);
        await socket.InitAsync(Chat.Token(stranger));
        foreach (var field in new[] { "roomMessages(roomId: $id) { id text }", "typing(roomId: $id) { userId }" })
        {
            var id = Guid.NewGuid().ToString("n");
            await socket.SubscribeAsync(id, $"subscription($id: ID!) {{ {field} }}", new { id = room });
            var error = await socket.WaitForAsync(m => GraphSocketClient.Type(m) == "error" && m.GetProperty("id").GetString() == id);
            Assert.Equal("NOT_FOUND", error.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        }
        await Chat.SendAsync(buyer, room, "still private");
        await Task.Delay(300);
        Assert.DoesNotContain(socket.Received, m => m.ToString().Contains("private", StringComparison.Ordinal));

        // Nothing of theirs moved.
        var seen = (await DataAsync(seller.Client, "query($id: ID!) { messages(roomId: $id) { nodes { text } } room(id: $id) { unreadCount } listing(id: \"" + product + "\") { price title } }", new { id = room }));
        Assert.Equal(["still private", "private"], seen.GetProperty("messages").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("text").GetString()));
        Assert.Equal(2, seen.GetProperty("room").GetProperty("unreadCount").GetInt32());
        Assert.Equal(300, seen.GetProperty("listing").GetProperty("price").GetDecimal());
        Assert.Equal("Secret draft", (await DataAsync(seller.Client, "query($id: ID!) { listing(id: $id) { title } }", new { id = draft })).GetProperty("listing").GetProperty("title").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task AnonymousCallersSeeOnlyWhatIsPublicAndABadTokenIsRefused(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var anonymous = app.CreateClient();
        Assert.Equal(3, (await DataAsync(anonymous, "{ markets { id } }")).GetProperty("markets").GetArrayLength());
        foreach (var document in new[] { "{ me { id } }", "{ listings(market: \"marketplace\") { nodes { id } } }", "{ rooms { nodes { id } } }", "{ notifications { unreadCount } }",
            "{ feed(market: \"venture\") { nodes { score } } }", "mutation { sendMessage(roomId: \"cnv_x\", text: \"hi\", clientMessageId: \"a\") { id } }" })
        {
            Assert.Equal(["UNAUTHENTICATED"], Codes(await RunAsync(anonymous, document)));
        }
        var forged = app.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not.a.token");
        var response = await forged.PostAsJsonAsync("/graphql", new { query = "{ markets { id } }" });
        var problem = await Expect.Problem(response, HttpStatusCode.Unauthorized);
        Assert.Equal("UNAUTHENTICATED", problem.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        // A socket without a valid token is closed with 4403; one that subscribes before connection_init with 4401.
        await using var noToken = await GraphSocketClient.ConnectAsync(app);
        await noToken.SendAsync(new { type = "connection_init", payload = new { authorization = "Bearer nope" } });
        Assert.Equal(4403, await noToken.ClosedAsync());
        await using var early = await GraphSocketClient.ConnectAsync(app);
        await early.SubscribeAsync("1", "subscription { matches { id } }");
        Assert.Equal(4401, await early.ClosedAsync());
    }
}
