using static Pairwise.Tests.Gigs.GigsFeedTests;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Gigs;

/// <summary>Seed 001's matching window over the API: announce, respond, rank, select, reject, complete, rate.</summary>
public sealed class SelectionTests
{
    private const string Waiter = "餐廳侍應，晚市經驗，識做樓面服務";

    [Theory]
    [OnEachEngine]
    public async Task AJobGoesFromPostingThroughSelectionToCompletionAndRatings(Engine engine)
    {
        using var app = App(engine);
        var (first, firstCard) = await WorkerAsync(app, Waiter, "Central", 80, 150);
        var (second, _) = await WorkerAsync(app, Waiter, "Central", 80, 150);
        var (third, _) = await WorkerAsync(app, Waiter, "Central", 80, 150);
        var (programmer, _) = await WorkerAsync(app, "Senior C# programmer, backend APIs", "Tuen Mun", 80, 150);
        await SettleAsync(app);

        var (employer, job) = await JobAsync(app);

        // The three waiters hear of it; the programmer does not.
        foreach (var worker in new[] { first, second, third })
        {
            await WaitForNotificationAsync(worker, "job", job);
        }
        Assert.DoesNotContain(await TypesAsync(programmer), t => t == "job");

        var firstResponse = await Expect.Json(await first.Client.PostAsync($"/v1/listings/{job}/responses", null), HttpStatusCode.Created);
        await Expect.Status(await second.Client.PostAsync($"/v1/listings/{job}/responses", null), HttpStatusCode.Created);

        // The matching window, opened by the first response: seen by the employer and by those who responded, nobody else.
        var window = await Expect.Json(await employer.Client.GetAsync($"/v1/listings/{job}/window"), HttpStatusCode.OK);
        Assert.True(window.GetProperty("isOpen").GetBoolean());
        var openedAt = window.GetProperty("openedAt").GetDateTimeOffset();
        Assert.Equal(openedAt.AddMinutes(window.GetProperty("windowMinutes").GetInt32()), window.GetProperty("closesAt").GetDateTimeOffset());
        Assert.Equal(window.GetProperty("closesAt").GetDateTimeOffset(), (await Expect.Json(await first.Client.GetAsync($"/v1/listings/{job}/window"), HttpStatusCode.OK)).GetProperty("closesAt").GetDateTimeOffset());
        await Expect.Problem(await third.Client.GetAsync($"/v1/listings/{job}/window"), HttpStatusCode.NotFound);

        var responses = await Expect.Json(await employer.Client.GetAsync($"/v1/listings/{job}/responses"), HttpStatusCode.OK);
        var items = responses.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal([1, 2], items.Select(i => i.GetProperty("rank").GetInt32()));
        Assert.True(items[0].GetProperty("score").GetDouble() >= items[1].GetProperty("score").GetDouble());
        Assert.Contains(items[0].GetProperty("explanation").GetProperty("features").EnumerateArray(), f => f.GetProperty("name").GetString() == "rate");

        var selected = await Expect.Json(await employer.Client.PostAsync($"/v1/listings/{job}/responses/{firstResponse.GetProperty("id").GetString()}/select", null), HttpStatusCode.OK);

        // The other is rejected and told; the chosen one has a conversation and is busy.
        await WaitForNotificationAsync(second, "job", job, "filled");
        var secondState = (await Expect.Json(await employer.Client.GetAsync($"/v1/listings/{job}/responses"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("workerUserId").GetString()!, i => i.GetProperty("status").GetString());
        Assert.Equal("selected", secondState[first.UserId]);
        Assert.Equal("rejected", secondState[second.UserId]);
        var conversationId = selected.GetProperty("conversationId").GetString();
        await Expect.Status(await first.Client.PostAsJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "幾點到？", clientMessageId = "w-1" }), HttpStatusCode.Created);
        Assert.Equal("busy", await StatusOfAsync(first));
        Assert.Equal(job, (await Expect.Json(await first.Client.GetAsync("/v1/markets/gigs/profiles/worker/me"), HttpStatusCode.OK)).GetProperty("currentJobId").GetString());
        Assert.False((await Expect.Json(await employer.Client.GetAsync($"/v1/listings/{job}/window"), HttpStatusCode.OK)).GetProperty("isOpen").GetBoolean());
        Assert.Equal("closed", (await Expect.Json(await employer.Client.GetAsync($"/v1/listings/{job}"), HttpStatusCode.OK)).GetProperty("status").GetString());
        await Expect.Problem(await third.Client.PostAsync($"/v1/listings/{job}/responses", null), HttpStatusCode.NotFound);

        // Ratings wait for the job to be done.
        var matchId = selected.GetProperty("matchId").GetString();
        await Expect.Problem(await employer.Client.PostAsJsonAsync($"/v1/users/{first.UserId}/reviews", new { rating = "good", contextId = matchId }), HttpStatusCode.Conflict);
        await Expect.Status(await employer.Client.PostAsync($"/v1/listings/{job}/complete", null), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, (await Expect.Json(await first.Client.GetAsync("/v1/markets/gigs/profiles/worker/me"), HttpStatusCode.OK)).GetProperty("currentJobId").ValueKind);
        await Expect.Status(await employer.Client.PostAsJsonAsync($"/v1/users/{first.UserId}/reviews", new { rating = "good", text = "準時", contextId = matchId }), HttpStatusCode.Created);
        await Expect.Status(await first.Client.PostAsJsonAsync($"/v1/users/{employer.UserId}/reviews", new { rating = "good", contextId = matchId }), HttpStatusCode.Created);

        Assert.Equal("available", await StatusOfAsync(first));
        var done = await Expect.Json(await employer.Client.GetAsync($"/v1/listings/{job}"), HttpStatusCode.OK);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(app.Clock.GetUtcNow().AddDays(90), done.GetProperty("expiresAt").GetDateTimeOffset());
        // Available again, the worker's card is back in employers' rankings.
        await SettleAsync(app);
        var (_, nextJob) = await JobAsync(app);
        await WaitForNotificationAsync(first, "job", nextJob);
        Assert.Equal(firstCard, (await Expect.Json(await first.Client.GetAsync("/v1/markets/gigs/profiles/worker/me"), HttpStatusCode.OK)).GetProperty("cardId").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task TwentyConcurrentSelectionsMakeExactlyOne(Engine engine)
    {
        using var app = App(engine);
        var (first, _) = await WorkerAsync(app, Waiter, "Central", 80, 150);
        var (second, _) = await WorkerAsync(app, Waiter, "Central", 80, 150);
        var (employer, job) = await JobAsync(app);
        var ids = new List<string>();
        foreach (var worker in new[] { first, second })
        {
            ids.Add((await Expect.Json(await worker.Client.PostAsync($"/v1/listings/{job}/responses", null), HttpStatusCode.Created)).GetProperty("id").GetString()!);
        }

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => employer.Client.PostAsync($"/v1/listings/{job}/responses/{ids[i % 2]}/select", null)));

        var matches = new HashSet<string>();
        foreach (var attempt in attempts)
        {
            Assert.True(attempt.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, attempt.StatusCode.ToString());
            if (attempt.StatusCode == HttpStatusCode.OK)
            {
                matches.Add((await attempt.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("matchId").GetString()!);
            }
        }
        Assert.Single(matches);
        var states = (await Expect.Json(await employer.Client.GetAsync($"/v1/listings/{job}/responses"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("status").GetString()).Order().ToList();
        Assert.Equal(["rejected", "selected"], states);
        Assert.Single((await Expect.Json(await employer.Client.GetAsync("/v1/matches"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [OnEachEngine]
    public async Task ABusyWorkerCannotRespondAndTheWindowCloses(Engine engine)
    {
        using var app = App(engine);
        var (early, _) = await WorkerAsync(app, Waiter, "Central", 80, 150);
        var (late, _) = await WorkerAsync(app, Waiter, "Central", 80, 150);
        var (busy, _) = await WorkerAsync(app, Waiter, "Central", 80, 150, status: "busy");
        var (employer, job) = await JobAsync(app);
        var stranger = await app.SignUpAsync();

        var refused = await Expect.Problem(await busy.Client.PostAsync($"/v1/listings/{job}/responses", null), HttpStatusCode.Conflict);
        await Expect.Status(await early.Client.PostAsync($"/v1/listings/{job}/responses", null), HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        var closed = await Expect.Problem(await late.Client.PostAsync($"/v1/listings/{job}/responses", null), HttpStatusCode.Conflict);

        Assert.Contains("busy", refused.GetProperty("detail").GetString());
        Assert.Contains("window", closed.GetProperty("detail").GetString());
        await Expect.Problem(await stranger.Client.GetAsync($"/v1/listings/{job}/responses"), HttpStatusCode.NotFound);
        await Expect.Problem(await stranger.Client.PostAsync($"/v1/listings/{job}/responses/{Guid.NewGuid():N}/select", null), HttpStatusCode.NotFound);
        await Expect.Problem(await employer.Client.PostAsync($"/v1/listings/{job}/complete", null), HttpStatusCode.Conflict);
        await Expect.Problem(await employer.Client.PostAsync($"/v1/listings/{job}/responses/prf_00000000000000000000000000000000/select", null), HttpStatusCode.NotFound);
    }

    private static async Task<List<string>> TypesAsync(UserSession user) =>
        [.. (await Expect.Json(await user.Client.GetAsync("/v1/notifications?limit=50"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(n => n.GetProperty("type").GetString()!)];

    private static async Task WaitForNotificationAsync(UserSession user, string type, string listingId, string containing = "")
    {
        for (var i = 0; i < 200; i++)
        {
            var tray = await Expect.Json(await user.Client.GetAsync("/v1/notifications?limit=50"), HttpStatusCode.OK);
            if (tray.GetProperty("items").EnumerateArray().Any(n => n.GetProperty("type").GetString() == type
                && n.GetProperty("data").TryGetProperty("listingId", out var id) && id.GetString() == listingId
                && n.GetProperty("body").GetString()!.Contains(containing, StringComparison.Ordinal)))
            {
                return;
            }
            await Task.Delay(25);
        }
        Assert.Fail($"No '{type}' notification about {listingId} reached {user.Email}.");
    }

    private static async Task<string?> StatusOfAsync(UserSession worker) =>
        (await Expect.Json(await worker.Client.GetAsync("/v1/markets/gigs/profiles/worker/me"), HttpStatusCode.OK)).GetProperty("attributes").GetProperty("status").GetString();
}
