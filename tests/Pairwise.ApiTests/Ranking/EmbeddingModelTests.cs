using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Ranking;

public sealed class EmbeddingModelTests
{
    private static PairwiseApp App(Engine engine, FakeEmbeddingServer provider) => new(engine, new()
    {
        ["Pairwise:Embeddings:Endpoint"] = provider.Endpoint,
        ["Pairwise:Embeddings:Model"] = "fake-model",
        ["Pairwise:Embeddings:Dimensions"] = FakeEmbeddingServer.Dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Pairwise:Embeddings:TimeoutSeconds"] = "2",
    });

    private static async Task<string> WorkerAsync(PairwiseApp app, UserSession user, string description) =>
        (await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/worker", new
        {
            attributes = new { jobDescription = description, preferredDistricts = new[] { "Central" }, hourlyRateRange = new { min = 80, max = 150 }, status = "available" },
        }), HttpStatusCode.Created)).GetProperty("cardId").GetString()!;

    private static async Task<UserSession> EmployerWithJobAsync(PairwiseApp app, string title, string description)
    {
        var employer = await app.SignUpAsync();
        await Expect.Status(await employer.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/employer", new { attributes = new { companyName = "Diner" } }), HttpStatusCode.Created);
        await Expect.Status(await employer.Client.PostAsJsonAsync("/v1/markets/gigs/listings", new
        {
            title,
            description,
            attributes = new { district = "Central", hourlyRate = 120 },
        }), HttpStatusCode.Created);
        return employer;
    }

    [Theory]
    [OnEachEngine]
    public async Task AConfiguredModelMatchesMeaningTheBuiltInEmbedderCannotSee(Engine engine)
    {
        await using var provider = await FakeEmbeddingServer.StartAsync();
        using var app = App(engine, provider);
        var waiter = await WorkerAsync(app, await app.SignUpAsync(), "waiter with five years in restaurants");
        var programmer = await WorkerAsync(app, await app.SignUpAsync(), "programmer, five years of backend APIs");
        var employer = await EmployerWithJobAsync(app, "Need a server", "dinner shifts 18:00-22:00");
        await SettleAsync(app);

        var feed = await FeedAsync(employer, "gigs");

        Assert.Equal([waiter], Ids(feed));
        Assert.DoesNotContain(programmer, Ids(feed));
        var similarity = Item(feed, waiter).GetProperty("explanation").GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "similarity");
        Assert.Equal(1, similarity.GetProperty("value").GetDouble(), 3);
        Assert.Contains("embedding model", similarity.GetProperty("basis").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task TheSameTextIsSentToTheModelOnce(Engine engine)
    {
        await using var provider = await FakeEmbeddingServer.StartAsync();
        using var app = App(engine, provider);
        var user = await app.SignUpAsync();
        const string text = "waiter with five years in restaurants";
        await WorkerAsync(app, user, text);
        await SettleAsync(app);

        // The same text again (a profile saved unchanged): the card is re-indexed from the cache.
        await Expect.Status(await user.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/worker", new
        {
            attributes = new { jobDescription = text, preferredDistricts = new[] { "Central" }, hourlyRateRange = new { min = 90, max = 150 }, status = "available" },
        }), HttpStatusCode.OK);
        await SettleAsync(app);

        Assert.Equal(1, provider.Calls[text]);
    }

    [Theory]
    [OnEachEngine]
    public async Task WhenTheModelFailsTheBuiltInEmbedderStandsIn(Engine engine)
    {
        await using var provider = await FakeEmbeddingServer.StartAsync();
        provider.Failing = true;
        using var app = App(engine, provider);
        var waiter = await WorkerAsync(app, await app.SignUpAsync(), "餐廳侍應，晚市經驗，識做樓面服務");
        var employer = await EmployerWithJobAsync(app, "急需侍應", "晚市 18:00-22:00");
        await SettleAsync(app);

        var feed = await FeedAsync(employer, "gigs");

        Assert.Equal([waiter], Ids(feed));
        var similarity = Item(feed, waiter).GetProperty("explanation").GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "similarity");
        Assert.Contains("built-in embedder", similarity.GetProperty("basis").GetString());
        Assert.NotEmpty(provider.Calls);
    }
}
