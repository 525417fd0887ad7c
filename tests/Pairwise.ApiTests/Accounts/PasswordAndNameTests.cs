namespace Pairwise.Tests.Accounts;

public sealed class PasswordAndNameTests
{
    [Theory]
    [OnEachEngine("Passw0rd!", "common")]
    [OnEachEngine("P@$$w0rd2024", "common")]
    [OnEachEngine("pairwise", "name")]
    [OnEachEngine("pairwise2026!", "name")]
    [OnEachEngine("Pairwise-Pairwise", "name")]
    [OnEachEngine("lantern-mei-1990", "name")]
    [OnEachEngine("\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b", "visible")]
    [OnEachEngine("\u3000\u200c\u3000\u200d\u2060\ufeff\u3000\u200b", "visible")]
    [OnEachEngine("ｐａｓｓｗｏｒｄ１２３", "common")]
    public async Task AWeakPasswordIsRefusedWithItsReason(Engine engine, string password, string reason)
    {
        using var app = new PairwiseApp(engine);

        var refused = await Expect.Problem(await app.CreateClient().PostAsJsonAsync("/v1/auth/signup",
            new { email = "mei.lantern@example.com", password, displayName = "Mei Lantern" }), HttpStatusCode.BadRequest);

        var message = refused.GetProperty("errors").GetProperty("password")[0].GetString()!;
        Assert.Contains(reason switch { "common" => "most common", "name" => "site's name, your e-mail address or your name", _ => "visible characters" }, message);
    }

    [Theory]
    [OnEachEngine("correct horse battery staple")]
    [OnEachEngine("Lantern stays lit at night")]
    [OnEachEngine("8 ducks in a wet row")]
    public async Task AGoodPasswordIsAccepted(Engine engine, string password)
    {
        using var app = new PairwiseApp(engine);
        await Expect.Status(await app.CreateClient().PostAsJsonAsync("/v1/auth/signup",
            new { email = "mei.lantern@example.com", password, displayName = "Mei Lantern" }), HttpStatusCode.Created);
    }

    [Theory]
    [OnEachEngine("Mei\u0000Lantern")]
    [OnEachEngine("Mei\r\nBcc: everyone@example.com")]
    [OnEachEngine("\u202egnp.exe")]
    [OnEachEngine("Mei\u2066Lantern")]
    public async Task ANameWithControlsOrDirectionOverridesIsRefused(Engine engine, string name)
    {
        using var app = new PairwiseApp(engine);
        var client = app.CreateClient();

        var signup = await Expect.Problem(await client.PostAsJsonAsync("/v1/auth/signup", new { email = "mei@example.com", password = "correct horse battery", displayName = name }), HttpStatusCode.BadRequest);
        Assert.True(signup.GetProperty("errors").TryGetProperty("displayName", out _));
        var user = await app.SignUpAsync();
        var profile = await Expect.Problem(await user.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new { displayName = name }), HttpStatusCode.BadRequest);
        Assert.True(profile.GetProperty("errors").TryGetProperty("displayName", out _));
        await Expect.Status(await user.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { displayName = "Mei's Corner", attributes = new { shopName = "Mei" } }), HttpStatusCode.Created);
        var listing = await Expect.Problem(await user.Client.PostAsJsonAsync("/v1/markets/marketplace/listings",
            new { title = name, price = 10, location = new { lat = 22.28, lon = 114.16 }, attributes = new { condition = "used" } }), HttpStatusCode.BadRequest);
        Assert.True(listing.GetProperty("errors").TryGetProperty("title", out _));
    }
}
