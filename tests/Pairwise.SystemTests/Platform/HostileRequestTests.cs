using System.Net.Http.Headers;
using System.Text;

namespace Pairwise.Tests.Platform;

/// <summary>
/// Hundreds of wrong requests against the real binary: every one gets a 4xx problem, none a 5xx,
/// and the server is still healthy afterwards.
/// </summary>
// Starts the real binary (on SQLite): runs once, not again in the DynamoDB pass.
[Trait("Category", "BinaryProcess")]
public sealed class HostileRequestTests
{
    private static readonly (string Method, string Path)[] JsonEndpoints =
    [
        ("POST", "/v1/auth/signup"), ("POST", "/v1/auth/login"), ("POST", "/v1/auth/refresh"),
        ("POST", "/v1/auth/email/verify"), ("POST", "/v1/auth/phone"), ("POST", "/v1/auth/phone/verify"),
        ("PUT", "/v1/me/mode"), ("PUT", "/v1/markets/venture/profiles/startup"), ("PUT", "/v1/markets/gigs/profiles/worker"),
        ("PUT", "/v1/markets/marketplace/profiles/buyer"), ("POST", "/v1/markets/marketplace/listings"),
        ("POST", "/v1/markets/venture/listings"), ("POST", "/v1/operator/listings/lst_00000000000000000000000000000000/promotion"),
        ("POST", "/v1/reports"), ("PUT", "/v1/me/notification-preferences"), ("POST", "/v1/notifications"),
        ("POST", "/v1/conversations/cnv_00000000000000000000000000000000/messages"), ("POST", "/v1/conversations/cnv_00000000000000000000000000000000/read"),
        ("POST", "/v1/users/usr_00000000000000000000000000000000/reviews"), ("PUT", "/v1/me/digest"),
        ("POST", "/v1/operator/mail/suppressions"),
    ];

    private static readonly string[] Bodies =
    [
        "", "{", "}", "[]", "null", "\"text\"", "12345", "{\"email\":[]}", "{\"email\":{\"$ne\":null}}", "{\"password\":123}",
        "{\"code\":\"12345678901234567890\"}", "{\"attributes\":\"x\"}", "{\"attributes\":{\"industry\":{\"a\":1}}}",
        "{\"attributes\":{\"fundingAmount\":1e400}}", "{\"attributes\":{\"hourlyRateRange\":{\"min\":5}}}",
        "{\"attributes\":{\"location\":{\"lat\":\"NaN\",\"lon\":1}}}", "{\"preferences\":{\"tags\":[null,1,{}]}}",
        "{\"email\":\"a\\u0000b@example.com\",\"password\":\"x\\u0000y passphrase\",\"displayName\":\"\\u0000\"}",
        "{\"market\":\"../../etc\",\"side\":\"' OR 1=1 --\"}", "{\"phone\":\"+1' OR '1'='1\"}",
        new string('[', 5000) + new string(']', 5000),
        "{\"displayName\":\"" + new string('x', 100_000) + "\"}",
        "{\"email\":\"x@example.com\",\"email\":\"y@example.com\"}",
    ];

    [Fact]
    public async Task TwoHundredWrongRequestsGetProblemsAndNoServerErrors()
    {
        var data = TempFolder.Create("hostile");
        await using var server = await ServerProcess.StartAsync(data);
        var client = server.Client;
        var victim = await SignUp(client, "victim@example.com");
        var attacker = await SignUp(client, "attacker@example.com");
        var victimProfile = await client.SendAsync(Json("PUT", "/v1/markets/venture/profiles/investor",
            "{\"attributes\":{\"industries\":[\"fintech\"],\"fundingStages\":[\"seed\"]}}", victim));
        var victimProfileId = (await victimProfile.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var requests = new List<Func<HttpRequestMessage>>();
        foreach (var (method, path) in JsonEndpoints)
        {
            foreach (var body in Bodies)
            {
                requests.Add(() => Json(method, path, body, attacker));
            }
            requests.Add(() => Json(method, path, "{\"email\":\"a@b.c\"}", token: null));
            requests.Add(() => Json(method, path, "{\"email\":\"a@b.c\"}", token: "not.a.jwt"));
            requests.Add(() => new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("email=a", Encoding.UTF8, "application/x-www-form-urlencoded"), Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent([0xff, 0xfe, 0x00, 0xc3]) { Headers = { ContentType = new("application/json") } }, Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => Json(method, path, "{\"displayName\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", attacker));
        }
        string[] paths =
        [
            "/v1/nothing", "/v1/markets/" + new string('m', 3000), "/v1/profiles/" + victimProfileId + "x",
            "/v1/profiles/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/v1/markets/venture/profiles/startup/me", "/v1/markets/../../../etc/passwd",
            "/v1/markets/venture/profiles/%F0%9F%92%A5/me", "/v1/me?cursor=%ff", "/openapi/v2.json",
        ];
        foreach (var path in paths)
        {
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Delete, path));
        }
        foreach (var method in new[] { "DELETE", "PATCH", "POST" })
        {
            requests.Add(() => new HttpRequestMessage(new HttpMethod(method), "/v1/markets") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(new HttpMethod(method), "/v1/me") { Headers = { Authorization = Bearer(attacker) } });
        }
        // Listings, images, bookmarks, feeds and swipes, with the victim's card and made-up ids.
        var victimCard = (await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/markets/venture/profiles/investor/me") { Headers = { Authorization = Bearer(victim) } }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cardId").GetString();
        foreach (var id in new[] { victimCard, "lst_00000000000000000000000000000000", "nonsense", "lst_" + new string('f', 32) + "x", "%20" })
        {
            foreach (var body in new[] { "{", "[]", "{\"action\":\"destroy\"}", "{\"action\":7}", "{\"title\":[]}", "{\"price\":\"free\"}", "{\"imageIds\":\"x\"}", "{\"status\":\"sold\"}" })
            {
                requests.Add(() => Json("POST", $"/v1/listings/{id}/swipe", body, attacker));
                requests.Add(() => Json("PATCH", $"/v1/listings/{id}", body, attacker));
                requests.Add(() => Json("PUT", $"/v1/listings/{id}/images/order", body, attacker));
            }
            requests.Add(() => new HttpRequestMessage(HttpMethod.Delete, $"/v1/listings/{id}") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Delete, $"/v1/listings/{id}/swipe") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Put, $"/v1/bookmarks/{id}") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Delete, $"/v1/matches/{id}") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Post, $"/v1/listings/{id}/images") { Content = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "x.png" } }, Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Post, $"/v1/listings/{id}/images") { Content = new StringContent("{}", Encoding.UTF8, "application/json"), Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/images/{id}"));
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/conversations/{id}/messages?around={id}") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Post, $"/v1/conversations/{id}/typing") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Post, $"/v1/users/{id}/block") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/users/{id}/reviews?limit=500") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Post, $"/v1/listings/{id}/responses") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/listings/{id}/responses") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Post, $"/v1/listings/{id}/responses/{id}/select") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Post, $"/v1/listings/{id}/complete") { Headers = { Authorization = Bearer(attacker) } });
        }
        foreach (var query in new[] { "near=abc", "near=1,2,3", "radiusKm=-5&near=1,1", "limit=-1", "limit=99999999999", "cursor=%%%", "minPrice=1e999", "tags=" + new string('t', 500), "owner=../x", "side=nobody&limit=abc" })
        {
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/markets/marketplace/listings?{query}") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/markets/venture/feed?{query}") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/markets/venture/feed?{query}") { Headers = { Authorization = Bearer(victim) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/bookmarks?{query}") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/matches?{query}") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/me/listings?{query}") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/conversations?{query}") { Headers = { Authorization = Bearer(attacker) } });
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/operator/stats?days={query}") { Headers = { Authorization = Bearer(attacker) } });
        }

        // Someone else's things: the attacker can read only the public view, and change nothing of the victim's.
        requests.Add(() => new HttpRequestMessage(HttpMethod.Delete, $"/v1/profiles/{victimProfileId}") { Headers = { Authorization = Bearer(attacker) } });
        requests.Add(() => Json("POST", "/v1/auth/refresh", $"{{\"refreshToken\":\"{victim.GetProperty("accessToken").GetString()}\"}}", attacker));
        requests.Add(() => Json("PUT", "/v1/me/mode", "{\"market\":\"venture\",\"side\":\"investor\"}", attacker));

        // Kestrel refuses a NUL in the request target at the protocol level, before any endpoint: a bare 400.
        requests.Add(() => new HttpRequestMessage(HttpMethod.Get, "/v1/markets/%00"));

        Assert.True(requests.Count >= 200, $"only {requests.Count} requests");
        var failures = new List<string>();
        foreach (var make in requests)
        {
            using var request = make();
            var description = $"{request.Method} {Truncate(request.RequestUri!.OriginalString)}";
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (HttpRequestException e)
            {
                // A refused oversized body may reset the connection before the 413 is read; that is not a crash.
                failures.AddRange(await client.GetAsync("/health/live") is { IsSuccessStatusCode: true } ? [] : [$"{description}: server down after {e.Message}"]);
                continue;
            }
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                failures.Add($"{description}: {status} {await response.Content.ReadAsStringAsync()}");
            }
            else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json" && !description.EndsWith("%00", StringComparison.Ordinal))
            {
                failures.Add($"{description}: {status} without a problem body");
            }
        }

        Assert.Empty(failures);
        await Expect.Status(await client.GetAsync("/health/ready"), HttpStatusCode.OK);
        var stillMine = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/markets/venture/profiles/investor/me") { Headers = { Authorization = Bearer(victim) } });
        await Expect.Status(stillMine, HttpStatusCode.OK);
        var attackersView = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/markets/venture/profiles/investor/me") { Headers = { Authorization = Bearer(attacker) } });
        await Expect.Status(attackersView, HttpStatusCode.NotFound);
        TempFolder.Delete(data);
    }

    private static async Task<JsonElement> SignUp(HttpClient client, string email) =>
        await Expect.Json(await client.PostAsJsonAsync("/v1/auth/signup", new { email, password = "hostile passphrase", displayName = "H" }), HttpStatusCode.Created);

    private static HttpRequestMessage Json(string method, string path, string body, JsonElement? user) =>
        Json(method, path, body, user?.GetProperty("accessToken").GetString());

    private static HttpRequestMessage Json(string method, string path, string body, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    private static AuthenticationHeaderValue Bearer(JsonElement user) => new("Bearer", user.GetProperty("accessToken").GetString());

    private static string Truncate(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
