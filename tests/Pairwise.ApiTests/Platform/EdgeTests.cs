using Pairwise.Tests.Scenarios;

namespace Pairwise.Tests.Platform;

/// <summary>What every response carries, who may call from another origin, and who may see a draft's images.</summary>
public sealed class EdgeTests
{
    [Theory]
    [OnEachEngine]
    public async Task TheAppAndEveryAnswerCarryAStrictContentSecurityPolicyAndNoSniffing(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var client = app.CreateClient();

        var home = await client.GetAsync("/");
        var error = await client.GetAsync("/v1/me");
        using var xml = new HttpRequestMessage(HttpMethod.Get, "/v1/conversations");
        xml.Headers.Accept.ParseAdd("application/xml");
        var unauthorized = await client.SendAsync(xml);

        await Expect.Status(home, HttpStatusCode.OK);
        foreach (var response in new[] { home, error, unauthorized })
        {
            var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
        // Whatever the client accepts, an error is a problem details body.
        await Expect.Problem(unauthorized, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [OnEachEngine]
    public async Task APreflightFromAConfiguredOriginPassesAndFromAnotherItDoesNot(Engine engine)
    {
        using var app = new PairwiseApp(engine, new() { ["Pairwise:Cors:Origins:0"] = "https://app.example.com" });
        var client = app.CreateClient();

        HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/v1/conversations");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
            return request;
        }
        var allowed = await client.SendAsync(Preflight("https://app.example.com"));
        var refused = await client.SendAsync(Preflight("https://evil.example.net"));

        Assert.True(allowed.IsSuccessStatusCode);
        Assert.Equal("https://app.example.com", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", string.Join(',', allowed.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.False(allowed.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        // Without configured origins nobody gets cross-origin access.
        using var closed = new PairwiseApp(engine);
        Assert.False((await closed.CreateClient().SendAsync(Preflight("https://app.example.com"))).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [OnEachEngine]
    public async Task ADraftsImagesAreServedOnlyToItsOwnerOrThroughTheLinksTheOwnerWasGiven(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var draft = (await Marketplace.ProductAsync(seller, status: "draft")).GetProperty("id").GetString()!;
        var uploaded = await Expect.Json(await seller.Client.PostAsync($"/v1/listings/{draft}/images", Marketplace.ImageForm("photo.png")), HttpStatusCode.Created);
        var image = uploaded.GetProperty("images")[0];
        var imageId = image.GetProperty("id").GetString()!;
        var signedUrl = image.GetProperty("url").GetString()!;
        var anonymous = app.CreateClient();

        Assert.Contains("signature=", signedUrl, StringComparison.Ordinal);
        await Expect.Problem(await anonymous.GetAsync($"/v1/images/{imageId}"), HttpStatusCode.NotFound);
        await Expect.Problem(await (await app.SignUpAsync()).Client.GetAsync($"/v1/images/{imageId}"), HttpStatusCode.NotFound);
        await Expect.Problem(await anonymous.GetAsync(signedUrl.Replace("signature=", "signature=x", StringComparison.Ordinal)), HttpStatusCode.NotFound);
        await Expect.Status(await seller.Client.GetAsync($"/v1/images/{imageId}"), HttpStatusCode.OK);
        var viaLink = await anonymous.GetAsync(signedUrl);
        await Expect.Status(viaLink, HttpStatusCode.OK);
        Assert.True(viaLink.Headers.CacheControl!.Private);

        // The link expires; once published, the plain address serves everyone.
        app.Clock.Advance(TimeSpan.FromHours(8));
        await Expect.Problem(await anonymous.GetAsync(signedUrl), HttpStatusCode.NotFound);
        var login = await Expect.Json(await anonymous.PostAsJsonAsync("/v1/auth/login", new { email = seller.Email, password = seller.Password }), HttpStatusCode.OK);
        using var publish = new HttpRequestMessage(HttpMethod.Patch, $"/v1/listings/{draft}") { Content = JsonContent.Create(new { status = "active" }) };
        publish.Headers.Authorization = new("Bearer", login.GetProperty("accessToken").GetString());
        await Expect.Status(await anonymous.SendAsync(publish), HttpStatusCode.OK);
        var published = await anonymous.GetAsync($"/v1/images/{imageId}");
        await Expect.Status(published, HttpStatusCode.OK);
        Assert.True(published.Headers.CacheControl!.Public);
    }
}
