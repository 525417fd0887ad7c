using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Ranking;

// Starts the real binary (on SQLite): runs once, not again in the DynamoDB pass.
[Trait("Category", "BinaryProcess")]
public sealed class BatchTests
{
    // Every market counts as large here, so first pages start from the batch whenever there is one.
    private static PairwiseApp App() => new(Engine.Sqlite, new()
    {
        ["Pairwise:Ranking:InstantModeMaxCards"] = "0",
        ["Pairwise:Tokens:AccessTokenLifetime"] = "3.00:00:00",
        ["Pairwise:Tokens:RefreshTokenLifetime"] = "3.00:00:00",
    });

    [Fact]
    public async Task FeedsStartFromTheDailyBatchAndStillSeeNewCardsAndSwipes()
    {
        using var app = App();
        var (_, a) = await StartupAsync(app, "A", "fintech", "seed", "Hong Kong");
        var (_, b) = await StartupAsync(app, "B", "ai", "seed", "Hong Kong");
        var (investor, _) = await InvestorAsync(app);
        await SettleAsync(app);
        var live = await FeedAsync(investor);
        Assert.Equal("live", live.GetProperty("source").GetString());

        var scored = await app.Services.GetRequiredService<Pairwise.Ranking.BatchScorer>().ScoreBatchAsync("venture", CancellationToken.None);
        Assert.Equal(3, scored);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var (_, fresh) = await StartupAsync(app, "Fresh", "fintech", "seed", "Hong Kong");
        await SwipeAsync(investor, b, "pass");
        await SettleAsync(app);

        var batched = await FeedAsync(investor);

        Assert.Equal("list", batched.GetProperty("source").GetString());
        Assert.Equal([a, fresh], Ids(batched).Order());
        Assert.DoesNotContain(b, Ids(batched));
    }

    [Fact]
    public async Task RecommendationsNowRecomputeMyEntryAndAStaleBatchIsIgnored()
    {
        using var app = App();
        var (_, a) = await StartupAsync(app, "A", "fintech", "seed", "Hong Kong");
        var (investor, _) = await InvestorAsync(app);
        await SettleAsync(app);

        await Expect.Status(await investor.Client.PostAsync("/v1/markets/venture/feed/refresh", null), HttpStatusCode.Accepted);
        var batched = await FeedAsync(investor);
        Assert.Equal("list", batched.GetProperty("source").GetString());
        Assert.Equal([a], Ids(batched));

        app.Clock.Advance(TimeSpan.FromHours(27));
        Assert.Equal("live", (await FeedAsync(investor)).GetProperty("source").GetString());
        await Expect.Problem(await (await app.SignUpAsync()).Client.PostAsync("/v1/markets/venture/feed/refresh", null), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TheBatchRunsFromTheCommandLineOnTheServersData()
    {
        var data = TempFolder.Create("batch-cli");
        await using (var server = await ServerProcess.StartAsync(data, new Dictionary<string, string> { ["Pairwise__BackgroundJobs"] = "false" }))
        {
            foreach (var email in new[] { "a@example.com", "b@example.com" })
            {
                var user = await Expect.Json(await server.Client.PostAsJsonAsync("/v1/auth/signup", new { email, password = "batch passphrase", displayName = email }), HttpStatusCode.Created);
                var request = new HttpRequestMessage(HttpMethod.Put, email.StartsWith('a') ? "/v1/markets/venture/profiles/startup" : "/v1/markets/venture/profiles/investor")
                {
                    Content = JsonContent.Create(email.StartsWith('a')
                        ? new { attributes = (object)new { industry = "fintech", fundingStage = "seed", location = "Hong Kong" } }
                        : new { attributes = (object)new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" } } }),
                };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user.GetProperty("accessToken").GetString());
                await Expect.Status(await server.Client.SendAsync(request), HttpStatusCode.Created);
            }
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "pairwise.dll"), "score", "--market", "venture" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Pairwise__DataDirectory"] = data;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("scored 2 profiles in venture", output);
        TempFolder.Delete(data);
    }
}
