using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Delivery;

/// <summary>Web Push from the real binary to a real push service process, with no socket open.</summary>
// Starts the real binary (on SQLite): runs once, not again in the DynamoDB pass.
[Trait("Category", "BinaryProcess")]
public sealed class PushTests
{
    [Fact]
    public async Task AMatchAndAMessageArriveAtTheDeviceAGoneDeviceIsForgottenAndATypeTurnedOffStops()
    {
        await using var push = await WebPushService.StartAsync();
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("push"), new Dictionary<string, string> { ["Pairwise__Push__AllowedHosts__0"] = "localhost" });
        var http = new HttpClient { BaseAddress = server.Address };
        var key = (await Expect.Json(await http.GetAsync("/v1/push/vapid-public-key"), HttpStatusCode.OK)).GetProperty("publicKey").GetString()!;

        // The founder's phone subscribes before the match, so the match itself is pushed.
        var founder = await SignUpAsync(new HttpClient { BaseAddress = server.Address }, "Mei Founder");
        var device = await push.SubscribeAsync(key);
        var subscribed = await Expect.Json(await founder.Client.PostAsJsonAsync("/v1/me/push-subscriptions",
            new { endpoint = device.Endpoint, keys = new { p256dh = device.P256dh, auth = device.Auth } }), HttpStatusCode.Created);
        await Expect.Problem(await founder.Client.PostAsJsonAsync("/v1/me/push-subscriptions",
            new { endpoint = "http://169.254.169.254/latest/meta-data", keys = new { p256dh = device.P256dh, auth = device.Auth } }), HttpStatusCode.BadRequest);

        var pair = await MatchAsync(() => new HttpClient { BaseAddress = server.Address }, founder);
        var afterMatch = await push.WaitForAsync(device.ClientHash, 1);
        Assert.Contains(afterMatch, m => m.GetProperty("type").GetString() == "match");

        await SendAsync(pair.Investor, pair.ConversationId, "A private question about your margins");
        var afterMessage = await push.WaitForAsync(device.ClientHash, afterMatch.Count + 1);
        var message = afterMessage.Last(m => m.GetProperty("type").GetString() == "message");
        Assert.Equal("You have a new message.", message.GetProperty("body").GetString());
        Assert.DoesNotContain("margins", string.Join(' ', afterMessage.Select(m => m.GetRawText())), StringComparison.Ordinal);
        Assert.Contains(pair.ConversationId, message.GetProperty("url").GetString(), StringComparison.Ordinal);

        // Messages turned off for push: the next one is not pushed, though the tray has it.
        // (A conversation notifies when it turns unread, so the founder reads it first.)
        await Expect.Status(await founder.Client.PutAsJsonAsync("/v1/me/notification-preferences",
            new { types = new { message = new { inApp = true, email = false, push = false } } }), HttpStatusCode.OK);
        await Expect.Status(await founder.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/read", new { }), HttpStatusCode.OK);
        await SendAsync(pair.Investor, pair.ConversationId, "Are you there?");
        var tray = await Expect.Json(await founder.Client.GetAsync("/v1/notifications?limit=50"), HttpStatusCode.OK);
        Assert.Equal(2, tray.GetProperty("items").EnumerateArray().Count(n => n.GetProperty("type").GetString() == "message"));
        await Task.Delay(1500);
        Assert.Equal(afterMessage.Count, (await push.MessagesAsync(device.ClientHash)).Count);

        // The user revoked permission in the browser: the service answers 410 and the subscription goes.
        await Expect.Status(await founder.Client.PutAsJsonAsync("/v1/me/notification-preferences",
            new { types = new { message = new { inApp = true, email = false, push = true } } }), HttpStatusCode.OK);
        await push.ExpireAsync(device.ClientHash);
        await Expect.Status(await founder.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/read", new { }), HttpStatusCode.OK);
        await SendAsync(pair.Investor, pair.ConversationId, "Hello again");
        var forgotten = false;
        for (var i = 0; i < 100 && !forgotten; i++)
        {
            await Task.Delay(100);
            var devices = await Expect.Json(await founder.Client.GetAsync("/v1/me/push-subscriptions"), HttpStatusCode.OK);
            forgotten = devices.GetProperty("items").GetArrayLength() == 0;
        }
        Assert.True(forgotten, $"The subscription {subscribed.GetProperty("id").GetString()} is still listed after the push service answered 410.");
    }
}
