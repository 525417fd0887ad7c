using System.Web;

namespace Pairwise.Tests.Accounts;

/// <summary>
/// Sign-in with a real OpenID Connect provider process (npm oidc-provider) and the real binary,
/// driven as a browser would: redirects, the provider's login form, cookies on both sites.
/// </summary>
// Starts the real binary (on SQLite): runs once, not again in the DynamoDB pass.
[Trait("Category", "BinaryProcess")]
public sealed class OidcTests
{
    [Fact]
    public async Task IdentitiesSignInMakeAccountsAndLinkOnlyFromTheSignedInAccount()
    {
        var providerPort = ServerProcess.FreePort();
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("oidc"), IdentityProvider.Settings(providerPort));
        await using var provider = await IdentityProvider.StartAsync(providerPort, server);

        var providers = await Expect.Json(await server.Client.GetAsync("/v1/auth/oidc"), HttpStatusCode.OK);
        Assert.Equal("Test ID", providers.GetProperty("items")[0].GetProperty("displayName").GetString());

        // A new identity makes a new account; the same identity on another device is the same account.
        var first = await SignInAsync(server, "alice");
        Assert.Equal("created", first["status"]);
        var second = await SignInAsync(server, "alice");
        Assert.Equal("signedin", second["status"]);
        Assert.Equal(first["userId"], second["userId"]);
        var me = await Expect.Json(await Authorized(server, second["accessToken"]!).GetAsync("/v1/me"), HttpStatusCode.OK);
        Assert.Equal("alice@example.com", me.GetProperty("email").GetString());
        Assert.True(me.GetProperty("emailVerified").GetBoolean());
        // No password yet: a fresh sign-in may set one, and then e-mail and password work too.
        await Expect.Status(await Authorized(server, second["accessToken"]!).PostAsJsonAsync("/v1/me/password", new { newPassword = "alice in wonderland" }), HttpStatusCode.NoContent);
        await Expect.Status(await server.Client.PostAsJsonAsync("/v1/auth/login", new { email = "alice@example.com", password = "alice in wonderland" }), HttpStatusCode.OK);

        // An identity whose e-mail has an account is refused until that account links it, signed in.
        var bob = await Expect.Json(await server.Client.PostAsJsonAsync("/v1/auth/signup", new { email = "bob@example.com", password = "lantern in the harbour", displayName = "Bob" }), HttpStatusCode.Created);
        var refused = await SignInAsync(server, "bob@example.com");
        Assert.Equal("link_required", refused["error"]);
        var bobClient = Authorized(server, bob.GetProperty("accessToken").GetString()!);
        var link = await Expect.Json(await bobClient.PostAsync("/v1/me/identities/test/link", null), HttpStatusCode.OK);
        var linked = await SignInAsync(server, "bob@example.com", link.GetProperty("startUrl").GetString());
        Assert.Equal("linked", linked["status"]);
        Assert.Equal(bob.GetProperty("userId").GetString(), linked["userId"]);
        Assert.Equal(bob.GetProperty("userId").GetString(), (await SignInAsync(server, "bob@example.com"))["userId"]);
        var identities = await Expect.Json(await bobClient.GetAsync("/v1/me/identities"), HttpStatusCode.OK);
        Assert.Equal("test", Assert.Single(identities.GetProperty("items").EnumerateArray()).GetProperty("provider").GetString());
        // The link token works once.
        Assert.Equal(HttpStatusCode.NotFound, (await new HttpClient().GetAsync(new Uri(server.Address, link.GetProperty("startUrl").GetString()))).StatusCode);

        // A tampered state and a replayed code are refused, never a 500.
        var (_, callback) = await SignInWithCallbackAsync(server, "carol");
        var tampered = System.Text.RegularExpressions.Regex.Replace(callback.ToString(), "state=[^&]+", "state=forged");
        Assert.Equal("failed", (await FollowAsync(server, new CookieContainer(), new Uri(tampered)))["error"]);
        Assert.Equal("failed", (await FollowAsync(server, new CookieContainer(), callback))["error"]);
    }

    [Fact]
    public async Task AnIdTokenChangedOnTheWayForgedExpiredOrWithAnotherNonceIsRefused()
    {
        var (providerPort, proxyPort) = (ServerProcess.FreePort(), ServerProcess.FreePort());
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("oidc"), IdentityProvider.Settings(proxyPort));
        await using var provider = await IdentityProvider.StartAsync(providerPort, server);

        foreach (var tampering in new[] { "none", "sub", "exp", "nonce" })
        {
            await using var proxy = NodeScript.Start("oidc-tamper.mjs", proxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                providerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), tampering);
            await proxy.WaitForAsync("ready");

            var result = await SignInAsync(server, $"erin-{tampering}");

            // Untouched, the same path signs in; with the token changed, the signature no longer holds.
            Assert.Equal(tampering == "none" ? null : "failed", result.GetValueOrDefault("error"));
            Assert.Equal(tampering == "none", result.ContainsKey("accessToken"));
            if (tampering != "none")
            {
                await proxy.WaitForAsync("tampered");
            }
        }
    }

    private static HttpClient Authorized(ServerProcess server, string token)
    {
        var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<Dictionary<string, string?>> SignInAsync(ServerProcess server, string login, string? startUrl = null) =>
        (await SignInWithCallbackAsync(server, login, startUrl)).Result;

    /// <summary>A fresh browser signs in as <paramref name="login"/>: the fragment it lands on, and the callback address it passed through.</summary>
    private static async Task<(Dictionary<string, string?> Result, Uri Callback)> SignInWithCallbackAsync(ServerProcess server, string login, string? startUrl = null)
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        var url = new Uri(server.Address, startUrl ?? "/v1/auth/oidc/test/start?returnUrl=%2Fwelcome");
        Uri? callback = null;
        for (var step = 0; step < 20; step++)
        {
            var response = await browser.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.OK && url.AbsolutePath.StartsWith("/interaction/", StringComparison.Ordinal))
            {
                // The provider's login form: anyone may be anyone here.
                response = await browser.PostAsync(url, new FormUrlEncodedContent([new("prompt", "login"), new("login", login), new("password", "anything")]));
            }
            if ((int)response.StatusCode is < 300 or >= 400)
            {
                throw new InvalidOperationException($"{(int)response.StatusCode} at {url}: {await response.Content.ReadAsStringAsync()}");
            }
            url = new Uri(url, response.Headers.Location!);
            if (url.AbsolutePath.EndsWith("/callback", StringComparison.Ordinal))
            {
                callback = url;
            }
            if (url.Port == server.Address.Port && url.Fragment.Length > 1)
            {
                return (Fragment(url), callback!);
            }
        }
        throw new InvalidOperationException("The sign-in did not finish within 20 redirects.");
    }

    private static async Task<Dictionary<string, string?>> FollowAsync(ServerProcess server, CookieContainer cookies, Uri url)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        for (var step = 0; step < 5; step++)
        {
            var response = await browser.GetAsync(url);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} at {url}");
            if (response.Headers.Location is null)
            {
                break;
            }
            url = new Uri(url, response.Headers.Location);
            if (url.Port == server.Address.Port && url.Fragment.Length > 1)
            {
                return Fragment(url);
            }
        }
        return [];
    }

    private static Dictionary<string, string?> Fragment(Uri url)
    {
        var values = HttpUtility.ParseQueryString(url.Fragment.TrimStart('#'));
        return values.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => values[k]);
    }
}
