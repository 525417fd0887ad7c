using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pairwise.Tests.Scenarios;
using static Pairwise.Tests.Scenarios.Gql;

namespace Pairwise.Tests.Graph;

/// <summary>Hostile documents and requests: each is a 4xx or a GraphQL error, never a 5xx, nothing logged as an error, and the server stays healthy.</summary>
public sealed class GraphLimitsTests
{
    [Theory]
    [OnEachEngine]
    public async Task HostileDocumentsAreRefusedAndTheServerStaysHealthy(Engine engine)
    {
        var errors = new ErrorLog();
        using var app = new PairwiseApp(engine, services: services => services.AddSingleton<ILoggerProvider>(errors));
        var user = await app.SignUpAsync();
        var client = user.Client;

        var deep = "{ " + string.Concat(Enumerable.Repeat("me { ", 10_000)) + "id" + new string('}', 10_001);
        var aliases = "{ " + string.Join(' ', Enumerable.Range(0, 5_000).Select(i => $"a{i}: markets {{ id }}")) + " }";
        var huge = "{ markets { id } } # " + new string('x', 5 * 1024 * 1024);
        var cyclic = "query { me { ...A } } fragment A on Me { profiles { id } ...B } fragment B on Me { ...A }";
        var expensive = "{ " + string.Join(' ', Enumerable.Range(0, 40).Select(i => $"l{i}: listings(market: \"marketplace\", first: 100) {{ nodes {{ id title tags images {{ url }} owner {{ displayName }} }} }}")) + " }";
        var cases = new List<(string Name, HttpRequestMessage Request, string? Code)>
        {
            ("depth 10,000", Post(deep), null),
            ("5,000 aliases", Post(aliases), null),
            ("5 MB document", Post(huge), null),
            ("cyclic fragments", Post(cyclic), "GRAPHQL_VALIDATION_FAILED"),
            ("cost", Post(expensive), "QUERY_TOO_COMPLEX"),
            ("mutation over GET", new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString("mutation { deleteProduct(id: \"lst_x\") }")), null),
            ("invalid JSON", Raw("{\"query\": \"{ markets { id } }\""), null),
            ("not an object", Raw("\"{ markets { id } }\""), null),
            ("a batch", Raw("[{\"query\": \"{ markets { id } }\"}, {\"query\": \"{ me { id } }\"}]"), null),
            ("text/plain", new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("{ markets { id } }") }, null),
            ("wrong variable type", Post("query($n: Int) { listings(market: \"marketplace\", first: $n) { nodes { id } } }", new { n = "ten" }), "BAD_USER_INPUT"),
            ("variables not an object", Raw("{\"query\": \"{ markets { id } }\", \"variables\": [1, 2]}"), null),
            ("a missing variable", Post("query($id: ID!) { listing(id: $id) { id } }", new { }), "BAD_USER_INPUT"),
            ("a lone surrogate in JSON", Post("mutation($a: JSON) { updateProfile(market: \"marketplace\", side: \"buyer\", input: { attributes: $a }) { id } }", null, "{\"a\": {\"note\": \"\\ud800\"}}"), null),
            ("syntax", Post("{ markets { id "), "GRAPHQL_PARSE_FAILED"),
            ("no query", Raw("{}"), null),
            ("unknown operation", Post("query A { markets { id } }", operationName: "B"), null),
            ("a first of a million", Post("{ listings(market: \"marketplace\", first: 1000000) { nodes { id } } }"), null),
            ("PUT", new HttpRequestMessage(HttpMethod.Put, "/graphql") { Content = JsonContent.Create(new { query = "{ markets { id } }" }) }, null),
        };
        foreach (var (name, request, code) in cases)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Chat.Token(user));
            var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{name}: {(int)response.StatusCode} {body}");
            var json = JsonDocument.Parse(body).RootElement;
            Assert.True(json.TryGetProperty("errors", out var list) && list.GetArrayLength() > 0, $"{name}: no errors in {body[..Math.Min(body.Length, 500)]}");
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            if (code is not null)
            {
                Assert.Contains(code, Codes(json));
            }
            if (!response.IsSuccessStatusCode)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/health/ready")).StatusCode);
        Assert.Equal(3, (await DataAsync(client, "{ markets { id } }")).GetProperty("markets").GetArrayLength());
        Assert.Empty(errors.Entries);
    }

    [Theory]
    [OnEachEngine]
    public async Task TheTransportFollowsGraphQLOverHttp(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();

        // GET runs queries, with variables; a mutation over GET is 405 and runs nothing.
        var get = await Expect.Json(await user.Client.GetAsync("/graphql?query=" + Uri.EscapeDataString("query($id: ID!) { market(id: $id) { name } }") + "&variables=" + Uri.EscapeDataString("{\"id\":\"venture\"}")), HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(get.GetProperty("data").GetProperty("market").GetProperty("name").GetString()));
        var mutation = await user.Client.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { updateAccount(input: { displayName: \"Changed\" }) { displayName } }"));
        await Expect.Problem(mutation, HttpStatusCode.MethodNotAllowed);
        Assert.Equal("POST", mutation.Content.Headers.Allow.Single());
        Assert.NotEqual("Changed", (await DataAsync(user.Client, "{ me { displayName } }")).GetProperty("me").GetProperty("displayName").GetString());

        // application/graphql-response+json when asked for: a document that cannot run is then a 400.
        using var strict = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ nothing }" }) };
        strict.Headers.Accept.ParseAdd("application/graphql-response+json");
        var strictResponse = await user.Client.SendAsync(strict);
        Assert.Equal(HttpStatusCode.BadRequest, strictResponse.StatusCode);
        Assert.Equal("application/graphql-response+json", strictResponse.Content.Headers.ContentType?.MediaType);
        var loose = await user.Client.PostAsJsonAsync("/graphql", new { query = "{ nothing }" });
        Assert.Equal(HttpStatusCode.OK, loose.StatusCode);
        Assert.Equal("application/json", loose.Content.Headers.ContentType?.MediaType);

        // The SDL and the explorer.
        var sdl = await app.CreateClient().GetStringAsync("/graphql/schema.graphql");
        Assert.Contains("type Query", sdl);
        Assert.Contains("roomMessages(roomId: ID!): Message!", sdl);
        using var browser = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        browser.Headers.Accept.ParseAdd("text/html");
        var page = await app.CreateClient().SendAsync(browser);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("/lib/graphiql/graphiql.min.js", html);
        Assert.Contains("style-src 'self' 'unsafe-inline'", page.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [OnEachEngine]
    public async Task PersistedQueriesAreLearnedOnceAndThenSentByHash(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();
        const string query = "{ markets { id name } }";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)));
        var byHash = new { extensions = new { persistedQuery = new { version = 1, sha256Hash = hash } } };

        Assert.Equal(["PERSISTED_QUERY_NOT_FOUND"], Codes(await Expect.Json(await user.Client.PostAsJsonAsync("/graphql", byHash), HttpStatusCode.OK)));
        var learned = await Expect.Json(await user.Client.PostAsJsonAsync("/graphql", new { query, byHash.extensions }), HttpStatusCode.OK);
        Assert.Equal(3, learned.GetProperty("data").GetProperty("markets").GetArrayLength());
        Assert.Equal(3, (await Expect.Json(await user.Client.PostAsJsonAsync("/graphql", byHash), HttpStatusCode.OK)).GetProperty("data").GetProperty("markets").GetArrayLength());
        // By hash over GET too (cacheable by a CDN).
        var extensions = Uri.EscapeDataString(JsonSerializer.Serialize(byHash.extensions));
        Assert.Equal(3, (await Expect.Json(await user.Client.GetAsync($"/graphql?extensions={extensions}"), HttpStatusCode.OK)).GetProperty("data").GetProperty("markets").GetArrayLength());
        // A hash that is not the document's is refused.
        var wrong = await Expect.Json(await user.Client.PostAsJsonAsync("/graphql", new { query = "{ me { id } }", byHash.extensions }), HttpStatusCode.OK);
        Assert.Equal(["BAD_USER_INPUT"], Codes(wrong));
    }

    [Theory]
    [OnEachEngine]
    public async Task SendsSpendTheSameBudgetAsRest(Engine engine)
    {
        using var app = new PairwiseApp(engine, new() { ["Pairwise:RateLimits:SendBurst"] = "3", ["Pairwise:RateLimits:SendsPerMinute"] = "1" });
        var pair = await Chat.MatchAsync(app);
        await Chat.SendAsync(pair.Investor, pair.ConversationId, "one");
        await Chat.SendAsync(pair.Investor, pair.ConversationId, "two");
        const string send = "mutation($r: ID!, $c: String!) { sendMessage(roomId: $r, text: \"over GraphQL\", clientMessageId: $c) { id } }";
        await DataAsync(pair.Investor.Client, send, new { r = pair.ConversationId, c = "g1" });
        var limited = await RunAsync(pair.Investor.Client, send, new { r = pair.ConversationId, c = "g2" });
        Assert.Equal(["RATE_LIMITED"], Codes(limited));
        Assert.True(limited.GetProperty("errors")[0].GetProperty("extensions").GetProperty("retryAfter").GetInt32() > 0);
        await Expect.Problem(await pair.Investor.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/messages", new { text = "four", clientMessageId = "r4" }), HttpStatusCode.TooManyRequests);
    }

    private static HttpRequestMessage Post(string query, object? variables = null, string? rawVariables = null, string? operationName = null) =>
        rawVariables is null
            ? new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables, operationName }) }
            : Raw($"{{\"query\": {JsonSerializer.Serialize(query)}, \"variables\": {rawVariables}}}");

    private static HttpRequestMessage Raw(string body) =>
        new(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
