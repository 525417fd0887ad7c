using System.Diagnostics;
using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Ranking;

/// <summary>
/// A new card reaches the kept lists of the viewers it fits without rebuilding them (ADR 22): two
/// nodes behind one Redis, on one SQLite file or one DynamoDB Local table; a startup created on
/// node A is in a matching investor's next first page on node B within seconds, served from the
/// investor's kept list.
/// </summary>
// Starts real binaries: runs once, not again in the DynamoDB pass (it picks its engines itself).
[Trait("Category", "BinaryProcess")]
public sealed class IncrementalFeedTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("dynamodb")]
    public async Task ANewStartupIsInAMatchingInvestorsNextFirstPageOnTheOtherNodeWithinFiveSeconds(string engine)
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string> { ["ConnectionStrings__Redis"] = redis.ConnectionString, ["Pairwise__BackgroundJobs"] = "false" };
        string folderA, folderB;
        if (engine == "dynamodb")
        {
            settings["Pairwise__Storage"] = "dynamodb";
            settings["Pairwise__DynamoDb__ServiceUrl"] = (await DynamoDbLocal.UriAsync()).ToString();
            settings["Pairwise__DynamoDb__TableName"] = $"incremental-{Guid.NewGuid():N}";
            (folderA, folderB) = (TempFolder.Create("node-a"), TempFolder.Create("node-b"));
        }
        else
        {
            // Both nodes on one SQLite file, as two processes on one machine.
            folderA = folderB = TempFolder.Create("nodes");
        }
        await using var a = await ServerProcess.StartAsync(folderA, settings);
        await using var b = await ServerProcess.StartAsync(folderB, settings);

        var investor = await SignUpAsync(Client(b), "Ian Investor");
        await Expect.Status(await investor.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor", new
        {
            displayName = "Harbour Fund",
            attributes = new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" }, locations = new[] { "Hong Kong" }, minCheck = 100_000, maxCheck = 2_000_000 },
            preferences = new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" }, locations = new[] { "Hong Kong" } },
        }), HttpStatusCode.Created);
        var first = await StartupOnAsync(a, "Mei");
        await WaitForAsync(investor, first, TimeSpan.FromSeconds(30));
        // The investor's list is kept: the next first page comes from it.
        Assert.Equal("list", (await FirstPageAsync(investor)).GetProperty("source").GetString());

        var fresh = await StartupOnAsync(a, "Raj");
        var clock = Stopwatch.StartNew();
        var page = await WaitForAsync(investor, fresh, TimeSpan.FromSeconds(5));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The new card reached node B's first page after {clock.Elapsed}.");
        Assert.Equal("list", page.GetProperty("source").GetString());
        TempFolder.Delete(folderA);
        if (folderB != folderA)
        {
            TempFolder.Delete(folderB);
        }
    }

    private static HttpClient Client(ServerProcess node) => new() { BaseAddress = node.Address };

    private static async Task<string> StartupOnAsync(ServerProcess node, string founder)
    {
        var user = await SignUpAsync(Client(node), $"{founder} Founder");
        var startup = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
        {
            displayName = $"{founder} Payments",
            attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong", fundingAmount = 1_000_000, description = "Payments for night markets." },
            preferences = new { industries = new[] { "fintech" } },
        }), HttpStatusCode.Created);
        return startup.GetProperty("cardId").GetString()!;
    }

    private static async Task<JsonElement> FirstPageAsync(UserSession viewer) =>
        await Expect.Json(await viewer.Client.GetAsync("/v1/markets/venture/feed"), HttpStatusCode.OK);

    /// <summary>Asks for first pages (every 50 ms) until the card is on one; that page.</summary>
    private static async Task<JsonElement> WaitForAsync(UserSession viewer, string card, TimeSpan timeout)
    {
        var wait = Stopwatch.StartNew();
        while (true)
        {
            var page = await FirstPageAsync(viewer);
            if (page.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("listing").GetProperty("id").GetString() == card) || wait.Elapsed > timeout)
            {
                Assert.True(wait.Elapsed <= timeout, $"{card} was not in the first page within {timeout}.");
                return page;
            }
            await Task.Delay(50);
        }
    }
}
