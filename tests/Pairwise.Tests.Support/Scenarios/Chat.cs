using System.Net.Http.Headers;

namespace Pairwise.Tests.Scenarios;

public sealed record Matched(UserSession Investor, UserSession Founder, string MatchId, string ConversationId, string InvestorCard, string FounderCard);

/// <summary>Fixtures for conversations: two people matched in venture, on any server.</summary>
public static class Chat
{
    /// <summary>An investor and a founder who liked each other; the founder liked last.</summary>
    public static async Task<Matched> MatchAsync(Func<HttpClient> newClient) =>
        await MatchAsync(newClient, await SignUpAsync(newClient(), "Mei Founder"));

    /// <summary>The same, with a founder who already has an account (e.g. one with a device subscribed to pushes, or another match).</summary>
    public static async Task<Matched> MatchAsync(Func<HttpClient> newClient, UserSession founder)
    {
        var put = await founder.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
        {
            displayName = "Lantern Pay",
            attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong", fundingAmount = 1_000_000, description = "Payments for night markets." },
            preferences = new { industries = new[] { "fintech" }, locations = new[] { "Hong Kong" } },
        });
        // Created the first time; the same profile again when the founder already has one.
        var startup = await Expect.Json(put, put.StatusCode == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.Created);
        var investor = await SignUpAsync(newClient(), "Ian Investor");
        var fund = await Expect.Json(await investor.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor", new
        {
            displayName = "Harbour Ventures",
            attributes = new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" }, locations = new[] { "Hong Kong" }, minCheck = 100_000, maxCheck = 2_000_000 },
            preferences = new { industries = new[] { "fintech" } },
        }), HttpStatusCode.Created);
        var founderCard = startup.GetProperty("cardId").GetString()!;
        var investorCard = fund.GetProperty("cardId").GetString()!;
        await Expect.Status(await investor.Client.PostAsJsonAsync($"/v1/listings/{founderCard}/swipe", new { action = "like" }), HttpStatusCode.OK);
        var match = await Expect.Json(await founder.Client.PostAsJsonAsync($"/v1/listings/{investorCard}/swipe", new { action = "like" }), HttpStatusCode.OK);
        Assert.True(match.GetProperty("matched").GetBoolean());
        return new Matched(investor, founder, match.GetProperty("matchId").GetString()!, match.GetProperty("conversationId").GetString()!, investorCard, founderCard);
    }

    public static Task<Matched> MatchAsync(PairwiseApp app) => MatchAsync(app.CreateClient);

    public static async Task<UserSession> SignUpAsync(HttpClient client, string displayName, string? email = null)
    {
        email ??= $"{displayName.Split(' ')[0].ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
        var tokens = await Expect.Json(await client.PostAsJsonAsync("/v1/auth/signup", new { email, password = "a sturdy passphrase", displayName }), HttpStatusCode.Created);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        return new UserSession(client, email, "a sturdy passphrase", tokens.GetProperty("userId").GetString()!, tokens.GetProperty("refreshToken").GetString()!);
    }

    public static string Token(UserSession user) => user.Client.DefaultRequestHeaders.Authorization!.Parameter!;

    public static async Task<JsonElement> SendAsync(UserSession user, string conversationId, string text, string? clientMessageId = null) =>
        await Expect.Json(await user.Client.PostAsJsonAsync($"/v1/conversations/{conversationId}/messages",
            new { text, clientMessageId = clientMessageId ?? Guid.NewGuid().ToString("N") }), HttpStatusCode.Created);

    public static async Task<JsonElement> MessagesAsync(UserSession user, string conversationId, string query = "") =>
        await Expect.Json(await user.Client.GetAsync($"/v1/conversations/{conversationId}/messages{(query.Length > 0 ? "?" + query : "")}"), HttpStatusCode.OK);

    public static List<string> Texts(JsonElement list) => [.. list.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("text").GetString()!)];

    public static async Task<JsonElement> ConversationAsync(UserSession user, string conversationId) =>
        await Expect.Json(await user.Client.GetAsync($"/v1/conversations/{conversationId}"), HttpStatusCode.OK);
}
