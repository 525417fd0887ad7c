using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Observability;

public sealed class ObservabilityTests
{
    [Theory]
    [OnEachEngine]
    public async Task ThePrometheusEndpointShowsTheFeedLatencyHistogram(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        for (var i = 0; i < 3; i++)
        {
            await Expect.Status(await pair.Investor.Client.GetAsync("/v1/markets/venture/feed"), HttpStatusCode.OK);
        }
        await SendAsync(pair.Founder, pair.ConversationId, "counted");

        var metrics = await (await app.CreateClient().GetAsync("/metrics")).Content.ReadAsStringAsync();

        // Instruments are process-wide, so tests running beside this one may add to the counts.
        // One series per source (live, list): the three pages are counted across them.
        Assert.True(Sum(metrics, @"pairwise_feed_duration_seconds_count\{[^}]*market=""venture""[^}]*status=""Ok""[^}]*\}") >= 3, metrics);
        Assert.Contains("pairwise_feed_duration_seconds_bucket", metrics);
        Assert.True(Value(metrics, @"pairwise_matches_total\{[^}]*market=""venture""[^}]*\}") >= 1, metrics);
        Assert.True(Value(metrics, @"pairwise_messages_total\{[^}]*market=""venture""[^}]*\}") >= 1, metrics);
        Assert.Contains("http_server_request_duration_seconds", metrics);
        // The runtime's own: the collector's pauses show in every latency, so an operator sees them beside it.
        Assert.Matches(@"dotnet_gc_pause_time_seconds_total\{[^}]*\} [0-9.e+-]+", metrics);
    }

    private static double Sum(string metrics, string series) =>
        System.Text.RegularExpressions.Regex.Matches(metrics, series + @" ([0-9.e+]+)").Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    private static double Value(string metrics, string series) =>
        System.Text.RegularExpressions.Regex.Match(metrics, series + @" ([0-9.e+]+)") is { Success: true } m ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    [Theory]
    [OnEachEngine]
    public async Task OperatorsSeeTodaysActivityPerMarket(Engine engine)
    {
        var operatorEmail = $"ops-{Guid.NewGuid():N}@example.com";
        using var app = new PairwiseApp(engine, new() { ["Pairwise:Operators:0"] = operatorEmail });
        var pair = await MatchAsync(app);
        await SendAsync(pair.Founder, pair.ConversationId, "one");
        await SendAsync(pair.Investor, pair.ConversationId, "two");
        var ops = await app.SignUpAsync(operatorEmail);
        await Expect.Status(await ops.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = app.LatestEmailCode(operatorEmail) }), HttpStatusCode.OK);

        var stats = await Expect.Json(await ops.Client.GetAsync("/v1/operator/stats?days=2"), HttpStatusCode.OK);

        var today = stats.GetProperty("days")[0];
        Assert.Equal(DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd"), today.GetProperty("day").GetString());
        var venture = today.GetProperty("markets").GetProperty("venture");
        Assert.Equal(2, venture.GetProperty("swipes").GetInt64());
        Assert.Equal(1, venture.GetProperty("matches").GetInt64());
        Assert.Equal(2, venture.GetProperty("messages").GetInt64());
        Assert.Equal(3, today.GetProperty("markets").GetProperty("*").GetProperty("signups").GetInt64());
        await Expect.Problem(await pair.Founder.Client.GetAsync("/v1/operator/stats"), HttpStatusCode.Forbidden);
        await Expect.Problem(await ops.Client.GetAsync("/v1/operator/stats?days=0"), HttpStatusCode.BadRequest);
    }
}
