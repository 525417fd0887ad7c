using Microsoft.Extensions.DependencyInjection;
using Pairwise.Ranking;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Ranking;

/// <summary>The built-in embedder in the gigs feed: meaning without shared words, and the model run once per text.</summary>
public sealed class BuiltInEmbedderTests
{
    private static async Task<UserSession> WorkerAsync(PairwiseApp app, string description)
    {
        var worker = await app.SignUpAsync();
        await Expect.Status(await worker.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/worker", new
        {
            attributes = new { jobDescription = description, preferredDistricts = new[] { "Mong Kok" }, hourlyRateRange = new { min = 60, max = 120 }, status = "available" },
        }), HttpStatusCode.Created);
        return worker;
    }

    private static async Task<string> JobAsync(PairwiseApp app, string title)
    {
        var employer = await app.SignUpAsync();
        await Expect.Status(await employer.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/employer", new { attributes = new { companyName = "Kowloon Foods" } }), HttpStatusCode.Created);
        return (await Expect.Json(await employer.Client.PostAsJsonAsync("/v1/markets/gigs/listings", new
        {
            title,
            attributes = new { district = "Mong Kok", hourlyRate = 90 },
        }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    private static Embeddings Embeddings(PairwiseApp app) => app.Services.GetRequiredService<Embeddings>();

    [Theory]
    [OnEachEngine]
    public async Task ABaristaSeesACoffeeShopJobAboveAWarehouseJobThoughTheyShareNoWords(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var worker = await WorkerAsync(app, "barista, latte art, Mong Kok");
        var warehouse = await JobAsync(app, "warehouse packer");
        var coffee = await JobAsync(app, "coffee shop assistant");
        await SettleAsync(app);

        var ids = Ids(await FeedAsync(worker, "gigs"));

        Assert.Contains(coffee, ids);
        Assert.True(!ids.Contains(warehouse) || ids.IndexOf(warehouse) > ids.IndexOf(coffee));
    }

    [Theory]
    [OnEachEngine]
    public async Task TheFeedDoesNotRunTheModel(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var worker = await WorkerAsync(app, "barista, latte art, Mong Kok");
        await JobAsync(app, "coffee shop assistant");
        await SettleAsync(app);
        var calls = Embeddings(app).LocalModelCalls;

        await FeedAsync(worker, "gigs");
        await FeedAsync(worker, "gigs", "limit=5");

        // The worker's card was embedded when it was indexed; the feed reads its row.
        Assert.Equal(2, calls);
        Assert.Equal(calls, Embeddings(app).LocalModelCalls);
    }

    [Theory]
    [OnEachEngine]
    public async Task ARestartedServerIndexesUnchangedCardsWithoutTheModel(Engine engine)
    {
        var data = TempFolder.Create("embed");
        string job;
        using (var first = new PairwiseApp(engine, dataDirectory: data))
        {
            await WorkerAsync(first, "barista, latte art, Mong Kok");
            job = await JobAsync(first, "coffee shop assistant");
            await SettleAsync(first);
            Assert.Equal(2, Embeddings(first).LocalModelCalls);
        }

        using var second = new PairwiseApp(engine, dataDirectory: data);
        var index = second.Services.GetRequiredService<CandidateIndexes>().For("gigs")!;
        await index.Loaded.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(index.Find(job));
        Assert.Equal(0, Embeddings(second).LocalModelCalls);
        TempFolder.Delete(data);
    }
}
