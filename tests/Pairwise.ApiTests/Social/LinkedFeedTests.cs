using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Pairwise.Social;
using FeedEntry = Pairwise.Tests.Infrastructure.FeedEntry;

namespace Pairwise.Tests.Social;

/// <summary>Feeds (RSS) linked as accounts, against a real local HTTP server the tests change: SSRF guard, conditional GET, deletions, outages, WebSub.</summary>
public sealed class LinkedFeedTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static PairwiseApp App(Engine engine, FeedServer? server = null, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pairwise:Social:WatchInterval"] = "00:00:00",
            // Each round moves the clock by a poll interval; sessions outlive the test.
            ["Pairwise:Tokens:AccessTokenLifetime"] = "1.00:00:00",
        };
        if (server is not null)
        {
            settings["Pairwise:Social:AllowedFeedHosts:0"] = "127.0.0.1";
        }
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }
        return new PairwiseApp(engine, settings);
    }

    /// <summary>One polling round of the feeds connector, after the previous round's leases ran out.</summary>
    private static async Task<int> PollAsync(PairwiseApp app)
    {
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var worker = app.Services.GetRequiredService<ConnectorWorker>();
        return await worker.RoundAsync(app.Services.GetServices<ISocialConnector>().Single(c => c.Provider == "feed"), CancellationToken.None);
    }

    private static async Task<JsonElement> LinkAsync(UserSession user, string url, HttpStatusCode expected = HttpStatusCode.Created) =>
        expected == HttpStatusCode.Created
            ? await Expect.Json(await user.Client.PostAsJsonAsync("/v1/me/linked-accounts", new { provider = "feed", url, @public = true }), expected)
            : await Expect.Problem(await user.Client.PostAsJsonAsync("/v1/me/linked-accounts", new { provider = "feed", url }), expected);

    private static async Task<JsonElement> FeedAsync(UserSession user) => await Expect.Json(await user.Client.GetAsync("/v1/social/feed"), HttpStatusCode.OK);

    private static List<string> Texts(JsonElement feed) => [.. feed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()!)];

    [Theory]
    [OnEachEngine]
    public async Task AddressesOnPrivateNetworksAreRefusedAfterDnsAndOnEveryRedirect(Engine engine)
    {
        await using var server = await FeedServer.StartAsync();
        server.Add(new FeedEntry("a", "Hello", "First.", Noon));
        var port = new Uri(server.Address).Port;
        using (var strict = App(engine))
        {
            var user = await strict.SignUpAsync();
            foreach (var url in new[] { server.Feed, $"http://localhost:{port}/feed.xml", $"http://[::1]:{port}/feed.xml", "http://10.0.0.7/feed.xml",
                "http://169.254.169.254/latest/meta-data/", "http://[::ffff:127.0.0.1]:80/feed.xml" })
            {
                var problem = await LinkAsync(user, url, HttpStatusCode.BadRequest);
                Assert.Contains("loopback, private or link-local", problem.GetProperty("errors").GetProperty("url")[0].GetString());
            }
            Assert.Equal(0, server.Requests);
            // A name that cannot exist (RFC 6761) is the user's mistake to fix, not a provider that is down.
            var unknown = await LinkAsync(user, "https://feeds.pairwise.invalid/feed.xml", HttpStatusCode.BadRequest);
            Assert.Contains("no such host", unknown.GetProperty("errors").GetProperty("url")[0].GetString());
        }

        using var app = App(engine, server);
        var allowed = await app.SignUpAsync();
        // 127.0.0.1 is allowed, but a redirect from it to localhost (not allowed) is refused on the way.
        var redirected = await LinkAsync(allowed, $"{server.Address}/redirect?to={Uri.EscapeDataString($"http://localhost:{port}/feed.xml")}", HttpStatusCode.BadRequest);
        Assert.Contains("'localhost'", redirected.GetProperty("errors").GetProperty("url")[0].GetString());
        await LinkAsync(allowed, $"{server.Address}/not-a-feed", HttpStatusCode.BadRequest);
        await LinkAsync(allowed, $"{server.Address}/huge.xml", HttpStatusCode.BadRequest);
        await LinkAsync(allowed, $"{server.Address}/missing.xml", HttpStatusCode.BadRequest);
        var linked = await LinkAsync(allowed, server.Feed);
        Assert.Equal("Harbour Notes", linked.GetProperty("handle").GetString());
        await LinkAsync(allowed, server.Feed, HttpStatusCode.Conflict);
    }

    [Theory]
    [OnEachEngine]
    public async Task AFeedIsPolledConditionallyAndFollowsItsSourceAddedChangedDownAndUnlinked(Engine engine)
    {
        await using var server = await FeedServer.StartAsync();
        server.Add(new FeedEntry("a", "Spring menu", "Dumplings are back.", Noon));
        using var app = App(engine, server);
        var user = await app.SignUpAsync();
        var linked = await LinkAsync(user, server.Feed);
        var id = linked.GetProperty("id").GetString()!;

        var feed = await FeedAsync(user);
        Assert.Equal(["Spring menu — Dumplings are back."], Texts(feed));
        var source = feed.GetProperty("items")[0].GetProperty("source");
        Assert.Equal("feed", source.GetProperty("kind").GetString());
        Assert.Equal(id, source.GetProperty("linkedAccountId").GetString());
        Assert.Equal("Harbour Notes", source.GetProperty("account").GetString());
        Assert.False(source.GetProperty("stale").GetBoolean());

        // Nothing changed: a conditional GET, answered 304.
        Assert.Equal(1, await PollAsync(app));
        Assert.Equal(1, server.NotModified);

        // A new entry arrives at the next poll; an entry deleted upstream leaves.
        server.Add(new FeedEntry("b", "Summer menu", "Mango pudding.", Noon.AddDays(1)));
        await PollAsync(app);
        Assert.Equal(["Summer menu — Mango pudding.", "Spring menu — Dumplings are back."], Texts(await FeedAsync(user)));
        server.Remove("a");
        await PollAsync(app);
        Assert.Equal(["Summer menu — Mango pudding."], Texts(await FeedAsync(user)));

        // Down: the feed still answers from what it has, with the source marked stale; back up, it catches up.
        server.Down = true;
        await PollAsync(app);
        feed = await FeedAsync(user);
        Assert.Equal(["Summer menu — Mango pudding."], Texts(feed));
        Assert.True(feed.GetProperty("items")[0].GetProperty("source").GetProperty("stale").GetBoolean());
        Assert.True(feed.GetProperty("sources")[0].GetProperty("stale").GetBoolean());
        Assert.Equal("The provider answered 503.", feed.GetProperty("sources")[0].GetProperty("error").GetString());
        server.Down = false;
        server.Add(new FeedEntry("c", "Autumn menu", "Chestnuts.", Noon.AddDays(2)));
        await PollAsync(app);
        feed = await FeedAsync(user);
        Assert.Equal("Autumn menu — Chestnuts.", Texts(feed)[0]);
        Assert.False(feed.GetProperty("sources")[0].GetProperty("stale").GetBoolean());

        // Another user cannot see, change or unlink it; its owner unlinks and its items go at once.
        var stranger = await app.SignUpAsync();
        Assert.Empty((await Expect.Json(await stranger.Client.GetAsync("/v1/me/linked-accounts"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        await Expect.Problem(await stranger.Client.DeleteAsync($"/v1/me/linked-accounts/{id}"), HttpStatusCode.NotFound);
        await Expect.Problem(await stranger.Client.PatchAsJsonAsync($"/v1/me/linked-accounts/{id}", new { @public = false }), HttpStatusCode.NotFound);
        await Expect.Problem(await stranger.Client.PutAsync($"/v1/watches/{id}", null), HttpStatusCode.NotFound);
        await Expect.Status(await user.Client.DeleteAsync($"/v1/me/linked-accounts/{id}"), HttpStatusCode.NoContent);
        Assert.Empty(Texts(await FeedAsync(user)));
        Assert.DoesNotContain(await StoreScan.AllItemsAsync(app), i => i.Contains($"LINKEDPOSTS#{id}", StringComparison.Ordinal));
        Assert.Equal(0, await PollAsync(app));
    }

    [Theory]
    [OnEachEngine]
    public async Task WatchedFeedsNotifyAndBookmarksOutliveUnlinking(Engine engine)
    {
        await using var server = await FeedServer.StartAsync();
        server.Add(new FeedEntry("a", "Opening hours", "Open late on Friday.", Noon));
        using var app = App(engine, server);
        var user = await app.SignUpAsync();
        var id = (await LinkAsync(user, server.Feed)).GetProperty("id").GetString()!;
        var item = (await FeedAsync(user)).GetProperty("items")[0];
        var sourceId = item.GetProperty("source").GetProperty("id").GetString()!;
        Assert.Equal(id, sourceId);
        await Expect.Json(await user.Client.PutAsync($"/v1/watches/{sourceId}", null), HttpStatusCode.OK);

        server.Add(new FeedEntry("b", "New stock", "Blue bikes in.", Noon.AddHours(1)));
        await PollAsync(app);
        var tray = await Expect.Json(await user.Client.GetAsync("/v1/notifications"), HttpStatusCode.OK);
        Assert.Contains(tray.GetProperty("items").EnumerateArray(), n => n.GetProperty("type").GetString() == "post"
            && n.GetProperty("body").GetString()!.Contains("New stock", StringComparison.Ordinal));

        // The profile shows the public account; a bookmark keeps where the post was after unlinking.
        var (_, profile) = await ProfileAsync(user);
        var socials = await Expect.Json(await (await app.SignUpAsync()).Client.GetAsync($"/v1/profiles/{profile}/socials"), HttpStatusCode.OK);
        Assert.Equal("Harbour Notes", socials.GetProperty("items")[0].GetProperty("handle").GetString());
        await Expect.Json(await user.Client.PatchAsJsonAsync($"/v1/me/linked-accounts/{id}", new { @public = false }), HttpStatusCode.OK);
        Assert.Empty((await Expect.Json(await user.Client.GetAsync($"/v1/profiles/{profile}/socials"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        var itemId = item.GetProperty("id").GetString()!;
        await Expect.Status(await user.Client.PutAsync($"/v1/bookmarks/posts/{itemId}", null), HttpStatusCode.Created);
        await Expect.Status(await user.Client.DeleteAsync($"/v1/me/linked-accounts/{id}"), HttpStatusCode.NoContent);
        var saved = (await Expect.Json(await user.Client.GetAsync("/v1/bookmarks/posts"), HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal("feed", saved.GetProperty("provider").GetString());
        Assert.Equal("a", saved.GetProperty("providerPostId").GetString());
        Assert.Equal(JsonValueKind.Null, saved.GetProperty("post").ValueKind);
    }

    [Theory]
    [OnEachEngine]
    public async Task AFeedWithAHubIsSubscribedAndItsSignedPushesArriveAtOnce(Engine engine)
    {
        await using var server = await FeedServer.StartAsync();
        server.Hub = $"{server.Address}/hub";
        server.Add(new FeedEntry("a", "First", "One.", Noon));
        using var app = App(engine, server, new() { ["Pairwise:PublicUrl"] = "https://pairwise.example.com" });
        var user = await app.SignUpAsync();
        var id = (await LinkAsync(user, server.Feed)).GetProperty("id").GetString()!;

        await PollAsync(app);
        Assert.True(server.Subscriptions.TryDequeue(out var subscription));
        Assert.Equal("subscribe", subscription["hub.mode"]);
        Assert.Equal(server.Feed, subscription["hub.topic"]);
        Assert.Equal($"https://pairwise.example.com/v1/social/websub/{id}", subscription["hub.callback"]);
        var secret = subscription["hub.secret"];

        // The hub checks the callback: the challenge is echoed for our topic only.
        var hub = app.CreateClient();
        var callback = $"/v1/social/websub/{id}";
        Assert.Equal(HttpStatusCode.NotFound, (await hub.GetAsync($"{callback}?hub.mode=subscribe&hub.topic=https%3A%2F%2Fevil.example%2F&hub.challenge=x1")).StatusCode);
        var verified = await hub.GetAsync($"{callback}?hub.mode=subscribe&hub.topic={Uri.EscapeDataString(server.Feed)}&hub.challenge=c-42&hub.lease_seconds=3600");
        Assert.Equal("c-42", await verified.Content.ReadAsStringAsync());
        var accounts = await Expect.Json(await user.Client.GetAsync("/v1/me/linked-accounts"), HttpStatusCode.OK);
        Assert.True(accounts.GetProperty("items")[0].GetProperty("push").GetBoolean());
        Assert.DoesNotContain(secret, accounts.GetRawText(), StringComparison.Ordinal);

        // A push signed with another secret is ignored; the signed one is in the feed at once, without a poll.
        server.Add(new FeedEntry("b", "Pushed", "Two.", Noon.AddHours(1)));
        var body = Encoding.UTF8.GetBytes(server.Document());
        var forged = new ByteArrayContent(body);
        forged.Headers.Add("X-Hub-Signature", $"sha256={Convert.ToHexStringLower(HMACSHA256.HashData("wrong"u8.ToArray(), body))}");
        Assert.Equal(HttpStatusCode.Forbidden, (await hub.PostAsync(callback, forged)).StatusCode);
        Assert.Equal(["First — One."], Texts(await FeedAsync(user)));
        var signed = new ByteArrayContent(body);
        signed.Headers.Add("X-Hub-Signature", $"sha256={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body))}");
        Assert.Equal(HttpStatusCode.Accepted, (await hub.PostAsync(callback, signed)).StatusCode);
        Assert.Equal(["Pushed — Two.", "First — One."], Texts(await FeedAsync(user)));

        // Unlinking tells the hub to stop; its check of the unsubscription is answered.
        await Expect.Status(await user.Client.DeleteAsync($"/v1/me/linked-accounts/{id}"), HttpStatusCode.NoContent);
        Assert.True(server.Subscriptions.TryDequeue(out var unsubscription));
        Assert.Equal("unsubscribe", unsubscription["hub.mode"]);
        var confirmed = await hub.GetAsync($"{callback}?hub.mode=unsubscribe&hub.topic={Uri.EscapeDataString(server.Feed)}&hub.challenge=bye");
        Assert.Equal("bye", await confirmed.Content.ReadAsStringAsync());
    }

    private static async Task<(UserSession User, string ProfileId)> ProfileAsync(UserSession user)
    {
        var put = await user.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { attributes = new { shopName = "Bike Corner" } });
        return (user, (await Expect.Json(put, HttpStatusCode.Created)).GetProperty("id").GetString()!);
    }
}
