using System.Net.Http.Headers;

namespace Pairwise.Tests.Accounts;

/// <summary>The account after sign-up: name, password, e-mail address, forgotten password, devices.</summary>
public sealed class AccountLifeTests
{
    [Theory]
    [OnEachEngine]
    public async Task ChangingThePasswordEndsEveryOtherSessionAndNeedsTheCurrentOne(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var phone = await app.SignUpAsync("ada@example.com", "analytical engine");
        var (laptop, laptopRefresh) = await LogInAsync(app, "ada@example.com", "analytical engine", "Laptop");

        var wrong = await Expect.Problem(await phone.Client.PostAsJsonAsync("/v1/me/password", new { currentPassword = "not it at all", newPassword = "difference engine two" }), HttpStatusCode.BadRequest);
        Assert.True(wrong.GetProperty("errors").TryGetProperty("currentPassword", out _));
        var weak = await Expect.Problem(await phone.Client.PostAsJsonAsync("/v1/me/password", new { currentPassword = "analytical engine", newPassword = "Passw0rd!" }), HttpStatusCode.BadRequest);
        Assert.True(weak.GetProperty("errors").TryGetProperty("newPassword", out _));
        await Expect.Status(await phone.Client.PostAsJsonAsync("/v1/me/password", new { currentPassword = "analytical engine", newPassword = "difference engine two" }), HttpStatusCode.NoContent);

        // The laptop's session is over: its access token at once, its refresh token too. The phone's goes on.
        await Expect.Problem(await laptop.GetAsync("/v1/me"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await app.CreateClient().PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = laptopRefresh }), HttpStatusCode.Unauthorized);
        await Expect.Status(await phone.Client.GetAsync("/v1/me"), HttpStatusCode.OK);
        await Expect.Status(await app.CreateClient().PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = phone.RefreshToken }), HttpStatusCode.OK);
        await Expect.Problem(await app.CreateClient().PostAsJsonAsync("/v1/auth/login", new { email = "ada@example.com", password = "analytical engine" }), HttpStatusCode.Unauthorized);
        await LogInAsync(app, "ada@example.com", "difference engine two", "Tablet");
    }

    [Theory]
    [OnEachEngine]
    public async Task ANewAddressWorksOnlyOnceItsCodeComesBackAndTheOldOneIsTold(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var ada = await app.SignUpAsync("ada@example.com", "analytical engine");
        await app.SignUpAsync("taken@example.com");

        await Expect.Problem(await ada.Client.PostAsJsonAsync("/v1/me/email", new { email = "taken@example.com" }), HttpStatusCode.Conflict);
        await Expect.Status(await ada.Client.PostAsJsonAsync("/v1/me/email", new { email = "Ada@NewMail.example" }), HttpStatusCode.Accepted);
        await Expect.Problem(await app.CreateClient().PostAsJsonAsync("/v1/auth/login", new { email = "ada@newmail.example", password = "analytical engine" }), HttpStatusCode.Unauthorized);
        await Expect.Problem(await ada.Client.PostAsJsonAsync("/v1/me/email/verify", new { code = "000000" }), HttpStatusCode.BadRequest);

        var me = await Expect.Json(await ada.Client.PostAsJsonAsync("/v1/me/email/verify", new { code = app.LatestEmailCode("ada@newmail.example") }), HttpStatusCode.OK);

        Assert.Equal("ada@newmail.example", me.GetProperty("email").GetString());
        Assert.True(me.GetProperty("emailVerified").GetBoolean());
        await LogInAsync(app, "ada@newmail.example", "analytical engine", "Phone");
        await Expect.Problem(await app.CreateClient().PostAsJsonAsync("/v1/auth/login", new { email = "ada@example.com", password = "analytical engine" }), HttpStatusCode.Unauthorized);
        Assert.Contains(await app.MailsToAsync("ada@example.com"), m => m.Contains("ada@newmail.example", StringComparison.Ordinal) && m.Contains("was changed", StringComparison.Ordinal));
        // The old address is free for someone else now.
        await app.SignUpAsync("ada@example.com");
    }

    [Theory]
    [OnEachEngine]
    public async Task AForgottenPasswordIsResetWithTheMailedCodeAndEverySessionEnds(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var ada = await app.SignUpAsync("ada@example.com", "analytical engine");
        var anonymous = app.CreateClient();

        await Expect.Status(await anonymous.PostAsJsonAsync("/v1/auth/password/forgot", new { email = "nobody@example.com" }), HttpStatusCode.Accepted);
        Assert.Empty(await app.MailsToAsync("nobody@example.com"));
        await Expect.Status(await anonymous.PostAsJsonAsync("/v1/auth/password/forgot", new { email = "ada@example.com" }), HttpStatusCode.Accepted);
        var code = app.LatestEmailCode("ada@example.com");
        var unknown = await Expect.Problem(await anonymous.PostAsJsonAsync("/v1/auth/password/reset", new { email = "nobody@example.com", code, newPassword = "difference engine two" }), HttpStatusCode.BadRequest);
        var wrongCode = await Expect.Problem(await anonymous.PostAsJsonAsync("/v1/auth/password/reset", new { email = "ada@example.com", code = code == "111111" ? "222222" : "111111", newPassword = "difference engine two" }), HttpStatusCode.BadRequest);
        Assert.Equal("No pending code", unknown.GetProperty("title").GetString());
        Assert.StartsWith("The code is wrong", wrongCode.GetProperty("detail").GetString());

        await Expect.Status(await anonymous.PostAsJsonAsync("/v1/auth/password/reset", new { email = "ada@example.com", code, newPassword = "difference engine two" }), HttpStatusCode.NoContent);

        await Expect.Problem(await ada.Client.GetAsync("/v1/me"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = ada.RefreshToken }), HttpStatusCode.Unauthorized);
        await LogInAsync(app, "ada@example.com", "difference engine two", "Phone");
        // A code works once.
        await Expect.Problem(await anonymous.PostAsJsonAsync("/v1/auth/password/reset", new { email = "ada@example.com", code, newPassword = "a third sturdy one" }), HttpStatusCode.BadRequest);
    }

    [Theory]
    [OnEachEngine]
    public async Task IListMyDevicesAndSignOneOutOrAllOthers(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        await app.SignUpAsync("ada@example.com", "analytical engine");
        var (phone, _) = await LogInAsync(app, "ada@example.com", "analytical engine", "Phone/1.0");
        var (laptop, laptopRefresh) = await LogInAsync(app, "ada@example.com", "analytical engine", "Laptop/2.0");
        var (tablet, _) = await LogInAsync(app, "ada@example.com", "analytical engine", "Tablet/3.0");

        var sessions = (await Expect.Json(await phone.GetAsync("/v1/me/sessions"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, sessions.Count);
        var current = Assert.Single(sessions, s => s.GetProperty("current").GetBoolean());
        Assert.Equal("Phone/1.0", current.GetProperty("userAgent").GetString());
        var laptopSession = sessions.Single(s => s.GetProperty("userAgent").GetString() == "Laptop/2.0").GetProperty("id").GetString();

        await Expect.Status(await phone.DeleteAsync($"/v1/me/sessions/{laptopSession}"), HttpStatusCode.NoContent);
        await Expect.Problem(await laptop.GetAsync("/v1/me"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await app.CreateClient().PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = laptopRefresh }), HttpStatusCode.Unauthorized);
        await Expect.Problem(await phone.DeleteAsync($"/v1/me/sessions/{laptopSession}"), HttpStatusCode.NotFound);
        // Someone else's session id is not mine to end.
        var other = await app.SignUpAsync();
        await Expect.Problem(await other.Client.DeleteAsync($"/v1/me/sessions/{current.GetProperty("id").GetString()}"), HttpStatusCode.NotFound);
        await Expect.Status(await tablet.GetAsync("/v1/me"), HttpStatusCode.OK);

        var ended = await Expect.Json(await phone.PostAsync("/v1/me/sessions/end-others", null), HttpStatusCode.OK);
        Assert.Equal(2, ended.GetProperty("ended").GetInt32());
        await Expect.Problem(await tablet.GetAsync("/v1/me"), HttpStatusCode.Unauthorized);
        Assert.Single((await Expect.Json(await phone.GetAsync("/v1/me/sessions"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [OnEachEngine]
    public async Task MyNameChangesAndMustBePlainText(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var ada = await app.SignUpAsync();

        var me = await Expect.Json(await ada.Client.PatchAsJsonAsync("/v1/me", new { displayName = "Ada Lovelace" }), HttpStatusCode.OK);

        Assert.Equal("Ada Lovelace", me.GetProperty("displayName").GetString());
        await Expect.Problem(await ada.Client.PatchAsJsonAsync("/v1/me", new { displayName = "Ada\u202e" }), HttpStatusCode.BadRequest);
        await Expect.Problem(await ada.Client.PatchAsJsonAsync("/v1/me", new { displayName = "" }), HttpStatusCode.BadRequest);
    }

    private static async Task<(HttpClient Client, string RefreshToken)> LogInAsync(PairwiseApp app, string email, string password, string device)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(device);
        var tokens = await Expect.Json(await client.PostAsJsonAsync("/v1/auth/login", new { email, password }), HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        return (client, tokens.GetProperty("refreshToken").GetString()!);
    }
}
