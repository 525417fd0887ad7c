using System.Text.RegularExpressions;
using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Delivery;

/// <summary>Mail through the durable outbox to a real SMTP server process.</summary>
// Starts the real binary (on SQLite): runs once, not again in the DynamoDB pass.
[Trait("Category", "BinaryProcess")]
public sealed class MailTests
{
    [Fact]
    public async Task MailGoesOverSmtpAsTextAndHtml()
    {
        await using var smtp = await SmtpSink.StartAsync();
        using var app = new PairwiseApp(Engine.Sqlite, smtp.Settings());

        var user = await app.SignUpAsync();

        var mail = await smtp.WaitForAcceptedAsync();
        Assert.Contains(user.Email, mail.GetProperty("to").GetString());
        var raw = mail.GetProperty("raw").GetString()!;
        Assert.Contains("text/plain", raw);
        Assert.Contains("text/html", raw);
        Assert.EndsWith("@pairwise.local", mail.GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task AMailInterruptedBeforeTheServerAcceptedItIsSentOnceAfterARestartWithTheSameMessageId()
    {
        await using var smtp = await SmtpSink.StartAsync(holdFirst: true);
        var data = TempFolder.Create("outbox");
        var settings = smtp.Settings("__").ToDictionary(s => s.Key, s => s.Value!);
        settings["Pairwise__Smtp__TimeoutSeconds"] = "4";
        var first = await ServerProcess.StartAsync(data, settings);
        var user = await SignUpAsync(first.Client, "Kim Killed");

        // The outbox row is written and the SMTP server has the whole message, but has not said 250.
        var held = await smtp.WaitForHeldAsync();
        first.Kill();
        await first.DisposeAsync();
        await using var second = await ServerProcess.StartAsync(data, settings);

        var sent = await smtp.WaitForAcceptedAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(held.GetProperty("messageId").GetString(), sent.GetProperty("messageId").GetString());
        Assert.Contains(user.Email, sent.GetProperty("to").GetString());
        // And only once: the delivered mail left the outbox.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Single(smtp.AcceptedFor(user.Email));
        TempFolder.Delete(data);
    }

    [Fact]
    public async Task AnAddressThatBouncedGetsNoMoreMail()
    {
        var operatorEmail = $"ops-{Guid.NewGuid():N}@example.com";
        await using var smtp = await SmtpSink.StartAsync();
        var settings = smtp.Settings();
        settings["Pairwise:Operators:0"] = operatorEmail;
        using var app = new PairwiseApp(Engine.Sqlite, settings);
        var ops = await app.SignUpAsync(operatorEmail);
        await Expect.Status(await ops.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = await smtp.VerificationCodeAsync(operatorEmail) }), HttpStatusCode.OK);

        var bouncer = await app.SignUpAsync($"bounce-{Guid.NewGuid():N}@example.com");
        await app.DrainMailAsync();
        var list = await Expect.Json(await ops.Client.GetAsync("/v1/operator/mail/suppressions"), HttpStatusCode.OK);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), s => s.GetProperty("email").GetString() == bouncer.Email && s.GetProperty("reason").GetString() == "bounce");

        // A complaint reported by the provider stops mail just the same.
        var complainer = await app.SignUpAsync();
        await app.DrainMailAsync();
        await Expect.Status(await ops.Client.PostAsJsonAsync("/v1/operator/mail/suppressions", new { email = complainer.Email, reason = "complaint" }), HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await Expect.Status(await complainer.Client.PostAsync("/v1/auth/email/resend", null), HttpStatusCode.Accepted);
        await app.DrainMailAsync();

        Assert.Single(smtp.AcceptedFor(complainer.Email));
        Assert.Empty(smtp.AcceptedFor(bouncer.Email));
        await Expect.Problem(await ops.Client.PostAsJsonAsync("/v1/operator/mail/suppressions", new { email = complainer.Email, reason = "dislike" }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ANotificationMailLinksIntoTheAppAndUnsubscribesWithOneClick()
    {
        await using var smtp = await SmtpSink.StartAsync();
        var settings = smtp.Settings();
        settings["Pairwise:PublicUrl"] = "https://pairwise.example.com/";
        using var app = new PairwiseApp(Engine.Sqlite, settings);
        var founder = await app.SignUpAsync();
        await Expect.Status(await founder.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = await smtp.VerificationCodeAsync(founder.Email) }), HttpStatusCode.OK);

        // A match is e-mailed (by default): it links to the conversation and offers one-click unsubscribe (RFC 8058).
        var pair = await MatchAsync(app.CreateClient, founder);
        var raw = (await smtp.WaitForMailAsync(founder.Email, "You matched")).GetProperty("raw").GetString()!.Replace("\r\n ", " ", StringComparison.Ordinal);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", raw);
        var link = new Uri(Regex.Match(raw, @"List-Unsubscribe: <(https://pairwise\.example\.com/v1/unsubscribe\?token=[^>]+)>").Groups[1].Value);
        Assert.Contains($"https://pairwise.example.com/#/chat/{pair.ConversationId}", raw.Replace("=\r\n", "", StringComparison.Ordinal));

        // Opening the link only asks; the one-click POST (no sign-in) stops match e-mails, nothing else.
        using var anonymous = app.CreateClient();
        var page = await anonymous.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync());
        async Task<JsonElement> Channels(string type) =>
            (await Expect.Json(await founder.Client.GetAsync("/v1/me/notification-preferences"), HttpStatusCode.OK)).GetProperty("types").GetProperty(type);
        Assert.True((await Channels("match")).GetProperty("email").GetBoolean());
        var done = await anonymous.PostAsync(link.PathAndQuery, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var match = await Channels("match");
        Assert.False(match.GetProperty("email").GetBoolean());
        Assert.True(match.GetProperty("inApp").GetBoolean());
        Assert.True((await Channels("review")).GetProperty("email").GetBoolean());

        // A token made up, or one changed by a letter, is refused.
        await Expect.Problem(await anonymous.PostAsync("/v1/unsubscribe?token=made-up", null), HttpStatusCode.BadRequest);
        var query = link.Query;
        await Expect.Problem(await anonymous.PostAsync("/v1/unsubscribe" + query[..^3] + (query[^3] == 'A' ? 'B' : 'A') + query[^2..], null), HttpStatusCode.BadRequest);
    }
}
