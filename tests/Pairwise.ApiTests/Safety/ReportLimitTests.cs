using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Safety;

public sealed class ReportLimitTests
{
    [Theory]
    [OnEachEngine]
    public async Task ReportsHaveAPerUserBudget(Engine engine)
    {
        using var app = new PairwiseApp(engine, new() { ["Pairwise:RateLimits:ReportBurst"] = "3", ["Pairwise:RateLimits:ReportsPerHour"] = "1" });
        var pair = await MatchAsync(app);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await pair.Investor.Client.PostAsJsonAsync("/v1/reports", new { targetUserId = pair.Founder.UserId, reason = "spam" })).StatusCode);
        }

        Assert.Equal(3, statuses.Count(s => s is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Accepted));
        var refused = await Expect.Problem(await pair.Investor.Client.PostAsJsonAsync("/v1/reports", new { targetUserId = pair.Founder.UserId, reason = "spam" }), HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.GetProperty("detail").GetString());
        // Another user's budget is their own.
        Assert.True((await pair.Founder.Client.PostAsJsonAsync("/v1/reports", new { targetUserId = pair.Investor.UserId, reason = "spam" })).IsSuccessStatusCode);
    }
}
