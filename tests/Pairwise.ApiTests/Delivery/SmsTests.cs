using System.Text.RegularExpressions;

namespace Pairwise.Tests.Delivery;

/// <summary>Phone codes by SMS through Twilio's API (a local server standing in for it, answering as Twilio documents), by way of the durable outbox.</summary>
public sealed partial class SmsTests
{
    [Theory]
    [OnEachEngine]
    public async Task APhoneCodeIsTextedThroughTwilioAndRetriedOnlyWhenTwilioCanDeliverLater(Engine engine)
    {
        var failures = 0;
        await using var twilio = await RecordingServer.StartAsync(request => request.Form.GetValueOrDefault("To") switch
        {
            // An invalid number: Twilio's 400 with error 21211. Never retried.
            "+85290000000" => (400, """{"code":21211,"message":"The 'To' number +85290000000 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}"""),
            // Twilio down for the first attempt: tried again.
            "+85291111111" when Interlocked.Increment(ref failures) == 1 => (503, """{"code":20503,"message":"Service unavailable","status":503}"""),
            var to => (201, $$"""{"sid":"SM{{Guid.NewGuid():N}}","account_sid":"AC0123456789","to":"{{to}}","from":"+85230000000","status":"queued","body":"{{request.Form.GetValueOrDefault("Body")}}"}"""),
        });
        using var app = new PairwiseApp(engine, new()
        {
            ["Pairwise:Sms:Twilio:AccountSid"] = "AC0123456789",
            ["Pairwise:Sms:Twilio:AuthToken"] = "twilio-token",
            ["Pairwise:Sms:Twilio:From"] = "+85230000000",
            ["Pairwise:Sms:Twilio:ApiBase"] = twilio.Address,
        });
        var user = await app.SignUpAsync();
        await Expect.Status(await user.Client.PostAsJsonAsync("/v1/auth/phone", new { phone = "+852 9123 4567" }), HttpStatusCode.Accepted);
        var sent = await WaitForAsync(twilio, "+85291234567", 1);
        Assert.Equal("/2010-04-01/Accounts/AC0123456789/Messages.json", sent[0].Path);
        Assert.Equal("+85230000000", sent[0].Form["From"]);
        Assert.StartsWith("Basic ", sent[0].Headers["Authorization"], StringComparison.Ordinal);
        var code = Code().Match(sent[0].Form["Body"]).Value;
        var me = await Expect.Json(await user.Client.PostAsJsonAsync("/v1/auth/phone/verify", new { code }), HttpStatusCode.OK);
        Assert.True(me.GetProperty("phoneVerified").GetBoolean());

        // Twilio failing once: the code still arrives, on the retry.
        var second = await app.SignUpAsync();
        await Expect.Status(await second.Client.PostAsJsonAsync("/v1/auth/phone", new { phone = "+85291111111" }), HttpStatusCode.Accepted);
        await WaitForAsync(twilio, "+85291111111", 1);
        // The retry is due a second after the failure, on the app's clock: move it on until the retry goes out.
        for (var tick = 0; tick < 150 && twilio.Requests.Count(r => r.Form.GetValueOrDefault("To") == "+85291111111") < 2; tick++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(100);
        }
        Assert.Equal(2, (await WaitForAsync(twilio, "+85291111111", 2)).Count);

        // A number Twilio can never reach: one attempt, then dropped.
        var third = await app.SignUpAsync();
        await Expect.Status(await third.Client.PostAsJsonAsync("/v1/auth/phone", new { phone = "+85290000000" }), HttpStatusCode.Accepted);
        await WaitForAsync(twilio, "+85290000000", 1);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(1500);
        Assert.Single(twilio.Requests, r => r.Form.GetValueOrDefault("To") == "+85290000000");
    }

    private static async Task<IReadOnlyList<RecordedRequest>> WaitForAsync(RecordingServer twilio, string to, int count)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            var found = twilio.Requests.Where(r => r.Form.GetValueOrDefault("To") == to).ToList();
            if (found.Count >= count)
            {
                return found;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"Twilio got fewer than {count} messages to {to}.");
        return [];
    }

    [GeneratedRegex("[0-9]{6}")]
    private static partial Regex Code();
}
