using System.Diagnostics;
using System.Net.Http.Headers;
using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.ScaleOut;

/// <summary>
/// Two server processes on different ports, sharing one DynamoDB Local table and one Redis: one
/// platform served by either node, as behind a load balancer.
/// </summary>
// Starts real binaries: runs once, not again in the DynamoDB pass (it is on DynamoDB already).
[Trait("Category", "BinaryProcess")]
public sealed class TwoNodeTests
{
    private static readonly TimeSpan FewSeconds = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task EitherNodeServesTheSameFeedsMatchesMessagesAndScheduledJobs()
    {
        await using var cluster = await Cluster.StartAsync();
        var (a, b) = (cluster.A, cluster.B);

        // A reader on A, with e-mail verified and a daily digest due at the next whole minute at least 20 s away.
        var reader = await SignUpAsync(Client(a), "Ada Investor");
        await Expect.Status(await reader.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = await cluster.Smtp.VerificationCodeAsync(reader.Email) }), HttpStatusCode.OK);
        await Expect.Status(await reader.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor", Fund), HttpStatusCode.Created);
        var soon = DateTimeOffset.UtcNow.AddSeconds(20);
        var due = new DateTimeOffset(soon.Year, soon.Month, soon.Day, soon.Hour, soon.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        await Expect.Status(await reader.Client.PutAsJsonAsync("/v1/me/digest", new { enabled = true, localTime = due.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), timeZone = "UTC" }), HttpStatusCode.OK);

        // An investor on B.
        var investor = await SignUpAsync(Client(b), "Ian Investor");
        var fund = await Expect.Json(await investor.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor", Fund), HttpStatusCode.Created);
        var investorCard = fund.GetProperty("cardId").GetString()!;

        // Two startups created on A show in the investor's feed served by B within seconds.
        var founders = new List<(UserSession User, string Card)>();
        foreach (var name in new[] { "Mei Founder", "Raj Founder" })
        {
            var founder = await SignUpAsync(Client(a), name);
            var startup = await Expect.Json(await founder.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", Startup(name)), HttpStatusCode.Created);
            founders.Add((founder, startup.GetProperty("cardId").GetString()!));
        }
        var seen = await WaitForCardsAsync(investor, [.. founders.Select(f => f.Card)]);
        Assert.True(seen < FewSeconds, $"The cards reached node B's feed after {seen}.");

        // A feed's order is kept for both nodes: page one from A, page two from B.
        var first = await Expect.Json(await On(a, investor).GetAsync("/v1/markets/venture/feed?limit=1"), HttpStatusCode.OK);
        var cursor = first.GetProperty("nextCursor").GetString()!;
        var second = await Expect.Json(await investor.Client.GetAsync($"/v1/markets/venture/feed?limit=1&cursor={Uri.EscapeDataString(cursor)}"), HttpStatusCode.OK);
        Assert.NotEqual(CardIds(first).Single(), CardIds(second).Single());

        // Each founder and the investor like each other at the same moment, through different nodes: one match each.
        foreach (var (founder, card) in founders)
        {
            var swipes = await Task.WhenAll(
                investor.Client.PostAsJsonAsync($"/v1/listings/{card}/swipe", new { action = "like" }),
                founder.Client.PostAsJsonAsync($"/v1/listings/{investorCard}/swipe", new { action = "like" }));
            var results = await Task.WhenAll(swipes.Select(s => Expect.Json(s, HttpStatusCode.OK)));
            var reported = results.Where(r => r.GetProperty("matched").GetBoolean()).Select(r => r.GetProperty("matchId").GetString()).Distinct().ToList();
            var matches = (await Expect.Json(await On(b, founder).GetAsync("/v1/matches"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
            Assert.Single(matches);
            Assert.Equal(matches[0].GetProperty("id").GetString(), Assert.Single(reported));
        }
        Assert.Equal(2, (await Expect.Json(await On(a, investor).GetAsync("/v1/matches"), HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        Assert.Equal(2, (await Expect.Json(await investor.Client.GetAsync("/v1/conversations"), HttpStatusCode.OK)).GetProperty("items").GetArrayLength());

        // Live across nodes: the investor listens on A, the founder on B; each sends through the other node.
        var mei = founders[0].User;
        var conversation = (await Expect.Json(await On(b, mei).GetAsync("/v1/conversations"), HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("id").GetString()!;
        await using var investorLive = await DotNetHubClient.ConnectAsync(a.Address, Token(investor));
        await using var meiLive = await DotNetHubClient.ConnectAsync(b.Address, Token(mei));
        await SendAsync(Moved(mei, b), conversation, "sent through B");
        await investorLive.WaitForAsync("message", 1);
        Assert.Equal("sent through B", investorLive.Of("message").Single().GetProperty("text").GetString());
        await SendAsync(Moved(investor, a), conversation, "sent through A");
        await meiLive.WaitForAsync("message", 2);
        Assert.Contains(meiLive.Of("message"), m => m.GetProperty("text").GetString() == "sent through A");

        // The same for GraphQL subscriptions: subscribed on A, the messages sent through B (over REST and over GraphQL) arrive in order, once.
        await using var graphOnA = await GraphSocketClient.ConnectAsync(a.Address);
        await graphOnA.InitAsync(Token(investor));
        await graphOnA.SubscribedAsync("room", "subscription($r: ID!) { roomMessages(roomId: $r) { text } }", new { r = conversation });
        await SendAsync(Moved(mei, b), conversation, "REST through B");
        await Scenarios.Gql.DataAsync(Moved(mei, b).Client, "mutation($r: ID!) { sendMessage(roomId: $r, text: \"GraphQL through B\", clientMessageId: \"g-b\") { id } }", new { r = conversation });
        await graphOnA.WaitForNextAsync("room", 2);
        await Task.Delay(500);
        Assert.Equal(["REST through B", "GraphQL through B"], graphOnA.Next("room").Select(n => n.GetProperty("data").GetProperty("roomMessages").GetProperty("text").GetString()));

        // Both nodes run the digest job every 2 s; the occurrence is claimed once, so one digest.
        static bool IsDigest(JsonElement mail) => mail.GetProperty("raw").GetString()!.Contains("recommendations for today", StringComparison.Ordinal);
        await cluster.Smtp.WaitForMailAsync(reader.Email, "recommendations for today", TimeSpan.FromSeconds(120));
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Single(cluster.Smtp.AcceptedFor(reader.Email), IsDigest);
    }

    [Fact]
    public async Task WhenNodeADiesTheClientReconnectsToBAndLosesNothing()
    {
        await using var cluster = await Cluster.StartAsync();
        var (a, b) = (cluster.A, cluster.B);
        var pair = await MatchAsync(() => Client(a));
        var founderOnB = Moved(pair.Founder, b);
        var investorOnB = Moved(pair.Investor, b);

        var live = await DotNetHubClient.ConnectAsync(a.Address, Token(pair.Investor));
        for (var i = 1; i <= 3; i++)
        {
            await SendAsync(founderOnB, pair.ConversationId, $"before {i}");
        }
        var mine = await SendAsync(pair.Investor, pair.ConversationId, "acknowledged by A");
        // Every member's connections get each message, the sender's own included.
        await live.WaitForAsync("message", 4);

        // Node A dies mid-conversation; the founder keeps writing through B.
        a.Kill();
        for (var i = 1; i <= 5; i++)
        {
            await SendAsync(founderOnB, pair.ConversationId, $"while away {i}");
        }

        // The client reconnects to B and asks for what came after the last message it saw.
        await live.DisposeAsync();
        await using var back = await DotNetHubClient.ConnectAsync(b.Address, Token(pair.Investor));
        var lastSeen = live.Of("message").Select(m => m.GetProperty("id").GetString()!).Max(StringComparer.Ordinal)!;
        var missed = await MessagesAsync(investorOnB, pair.ConversationId, $"after={lastSeen}&limit=50");
        Assert.Equal(["while away 5", "while away 4", "while away 3", "while away 2", "while away 1"], Texts(missed));
        await SendAsync(founderOnB, pair.ConversationId, "live on B");
        await back.WaitForAsync("message", 1);
        Assert.Equal("live on B", back.Of("message").Single().GetProperty("text").GetString());

        var stored = Texts(await MessagesAsync(investorOnB, pair.ConversationId, "limit=50"));
        Assert.Equal(10, stored.Count);
        Assert.Contains(mine.GetProperty("text").GetString(), stored);
    }

    [Fact]
    public async Task WithRedisDownNodesKeepAnsweringAndCatchUpWhenItReturns()
    {
        await using var cluster = await Cluster.StartAsync();
        var (a, b) = (cluster.A, cluster.B);
        var pair = await MatchAsync(() => Client(a));
        var founderOnB = Moved(pair.Founder, b);
        var investorOnB = Moved(pair.Investor, b);
        await using var live = await DotNetHubClient.ConnectAsync(a.Address, Token(pair.Investor));
        await SendAsync(founderOnB, pair.ConversationId, "before the outage");
        await live.WaitForAsync("message", 1);

        cluster.Redis.Stop();

        // Reads and writes go to the store: every one answers, on both nodes.
        foreach (var user in new[] { pair.Investor, investorOnB })
        {
            foreach (var path in new[] { "/v1/me", "/v1/conversations", $"/v1/conversations/{pair.ConversationId}/messages", "/v1/matches", "/v1/markets/venture/feed", "/v1/notifications" })
            {
                await Expect.Status(await user.Client.GetAsync(path), HttpStatusCode.OK);
            }
        }
        var during = await SendAsync(founderOnB, pair.ConversationId, "during the outage");
        Assert.Contains("during the outage", Texts(await MessagesAsync(pair.Investor, pair.ConversationId)));

        // A startup created on A while Redis is away.
        var late = await SignUpAsync(Client(a), "Lin Founder");
        var card = (await Expect.Json(await late.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", Startup("Lin Founder")), HttpStatusCode.Created)).GetProperty("cardId").GetString()!;

        await cluster.Redis.RestartAsync();
        var back = Stopwatch.StartNew();

        // B hears of the startup (A kept the change until Redis returned), and pushes cross nodes again.
        await WaitForCardsAsync(investorOnB, [card], TimeSpan.FromSeconds(20));
        var pushed = false;
        for (var i = 0; !pushed && back.Elapsed < TimeSpan.FromSeconds(20); i++)
        {
            var sent = await SendAsync(founderOnB, pair.ConversationId, $"after the outage {i}");
            await Task.Delay(250);
            pushed = live.Of("message").Any(m => m.GetProperty("id").GetString() == sent.GetProperty("id").GetString());
        }
        Assert.True(pushed, "Live messages did not cross nodes again within 20 s of Redis returning.");
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(10), $"Recovery took {back.Elapsed}.");
        Assert.DoesNotContain(live.Of("message"), m => m.GetProperty("id").GetString() == during.GetProperty("id").GetString());
    }

    [Fact]
    public async Task ASessionEndedOnOneNodeOrByTheCliStopsItsTokenEverywhereAndClosesItsSocketsWithinASecond()
    {
        await using var cluster = await Cluster.StartAsync();
        var (a, b) = (cluster.A, cluster.B);
        var pair = await MatchAsync(() => Client(a));

        // Log-out through A: the token is refused by B on the very next request, and its sockets on both nodes close.
        var investor = pair.Investor;
        await using var onA = await DotNetHubClient.ConnectAsync(a.Address, Token(investor));
        await using var onB = await DotNetHubClient.ConnectAsync(b.Address, Token(investor));
        var closed = new[] { Closed(onA), Closed(onB) };
        await Expect.Status(await investor.Client.PostAsync("/v1/auth/logout", null), HttpStatusCode.NoContent);
        var sinceLogOut = Stopwatch.StartNew();
        await Expect.Problem(await On(b, investor).GetAsync("/v1/me"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await On(a, investor).GetAsync("/v1/me"), HttpStatusCode.Unauthorized);
        await Task.WhenAll(closed).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(sinceLogOut.Elapsed < TimeSpan.FromSeconds(1), $"The sockets closed {sinceLogOut.Elapsed} after the log-out.");

        // `pairwise users disable`, a separate process: every session of the account ends the same way.
        var founder = pair.Founder;
        await using var founderOnB = await DotNetHubClient.ConnectAsync(b.Address, Token(founder));
        var founderClosed = Closed(founderOnB);
        var disabled = await ServerProcess.RunCommandAsync(TempFolder.Create("cli"), cluster.Settings, "users", "disable", founder.Email);
        Assert.True(disabled.Exit == 0, disabled.Error);
        var sinceDisable = Stopwatch.StartNew();
        await Expect.Problem(await On(a, founder).GetAsync("/v1/conversations"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await On(b, founder).PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/messages", new { text = "still here?" }), HttpStatusCode.Unauthorized);
        await founderClosed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(sinceDisable.Elapsed < TimeSpan.FromSeconds(1), $"The socket closed {sinceDisable.Elapsed} after the account was disabled.");
        await Assert.ThrowsAnyAsync<Exception>(() => DotNetHubClient.ConnectAsync(a.Address, Token(founder)));
    }

    private static Task Closed(DotNetHubClient client)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    private static readonly object Fund = new
    {
        displayName = "Harbour Ventures",
        attributes = new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" }, locations = new[] { "Hong Kong" }, minCheck = 100_000, maxCheck = 2_000_000 },
        preferences = new { industries = new[] { "fintech" } },
    };

    private static object Startup(string founder) => new
    {
        displayName = $"Lantern {founder.Split(' ')[0]}",
        attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong", fundingAmount = 1_000_000, description = "Payments for night markets." },
        preferences = new { industries = new[] { "fintech" } },
    };

    private static HttpClient Client(ServerProcess node) => new() { BaseAddress = node.Address };

    /// <summary>The same signed-in user, talking to another node.</summary>
    private static HttpClient On(ServerProcess node, UserSession user)
    {
        var client = Client(node);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(user));
        return client;
    }

    private static UserSession Moved(UserSession user, ServerProcess node) => user with { Client = On(node, user) };

    private static List<string> CardIds(JsonElement feed) =>
        [.. feed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("listing").GetProperty("id").GetString()!)];

    /// <summary>Asks for fresh first pages until every card is in the viewer's feed; how long that took.</summary>
    private static async Task<TimeSpan> WaitForCardsAsync(UserSession viewer, IReadOnlyList<string> cards, TimeSpan? timeout = null)
    {
        var wait = Stopwatch.StartNew();
        while (wait.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            var feed = await Expect.Json(await viewer.Client.GetAsync("/v1/markets/venture/feed?limit=50"), HttpStatusCode.OK);
            if (cards.All(CardIds(feed).Contains))
            {
                return wait.Elapsed;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"The cards did not reach the feed within {timeout ?? TimeSpan.FromSeconds(30)}.");
        return wait.Elapsed;
    }

    /// <summary>Redis, an SMTP server and nodes A and B on one fresh DynamoDB Local table.</summary>
    [Fact]
    public async Task ImagesLiveInTheSharedBucketSoEitherNodeServesAndDeletesThem()
    {
        await using var s3 = await S3Server.StartAsync();
        await using var cluster = await Cluster.StartAsync(s3.Settings);
        var (a, b) = (cluster.A, cluster.B);
        var seller = await SignUpAsync(Client(a), "Sam Seller");
        await Expect.Status(await seller.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { attributes = new { shopName = "Bike Corner" } }), HttpStatusCode.Created);
        var product = await Scenarios.Marketplace.ProductAsync(seller, photo: false);
        var listing = product.GetProperty("id").GetString()!;
        var buyer = await SignUpAsync(Client(b), "Bea Buyer");
        // No photo yet: the buyer (on B) does not see it.
        await Expect.Problem(await buyer.Client.GetAsync($"/v1/listings/{listing}"), HttpStatusCode.NotFound);

        // Uploaded through A, served by B (every size), and now shown to the buyer.
        var uploaded = await Expect.Json(await seller.Client.PostAsync($"/v1/listings/{listing}/images", Scenarios.Photos.Form(Scenarios.Photos.JpegWithGps())), HttpStatusCode.Created);
        var image = uploaded.GetProperty("images")[0];
        var url = image.GetProperty("url").GetString()!;
        var onA = await Client(a).GetByteArrayAsync(url);
        var onB = await Client(b).GetByteArrayAsync(url);
        Assert.Equal(onA, onB);
        Assert.Contains($"{url}?w=320 320w", image.GetProperty("srcset").GetString());
        using (var small = SixLabors.ImageSharp.Image.Load(await Client(b).GetByteArrayAsync($"{url}?w=320")))
        {
            Assert.Equal(320, small.Width);
        }
        Assert.Equal(listing, (await Expect.Json(await buyer.Client.GetAsync($"/v1/listings/{listing}"), HttpStatusCode.OK)).GetProperty("id").GetString());
        var stored = s3.ObjectCount();
        Assert.True(stored >= 2, $"{stored} objects in the bucket");

        // Deleted through B: gone on A too, bytes and all.
        await Expect.Status(await Moved(seller, b).Client.DeleteAsync($"/v1/listings/{listing}/images/{image.GetProperty("id").GetString()}"), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await Client(a).GetAsync(url)).StatusCode);
        Assert.Equal(0, s3.ObjectCount());

        // The bucket goes away mid-way: a clear 503, and the listing has no half-stored image.
        await s3.StopAsync();
        var refused = await seller.Client.PostAsync($"/v1/listings/{listing}/images", Scenarios.Marketplace.ImageForm("photo.jpg"));
        var problem = await Expect.Problem(refused, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("image storage", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await Expect.Json(await seller.Client.GetAsync($"/v1/listings/{listing}"), HttpStatusCode.OK)).GetProperty("images").GetArrayLength());
        await s3.StartAgainAsync();
        Assert.Equal(0, s3.ObjectCount());
        await Expect.Status(await seller.Client.PostAsync($"/v1/listings/{listing}/images", Scenarios.Marketplace.ImageForm("photo.jpg")), HttpStatusCode.Created);
        Assert.Equal(1, (await Expect.Json(await buyer.Client.GetAsync($"/v1/listings/{listing}"), HttpStatusCode.OK)).GetProperty("images").GetArrayLength());
    }

    private sealed class Cluster : IAsyncDisposable
    {
        private Cluster(RedisServer redis, SmtpSink smtp, ServerProcess a, ServerProcess b, Dictionary<string, string> settings) =>
            (Redis, Smtp, A, B, Settings) = (redis, smtp, a, b, settings);

        /// <summary>The nodes' settings, as environment variables: a CLI command with them works on the same platform.</summary>
        public Dictionary<string, string> Settings { get; }

        public RedisServer Redis { get; }
        public SmtpSink Smtp { get; }
        public ServerProcess A { get; }
        public ServerProcess B { get; }

        public static async Task<Cluster> StartAsync(IReadOnlyDictionary<string, string>? extra = null)
        {
            var redis = await RedisServer.StartAsync();
            var smtp = await SmtpSink.StartAsync();
            var settings = smtp.Settings("__").ToDictionary(s => s.Key, s => s.Value!);
            settings["Pairwise__Storage"] = "dynamodb";
            settings["Pairwise__DynamoDb__ServiceUrl"] = (await DynamoDbLocal.UriAsync()).ToString();
            settings["Pairwise__DynamoDb__TableName"] = $"two-nodes-{Guid.NewGuid():N}";
            settings["ConnectionStrings__Redis"] = redis.ConnectionString;
            settings["Pairwise__RateLimits__SendBurst"] = "10000";
            settings["Pairwise__Jobs__digests__Schedule"] = "*/2 * * * * *";
            foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            {
                settings[key] = value;
            }
            // A first: it creates the table; B finds it.
            var a = await ServerProcess.StartAsync(TempFolder.Create("node-a"), settings);
            var b = await ServerProcess.StartAsync(TempFolder.Create("node-b"), settings);
            return new Cluster(redis, smtp, a, b, settings);
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await Smtp.DisposeAsync();
            await Redis.DisposeAsync();
        }
    }
}
