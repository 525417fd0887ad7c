using System.Diagnostics;
using static Pairwise.Tests.Scenarios.Chat;
using FeedEntry = Pairwise.Tests.Infrastructure.FeedEntry;

namespace Pairwise.Tests.Social;

/// <summary>
/// The aggregated feed end to end with real components: the reference Bluesky PDS, a local RSS
/// server, Redis, DynamoDB Local, an API node that runs no connector and a connector worker.
/// </summary>
[Trait("Category", "BinaryProcess")]
public sealed class AggregatedFeedTests
{
    // A provider's circuit breaker keeps it alone for 15 s after an outage; a loaded machine adds more.
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task BlueskyAccountsAFeedAndAFollowedStartupMeetInOneFeedThroughOutagesAndUnlinking()
    {
        await using var pds = await BlueskyPds.StartAsync();
        var writer = await pds.CreateAccountAsync("writer-kai.test");
        var other = await pds.CreateAccountAsync("writer-lu.test");
        var follower = await pds.CreateAccountAsync("follower-ola.test");
        var second = await pds.CreateAccountAsync("second-ana.test");
        await pds.FollowAsync(follower, writer.Did);
        await pds.FollowAsync(second, other.Did);
        await pds.PostAsync(writer, "Kai: shipping day.", DateTimeOffset.UtcNow.AddMinutes(-30));
        await pds.PostAsync(other, "Lu: our demo video.", DateTimeOffset.UtcNow.AddMinutes(-20));
        var followerPassword = await pds.CreateAppPasswordAsync(follower, "pairwise");
        var secondPassword = await pds.CreateAppPasswordAsync(second, "pairwise");
        await using var blog = await FeedServer.StartAsync();
        blog.Add(new FeedEntry("n1", "Harbour Notes", "Night market opens.", DateTimeOffset.UtcNow.AddMinutes(-10)));
        await using var redis = await RedisServer.StartAsync();

        var settings = new Dictionary<string, string>
        {
            ["Pairwise__Storage"] = "dynamodb",
            ["Pairwise__DynamoDb__ServiceUrl"] = (await DynamoDbLocal.UriAsync()).ToString(),
            ["Pairwise__DynamoDb__TableName"] = $"social-{Guid.NewGuid():N}",
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["Pairwise__Social__AllowedFeedHosts__0"] = "localhost",
            ["Pairwise__Social__AllowedFeedHosts__1"] = "127.0.0.1",
            ["Pairwise__Social__PollInterval"] = "00:00:01",
            ["Pairwise__Social__WatchInterval"] = "00:00:00",
            // Everything the server logs, to look for secrets in it.
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Pairwise"] = "Debug",
        };
        // The API node polls nothing; the worker polls both networks.
        await using var api = await ServerProcess.StartAsync(TempFolder.Create("api"), new Dictionary<string, string>(settings) { ["Pairwise__Social__Connectors"] = "" });
        await using var worker = await ServerProcess.StartWorkerAsync(TempFolder.Create("worker"), "bluesky,feeds", settings);

        var founder = await SignUpAsync(Client(api), "Mei Founder");
        var startup = (await Expect.Json(await founder.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
        {
            displayName = "Lantern Pay",
            attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong", fundingAmount = 1_000_000, description = "Payments for night markets." },
        }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var reader = await SignUpAsync(Client(api), "Ola Reader");
        await Expect.Status(await reader.Client.PutAsync($"/v1/profiles/{startup}/follow", null), HttpStatusCode.OK);
        await Expect.Status(await founder.Client.PostAsJsonAsync("/v1/posts", new { profileId = startup, text = "Lantern Pay: seed round closed." }), HttpStatusCode.Created);

        // Two accounts of one network and a feed, linked by one user; no response carries a token or the app password.
        var responses = new List<string>();
        async Task<JsonElement> LinkAsync(object request)
        {
            var response = await reader.Client.PostAsJsonAsync("/v1/me/linked-accounts", request);
            responses.Add(await response.Content.ReadAsStringAsync());
            return await Expect.Json(response, HttpStatusCode.Created);
        }
        var ola = await LinkAsync(new { provider = "bluesky", service = pds.Service.ToString(), identifier = follower.Handle, appPassword = followerPassword });
        Assert.Equal("follower-ola.test", ola.GetProperty("handle").GetString());
        await LinkAsync(new { provider = "bluesky", service = pds.Service.ToString(), identifier = second.Handle, appPassword = secondPassword });
        await LinkAsync(new { provider = "feed", url = blog.Feed });
        await Expect.Problem(await reader.Client.PostAsJsonAsync("/v1/me/linked-accounts",
            new { provider = "bluesky", service = pds.Service.ToString(), identifier = follower.Handle, appPassword = "wrong-pass-word" }), HttpStatusCode.BadRequest);

        var feed = await WaitForAsync(reader, f => Texts(f).Count == 4);
        Assert.Equal(["Lantern Pay: seed round closed.", "Harbour Notes — Night market opens.", "Lu: our demo video.", "Kai: shipping day."], Texts(feed));
        Assert.Equal(["pairwise", "feed", "bluesky", "bluesky"], Kinds(feed));
        Assert.Equal(["second-ana.test", "follower-ola.test"], feed.GetProperty("items").EnumerateArray().Skip(2).Select(i => i.GetProperty("source").GetProperty("account").GetString()));
        responses.Add(feed.GetRawText());

        // A new post reaches the feed within the polling interval; the reader watches its author and is told.
        var kai = feed.GetProperty("items")[3].GetProperty("source").GetProperty("id").GetString();
        await Expect.Status(await reader.Client.PutAsync($"/v1/watches/{kai}", null), HttpStatusCode.OK);
        var posted = Stopwatch.StartNew();
        var fresh = await pds.PostAsync(writer, "Kai: version 2 is out.");
        feed = await WaitForAsync(reader, f => Texts(f).Contains("Kai: version 2 is out."));
        Assert.True(posted.Elapsed < TimeSpan.FromSeconds(10), $"The post took {posted.Elapsed} to arrive.");
        var tray = await WaitForNotificationAsync(reader, "Kai: version 2 is out.");
        Assert.Equal("post", tray.GetProperty("type").GetString());

        // Deleted upstream: gone at the next poll.
        await pds.DeleteRecordAsync(writer, fresh.Uri);
        await WaitForAsync(reader, f => !Texts(f).Contains("Kai: version 2 is out."));

        // The PDS down: the feed answers at once from what it has, the Bluesky sources marked stale, the others not.
        await pds.StopAsync();
        feed = await WaitForAsync(reader, f => f.GetProperty("sources").EnumerateArray().Count(s => s.GetProperty("stale").GetBoolean()) == 2);
        var timed = Stopwatch.StartNew();
        feed = await Expect.Json(await reader.Client.GetAsync("/v1/social/feed"), HttpStatusCode.OK);
        Assert.True(timed.Elapsed < TimeSpan.FromSeconds(1), $"The feed took {timed.Elapsed} with a provider down.");
        Assert.Equal(4, Texts(feed).Count);
        Assert.All(feed.GetProperty("items").EnumerateArray(), i =>
            Assert.Equal(i.GetProperty("source").GetProperty("kind").GetString() == "bluesky", i.GetProperty("source").GetProperty("stale").GetBoolean()));
        blog.Add(new FeedEntry("n2", "Harbour Notes", "Rain plan.", DateTimeOffset.UtcNow));
        await WaitForAsync(reader, f => Texts(f).Contains("Harbour Notes — Rain plan."));

        // Back up: it catches up.
        await pds.StartAgainAsync();
        await pds.PostAsync(writer, "Kai: back online.");
        feed = await WaitForAsync(reader, f => Texts(f).Contains("Kai: back online.") && f.GetProperty("sources").EnumerateArray().All(s => !s.GetProperty("stale").GetBoolean()));

        // Unlinking one Bluesky account removes its items at once; the other's stay.
        await Expect.Status(await reader.Client.DeleteAsync($"/v1/me/linked-accounts/{ola.GetProperty("id").GetString()}"), HttpStatusCode.NoContent);
        feed = await Expect.Json(await reader.Client.GetAsync("/v1/social/feed"), HttpStatusCode.OK);
        Assert.DoesNotContain(Texts(feed), t => t.StartsWith("Kai:", StringComparison.Ordinal));
        Assert.Contains("Lu: our demo video.", Texts(feed));
        responses.Add(feed.GetRawText());
        responses.Add(await (await reader.Client.GetAsync("/v1/me/linked-accounts")).Content.ReadAsStringAsync());

        // No app password and no session token (a JWT) in any response or log line of either process.
        var log = api.Log.Concat(worker.Log).ToList();
        Assert.True(log.Count > 20, "The processes logged too little to be a check.");
        foreach (var secret in new[] { followerPassword, secondPassword, "eyJ" })
        {
            Assert.DoesNotContain(responses, r => r.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(log, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task WithRedisDownTheFeedAnswersFromTheStoreAndLosesNothing()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await ServerProcess.StartAsync(TempFolder.Create("node"), new Dictionary<string, string> { ["ConnectionStrings__Redis"] = redis.ConnectionString });
        var founder = await SignUpAsync(Client(node), "Mei Founder");
        var startup = (await Expect.Json(await founder.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
        {
            displayName = "Lantern Pay",
            attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong", fundingAmount = 1_000_000, description = "Payments." },
        }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var reader = await SignUpAsync(Client(node), "Ola Reader");
        await Expect.Status(await reader.Client.PutAsync($"/v1/profiles/{startup}/follow", null), HttpStatusCode.OK);
        await Expect.Status(await founder.Client.PostAsJsonAsync("/v1/posts", new { profileId = startup, text = "One." }), HttpStatusCode.Created);
        Assert.Equal(["One."], Texts(await Expect.Json(await reader.Client.GetAsync("/v1/social/feed"), HttpStatusCode.OK)));

        redis.Stop();
        await Expect.Status(await founder.Client.PostAsJsonAsync("/v1/posts", new { profileId = startup, text = "Two, while Redis is down." }), HttpStatusCode.Created);
        Assert.Equal(["Two, while Redis is down.", "One."], Texts(await Expect.Json(await reader.Client.GetAsync("/v1/social/feed"), HttpStatusCode.OK)));

        // Redis back (with whatever it kept): the list that missed the post is rebuilt, nothing is missing.
        await redis.RestartAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Expect.Status(await founder.Client.PostAsJsonAsync("/v1/posts", new { profileId = startup, text = "Three." }), HttpStatusCode.Created);
        Assert.Equal(["Three.", "Two, while Redis is down.", "One."], Texts(await Expect.Json(await reader.Client.GetAsync("/v1/social/feed"), HttpStatusCode.OK)));
    }

    private static List<string> Texts(JsonElement feed) => [.. feed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()!)];

    private static List<string> Kinds(JsonElement feed) => [.. feed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("source").GetProperty("kind").GetString()!)];

    private static HttpClient Client(ServerProcess server) => new() { BaseAddress = server.Address };

    private static async Task<JsonElement> WaitForAsync(UserSession user, Func<JsonElement, bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var feed = await Expect.Json(await user.Client.GetAsync("/v1/social/feed"), HttpStatusCode.OK);
            if (done(feed))
            {
                return feed;
            }
            Assert.True(waited.Elapsed < Soon, $"The feed did not become as expected within {Soon}: {feed.GetRawText()}");
            await Task.Delay(250);
        }
    }

    private static async Task<JsonElement> WaitForNotificationAsync(UserSession user, string text)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var tray = await Expect.Json(await user.Client.GetAsync("/v1/notifications"), HttpStatusCode.OK);
            if (tray.GetProperty("items").EnumerateArray().FirstOrDefault(n => n.GetProperty("body").GetString()!.Contains(text, StringComparison.Ordinal)) is { ValueKind: JsonValueKind.Object } found)
            {
                return found;
            }
            Assert.True(waited.Elapsed < Soon, $"No notification of '{text}' within {Soon}.");
            await Task.Delay(250);
        }
    }
}
