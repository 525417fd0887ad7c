using Pairwise.Tests.Scenarios;
using static Pairwise.Tests.Scenarios.Gql;

namespace Pairwise.Tests.Graph;

/// <summary>Seed 002's client flow over GraphQL only: sign up, list a product, find it, open a room, chat live, list rooms by role.</summary>
public sealed class GraphFlowTests
{
    private const string SignUp = "mutation($email: String!, $name: String!) { signup(email: $email, password: \"a sturdy passphrase\", displayName: $name) { userId accessToken refreshToken expiresIn } }";

    [Theory]
    [OnEachEngine]
    public async Task TheSeedsFlowRunsOverGraphQLAlone(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var anonymous = app.CreateClient();
        var sellerAuth = (await DataAsync(anonymous, SignUp, new { email = "seller@example.com", name = "Sam" })).GetProperty("signup");
        var buyerAuth = (await DataAsync(anonymous, SignUp, new { email = "buyer@example.com", name = "Bea" })).GetProperty("signup");
        var seller = Authorized(app, sellerAuth);
        var buyer = Authorized(app, buyerAuth);

        await DataAsync(seller, "mutation { updateProfile(market: \"marketplace\", side: \"seller\", input: { displayName: \"Bike Corner\", attributes: { shopName: \"Bike Corner\" } }) { id } }");
        await DataAsync(buyer, "mutation { updateProfile(market: \"marketplace\", side: \"buyer\", input: { attributes: {} }) { id } }");
        const string create = """
            mutation($title: String!, $tags: [String!], $lat: Float!, $lon: Float!) {
              createProduct(market: "marketplace", input: { title: $title, description: "Steel frame, new tyres.", price: 300, tags: $tags,
                location: { lat: $lat, lon: $lon }, attributes: { condition: "used", localPickup: true } }) { id title tags version owner { displayName } }
            }
            """;
        var bike = (await DataAsync(seller, create, new { title = "Road bike", tags = new[] { "bikes", "vintage" }, lat = Marketplace.Central.Lat, lon = Marketplace.Central.Lon }))
            .GetProperty("createProduct");
        Assert.Equal("Bike Corner", bike.GetProperty("owner").GetProperty("displayName").GetString());
        Assert.Equal(1, bike.GetProperty("version").GetInt32());
        // Two that the search must leave out: far away, and without the tag.
        var far = (await DataAsync(seller, create, new { title = "Far bike", tags = new[] { "bikes", "vintage" }, lat = Marketplace.TuenMun.Lat, lon = Marketplace.TuenMun.Lon })).GetProperty("createProduct");
        var lamp = (await DataAsync(seller, create, new { title = "Near lamp", tags = new[] { "lamps" }, lat = Marketplace.NearCentral.Lat, lon = Marketplace.NearCentral.Lon })).GetProperty("createProduct");
        // A product is shown with its photo; photos are uploaded over REST (multipart), as the schema says.
        foreach (var product in new[] { bike, far, lamp })
        {
            await Expect.Status(await seller.PostAsync($"/v1/listings/{product.GetProperty("id").GetString()}/images", Marketplace.ImageForm("photo.jpg")), HttpStatusCode.Created);
        }

        var found = (await DataAsync(buyer, """
            query($lat: Float!, $lon: Float!) {
              listings(market: "marketplace", filterBy: { near: { lat: $lat, lon: $lon }, radiusKm: 5, tags: ["bikes"] }, first: 10) {
                nodes { id title distanceKm owner { displayName } } pageInfo { hasNextPage }
              }
            }
            """, new { lat = Marketplace.NearCentral.Lat, lon = Marketplace.NearCentral.Lon })).GetProperty("listings");
        var hit = Assert.Single(found.GetProperty("nodes").EnumerateArray());
        Assert.Equal(bike.GetProperty("id").GetString(), hit.GetProperty("id").GetString());
        Assert.InRange(hit.GetProperty("distanceKm").GetDouble(), 0.1, 1);

        var room = (await DataAsync(buyer, "mutation($id: ID!) { createRoom(listingId: $id) { id role listing { id title } members { userId side } } }",
            new { id = bike.GetProperty("id").GetString() })).GetProperty("createRoom");
        var roomId = room.GetProperty("id").GetString()!;
        Assert.Equal("buyer", room.GetProperty("role").GetString());
        Assert.Equal("Road bike", room.GetProperty("listing").GetProperty("title").GetString());
        // Opening it again is the same room.
        Assert.Equal(roomId, (await DataAsync(buyer, "mutation($id: ID!) { createRoom(listingId: $id) { id } }", new { id = bike.GetProperty("id").GetString() }))
            .GetProperty("createRoom").GetProperty("id").GetString());

        // Both members subscribe to the room, then talk: the buyer over GraphQL, the seller over REST.
        await using var sellerSocket = await GraphSocketClient.ConnectAsync(app);
        await sellerSocket.InitAsync(sellerAuth.GetProperty("accessToken").GetString()!);
        await sellerSocket.SubscribedAsync("room", "subscription($room: ID!) { roomMessages(roomId: $room) { id roomId senderId text } }", new { room = roomId });
        await using var buyerSocket = await GraphSocketClient.ConnectAsync(app);
        await buyerSocket.InitAsync(buyerAuth.GetProperty("accessToken").GetString()!);
        await buyerSocket.SubscribedAsync("room", "subscription($room: ID!) { roomMessages(roomId: $room) { id text } }", new { room = roomId });

        const string send = "mutation($room: ID!, $text: String!, $id: String!) { sendMessage(roomId: $room, text: $text, clientMessageId: $id) { id text } }";
        await DataAsync(buyer, send, new { room = roomId, text = "Is it still available?", id = "m1" });
        await Expect.Status(await seller.PostAsJsonAsync($"/v1/conversations/{roomId}/messages", new { text = "Yes, come by today.", clientMessageId = "m2" }), HttpStatusCode.Created);
        await DataAsync(buyer, send, new { room = roomId, text = "Great, see you at six.", id = "m3" });
        // A retried send is the same message, not a second one.
        await DataAsync(buyer, send, new { room = roomId, text = "Great, see you at six.", id = "m3" });

        string[] expected = ["Is it still available?", "Yes, come by today.", "Great, see you at six."];
        foreach (var socket in new[] { sellerSocket, buyerSocket })
        {
            await socket.WaitForNextAsync("room", 3);
            await Task.Delay(300);
            Assert.Equal(expected, socket.Next("room").Select(p => p.GetProperty("data").GetProperty("roomMessages").GetProperty("text").GetString()));
        }

        var sellerRooms = (await DataAsync(seller, "{ rooms(filterBy: { role: SELLER }) { nodes { id role unreadCount lastMessage { text } } } }")).GetProperty("rooms").GetProperty("nodes");
        var sellerRoom = Assert.Single(sellerRooms.EnumerateArray());
        Assert.Equal(roomId, sellerRoom.GetProperty("id").GetString());
        Assert.Equal("Great, see you at six.", sellerRoom.GetProperty("lastMessage").GetProperty("text").GetString());
        // Sending marks the room read for the sender: only the buyer's last message is unread.
        Assert.Equal(1, sellerRoom.GetProperty("unreadCount").GetInt32());
        Assert.Empty((await DataAsync(seller, "{ rooms(filterBy: { role: BUYER }) { nodes { id } } }")).GetProperty("rooms").GetProperty("nodes").EnumerateArray());

        var marker = (await DataAsync(seller, "mutation($room: ID!) { markRead(roomId: $room) { unreadCount upToMessageId } }", new { room = roomId })).GetProperty("markRead");
        Assert.Equal(0, marker.GetProperty("unreadCount").GetInt32());
        var messages = (await DataAsync(seller, "query($room: ID!) { messages(roomId: $room, first: 2) { nodes { text } pageInfo { hasNextPage endCursor } } }", new { room = roomId }))
            .GetProperty("messages");
        Assert.Equal(["Great, see you at six.", "Yes, come by today."], messages.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("text").GetString()));
        var rest = (await DataAsync(seller, "query($room: ID!, $after: String) { messages(roomId: $room, after: $after) { nodes { text } pageInfo { hasNextPage } } }",
            new { room = roomId, after = messages.GetProperty("pageInfo").GetProperty("endCursor").GetString() })).GetProperty("messages");
        Assert.Equal(["Is it still available?"], rest.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("text").GetString()));
        Assert.False(rest.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());

        // The account's own reads: me, and a refreshed session.
        var me = (await DataAsync(seller, "{ me { id email displayName profiles { market side } } }")).GetProperty("me");
        Assert.Equal(sellerAuth.GetProperty("userId").GetString(), me.GetProperty("id").GetString());
        var refreshed = (await DataAsync(anonymous, "mutation($t: String!) { refresh(refreshToken: $t) { accessToken } }", new { t = sellerAuth.GetProperty("refreshToken").GetString() }))
            .GetProperty("refresh");
        Assert.NotEqual(sellerAuth.GetProperty("accessToken").GetString(), refreshed.GetProperty("accessToken").GetString());
        var login = await RunAsync(anonymous, "mutation { login(email: \"seller@example.com\", password: \"wrong passphrase here\") { accessToken } }");
        Assert.Equal(["UNAUTHENTICATED"], Codes(login));
    }

    [Theory]
    [OnEachEngine]
    public async Task ProductsAreWrittenWithTheSameRulesAsOverRest(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        // A condition the market does not know, and a price below zero: both named, as REST names them.
        var invalid = await RunAsync(seller.Client, "mutation { createProduct(market: \"marketplace\", input: { title: \"Lamp\", price: -5, attributes: { condition: \"mint-ish\" } }) { id } }");
        Assert.Equal(["BAD_USER_INPUT"], Codes(invalid));
        var fields = invalid.GetProperty("errors")[0].GetProperty("extensions").GetProperty("fields");
        Assert.True(fields.TryGetProperty("input.attributes.condition", out _), fields.ToString());
        Assert.True(fields.TryGetProperty("input.price", out _), fields.ToString());
        // The declared rules of the REST request (a clean name) hold too.
        Assert.Equal(["BAD_USER_INPUT"], Codes(await RunAsync(seller.Client, "mutation { createProduct(market: \"marketplace\", input: { title: \"Lamp\\u0007\", attributes: { condition: \"used\" } }) { id } }")));

        var product = await Marketplace.ProductAsync(seller);
        var id = product.GetProperty("id").GetString();
        var version = (await DataAsync(seller.Client, "query($id: ID!) { listing(id: $id) { version } }", new { id })).GetProperty("listing").GetProperty("version").GetInt32();
        var changed = (await DataAsync(seller.Client, "mutation($id: ID!, $v: Int) { updateProduct(id: $id, version: $v, input: { price: 250 }) { price version } }", new { id, v = version }))
            .GetProperty("updateProduct");
        Assert.Equal(250, changed.GetProperty("price").GetDecimal());
        Assert.Equal(version + 1, changed.GetProperty("version").GetInt32());
        // A stale version is refused and changes nothing.
        Assert.Equal(["CONFLICT"], Codes(await RunAsync(seller.Client, "mutation($id: ID!, $v: Int) { updateProduct(id: $id, version: $v, input: { price: 10 }) { price } }", new { id, v = version })));
        Assert.Equal(250, (await DataAsync(seller.Client, "query($id: ID!) { listing(id: $id) { price } }", new { id })).GetProperty("listing").GetProperty("price").GetDecimal());
        Assert.Equal(id, (await DataAsync(seller.Client, "mutation($id: ID!) { deleteProduct(id: $id) }", new { id })).GetProperty("deleteProduct").GetString());
        await Expect.Problem(await seller.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.NotFound);
    }
}
