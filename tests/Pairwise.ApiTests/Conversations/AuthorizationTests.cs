using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Conversations;

/// <summary>A stranger's token against every endpoint of conversations, notifications, reviews and reports: nothing found, nothing changed.</summary>
public sealed class AuthorizationTests
{
    [Theory]
    [OnEachEngine]
    public async Task AStrangerFindsNothingOfOthersConversationsNotificationsOrReviews(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        var message = await SendAsync(pair.Founder, pair.ConversationId, "private");
        var messageId = message.GetProperty("id").GetString();
        var tray = await Expect.Json(await pair.Investor.Client.GetAsync("/v1/notifications"), HttpStatusCode.OK);
        var notification = tray.GetProperty("items")[0].GetProperty("id").GetString();
        var stranger = await app.SignUpAsync();
        var conversation = $"/v1/conversations/{pair.ConversationId}";

        (HttpMethod Method, string Path, object? Body)[] forbidden =
        [
            (HttpMethod.Get, conversation, null),
            (HttpMethod.Get, $"{conversation}/messages", null),
            (HttpMethod.Get, $"{conversation}/messages?around={messageId}", null),
            (HttpMethod.Get, $"{conversation}/messages?after={messageId}", null),
            (HttpMethod.Post, $"{conversation}/messages", new { text = "let me in", clientMessageId = "x" }),
            (HttpMethod.Post, $"{conversation}/read", new { upToMessageId = messageId }),
            (HttpMethod.Post, $"{conversation}/typing", null),
            (HttpMethod.Post, "/v1/notifications", new { type = "message", conversationId = pair.ConversationId }),
            (HttpMethod.Post, $"/v1/notifications/{notification}/read", null),
            (HttpMethod.Post, $"/v1/notifications/{notification}/actioned", null),
            (HttpMethod.Post, $"/v1/users/{pair.Founder.UserId}/reviews", new { rating = "bad", contextId = pair.MatchId }),
            (HttpMethod.Post, "/v1/reports", new { messageId, reason = "spam" }),
            (HttpMethod.Delete, $"/v1/matches/{pair.MatchId}", null),
        ];
        foreach (var (method, path, body) in forbidden)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            var problem = await Expect.Problem(await stranger.Client.SendAsync(request), HttpStatusCode.NotFound);
            Assert.DoesNotContain("private", problem.ToString());
        }

        Assert.Empty((await Expect.Json(await stranger.Client.GetAsync("/v1/conversations"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Empty((await Expect.Json(await stranger.Client.GetAsync("/v1/notifications"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        // Nothing of theirs moved.
        Assert.Equal(["private"], Texts(await MessagesAsync(pair.Investor, pair.ConversationId)));
        Assert.Equal(1, (await ConversationAsync(pair.Investor, pair.ConversationId)).GetProperty("unreadCount").GetInt32());
        var after = await Expect.Json(await pair.Investor.Client.GetAsync("/v1/notifications"), HttpStatusCode.OK);
        Assert.Equal("unread", after.GetProperty("items").EnumerateArray().Single(n => n.GetProperty("id").GetString() == notification).GetProperty("state").GetString());
        Assert.Equal(0, (await Expect.Json(await stranger.Client.GetAsync($"/v1/users/{pair.Founder.UserId}/reviews"), HttpStatusCode.OK)).GetProperty("summary").GetProperty("count").GetInt32());
    }

    [Theory]
    [OnEachEngine]
    public async Task EveryEndpointOfThisFeatureWantsASignedInUser(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var anonymous = app.CreateClient();
        string[] paths = ["/v1/conversations", "/v1/conversations/cnv_x/messages", "/v1/me/blocks", "/v1/me/notification-preferences", "/v1/users/usr_x/reviews", "/v1/realtime/negotiate?negotiateVersion=1"];
        foreach (var path in paths)
        {
            var response = path.Contains("negotiate", StringComparison.Ordinal) ? await anonymous.PostAsync(path, null) : await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
