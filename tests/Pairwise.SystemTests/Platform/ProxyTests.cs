namespace Pairwise.Tests.Platform;

/// <summary>
/// The real binary behind a proxy (this test is the proxy, on loopback): forwarded addresses are
/// believed only from configured networks, per-address limits follow them, a stranger cannot lock
/// an owner out, and metrics are only for the configured networks or the metrics token.
/// </summary>
// Starts the real binary (on SQLite): runs once, not again in the DynamoDB pass.
[Trait("Category", "BinaryProcess")]
public sealed class ProxyTests
{
    private const string Password = "lantern in the harbour";

    [Fact]
    public async Task FromATrustedProxyEachForwardedClientHasItsOwnLimitsAndStrangersCannotLockTheOwnerOut()
    {
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("proxy"), new Dictionary<string, string>
        {
            ["Pairwise__Proxy__KnownNetworks__0"] = "127.0.0.0/8",
            ["Pairwise__RateLimits__AuthPerIpPerMinute"] = "12",
        });
        var http = new HttpClient { BaseAddress = server.Address };
        await Expect.Status(await Send(http, HttpMethod.Post, "/v1/auth/signup", "198.51.100.7", new { email = "owner@example.com", password = Password, displayName = "Owner" }), HttpStatusCode.Created);

        // Ten wrong passwords from one address: that address waits, the owner elsewhere logs in.
        for (var i = 0; i < 10; i++)
        {
            await Expect.Problem(await LogIn(http, "203.0.113.1", "wrong guess " + i), HttpStatusCode.Unauthorized);
        }
        var walled = await LogIn(http, "203.0.113.1", Password);
        await Expect.Problem(walled, HttpStatusCode.TooManyRequests);
        Assert.True(walled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await Expect.Status(await LogIn(http, "203.0.113.99", Password), HttpStatusCode.OK);

        // The per-address auth limit (12 a minute, a token back every 5 s) counts each forwarded client on its own.
        // The attempts go at once: one after another, 14 password checks on a busy machine can outlast 5 s and earn a token back.
        async Task<List<HttpStatusCode>> AtOnceAsync(string address, int count) =>
            [.. (await Task.WhenAll(Enumerable.Range(0, count).Select(i => LogIn(http, address, "nobody's password", $"nobody{i}@example.com")))).Select(r => r.StatusCode)];
        var first = await AtOnceAsync("203.0.113.2", 14);
        var second = await AtOnceAsync("203.0.113.3", 12);
        Assert.Equal(2, first.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.All(first.Where(s => s != HttpStatusCode.TooManyRequests), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, second);
    }

    [Fact]
    public async Task FromAnUntrustedSourceForwardedHeadersAreIgnoredAndMetricsAreClosed()
    {
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("proxy"), new Dictionary<string, string>
        {
            ["Pairwise__Proxy__KnownNetworks__0"] = "10.0.0.0/8",
            ["Pairwise__RateLimits__AuthPerIpPerMinute"] = "5",
            ["Pairwise__Metrics__AllowedNetworks__0"] = "10.0.0.0/8",
            ["Pairwise__Metrics__Token"] = "scrape-secret-123",
        });
        var http = new HttpClient { BaseAddress = server.Address };

        // Each request claims another client, but loopback is not a trusted proxy here: one address, one budget.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            statuses.Add((await LogIn(http, $"203.0.113.{i + 10}", "nobody's password", $"nobody{i}@example.com")).StatusCode);
        }
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        await Expect.Problem(await http.GetAsync("/metrics"), HttpStatusCode.Forbidden);
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "scrape-secret-123");
        var metrics = await http.SendAsync(scrape);
        await Expect.Status(metrics, HttpStatusCode.OK);
        Assert.Contains("http_server_request_duration_seconds", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> LogIn(HttpClient http, string from, string password, string email = "owner@example.com") =>
        Send(http, HttpMethod.Post, "/v1/auth/login", from, new { email, password });

    private static async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string forwardedFor, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await http.SendAsync(request);
    }
}
