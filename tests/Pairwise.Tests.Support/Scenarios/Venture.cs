namespace Pairwise.Tests.Scenarios;

/// <summary>Fixtures for the venture market.</summary>
public static class Venture
{
    public static async Task<(UserSession User, string CardId)> StartupAsync(PairwiseApp app, string name, string industry, string stage, string location,
        string[]? wantsIndustries = null, string[]? wantsLocations = null)
    {
        var user = await app.SignUpAsync();
        var profile = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
        {
            displayName = name,
            attributes = new { industry, fundingStage = stage, location, fundingAmount = 1_000_000, description = $"{name} builds {industry}." },
            preferences = new { industries = wantsIndustries ?? [industry], locations = wantsLocations ?? [location] },
        }), HttpStatusCode.Created);
        return (user, profile.GetProperty("cardId").GetString()!);
    }

    public static async Task<(UserSession User, string CardId)> InvestorAsync(PairwiseApp app, string name = "Harbour Ventures",
        string[]? industries = null, string[]? stages = null, string[]? locations = null, UserSession? user = null)
    {
        user ??= await app.SignUpAsync();
        var profile = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor", new
        {
            displayName = name,
            attributes = new { industries = industries ?? ["fintech"], fundingStages = stages ?? ["seed"], locations = locations ?? ["Hong Kong"], minCheck = 100_000, maxCheck = 2_000_000 },
            preferences = new { industries = industries ?? ["fintech"], fundingStages = stages ?? ["seed"], locations = locations ?? ["Hong Kong"] },
        }), HttpStatusCode.Created);
        return (user, profile.GetProperty("cardId").GetString()!);
    }

    public static async Task<JsonElement> FeedAsync(UserSession user, string market = "venture", string query = "")
    {
        return await Expect.Json(await user.Client.GetAsync($"/v1/markets/{market}/feed{(query.Length > 0 ? "?" + query : "")}"), HttpStatusCode.OK);
    }

    /// <summary>Says the cards were shown on screen, as the app does (fetching a page marks nothing).</summary>
    public static async Task SeenAsync(UserSession user, IEnumerable<string> cardIds, string market = "venture") =>
        await Expect.Status(await user.Client.PostAsJsonAsync($"/v1/markets/{market}/feed/seen", new { listingIds = cardIds.ToArray() }), HttpStatusCode.NoContent);

    public static List<string> Ids(JsonElement feed) => [.. feed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("listing").GetProperty("id").GetString()!)];

    public static JsonElement Item(JsonElement feed, string cardId) =>
        feed.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("listing").GetProperty("id").GetString() == cardId);

    /// <summary>Waits until the ranking index has caught up with writes (it applies them asynchronously, within moments).</summary>
    public static async Task SettleAsync(PairwiseApp app)
    {
        var changes = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Pairwise.Listings.ListingChanges>(app.Services);
        for (var i = 0; i < 300 && changes.Pending > 0; i++)
        {
            await Task.Delay(10);
        }
    }

    public static async Task<JsonElement> SwipeAsync(UserSession user, string cardId, string action = "like") =>
        await Expect.Json(await user.Client.PostAsJsonAsync($"/v1/listings/{cardId}/swipe", new { action }), HttpStatusCode.OK);
}
