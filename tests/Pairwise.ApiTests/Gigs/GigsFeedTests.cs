using Microsoft.Extensions.DependencyInjection;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Gigs;

/// <summary>Seed 001's formula, exactly: the market's learned term is off (scoring.learning false).</summary>
public sealed class GigsFeedTests
{
    internal static PairwiseApp App(Engine engine) => new(engine, new(MarketFiles.WithoutLearning())
    {
        ["Pairwise:Tokens:AccessTokenLifetime"] = "30.00:00:00",
        ["Pairwise:Tokens:RefreshTokenLifetime"] = "30.00:00:00",
    });

    internal static async Task<(UserSession User, string CardId)> WorkerAsync(PairwiseApp app, string description, string district, double min, double max, string status = "available")
    {
        var user = await app.SignUpAsync();
        var profile = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/worker", new
        {
            displayName = description[..4],
            attributes = new { jobDescription = description, preferredDistricts = new[] { district }, hourlyRateRange = new { min, max }, status },
        }), HttpStatusCode.Created);
        return (user, profile.GetProperty("cardId").GetString()!);
    }

    internal static async Task<(UserSession User, string JobId)> JobAsync(PairwiseApp app)
    {
        var employer = await app.SignUpAsync();
        await Expect.Status(await employer.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/employer", new { attributes = new { companyName = "ABC 茶餐廳" } }), HttpStatusCode.Created);
        var job = await Expect.Json(await employer.Client.PostAsJsonAsync("/v1/markets/gigs/listings", new
        {
            title = "急需侍應",
            description = "晚市 18:00-22:00",
            price = 120,
            attributes = new { district = "Central", hourlyRate = 120, durationHours = 4, startTime = "18:00", endTime = "22:00" },
        }), HttpStatusCode.Created);
        return (employer, job.GetProperty("id").GetString()!);
    }

    [Theory]
    [OnEachEngine]
    public async Task AnAvailableWaiterInCentralRanksAboveAProgrammerInTuenMun(Engine engine)
    {
        using var app = App(engine);
        var (_, inactive) = await WorkerAsync(app, "餐廳侍應，晚市經驗，識做樓面服務", "Central", 80, 150);
        app.Clock.Advance(TimeSpan.FromDays(8));
        var (_, waiter) = await WorkerAsync(app, "餐廳侍應，晚市經驗，識做樓面服務", "Central", 80, 150);
        var (_, programmer) = await WorkerAsync(app, "Senior C# programmer, backend APIs", "Tuen Mun", 80, 150);
        var (_, busy) = await WorkerAsync(app, "餐廳侍應，晚市經驗", "Central", 80, 150, status: "busy");
        var (_, tooDear) = await WorkerAsync(app, "餐廳侍應，晚市經驗", "Central", 150, 200);
        var (employer, _) = await JobAsync(app);
        await SettleAsync(app);

        var feed = await FeedAsync(employer, "gigs");

        var ids = Ids(feed);
        Assert.Equal(waiter, ids[0]);
        Assert.True(!ids.Contains(programmer) || ids.IndexOf(programmer) > 0);
        Assert.DoesNotContain(inactive, ids);
        Assert.DoesNotContain(busy, ids);
        Assert.DoesNotContain(tooDear, ids);
        var features = Item(feed, waiter).GetProperty("explanation").GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(11.43, features["rate"].GetProperty("points").GetDouble(), 2);
        Assert.Equal(30, features["district"].GetProperty("points").GetDouble());
        Assert.InRange(features["similarity"].GetProperty("value").GetDouble(), 0.6, 1);
        var expected = features["similarity"].GetProperty("points").GetDouble() + 30 + 11.43;
        Assert.Equal(expected, Item(feed, waiter).GetProperty("score").GetDouble(), 1);
    }

    [Theory]
    [OnEachEngine]
    public async Task AShiftFarFromTheWorkersPreferredHoursRanksLowerAndSaysWhy(Engine engine)
    {
        using var app = App(engine);
        var worker = await app.SignUpAsync();
        await Expect.Status(await worker.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/worker", new
        {
            attributes = new { jobDescription = "餐廳侍應，晚市經驗，識做樓面服務", preferredDistricts = new[] { "Central" }, hourlyRateRange = new { min = 80, max = 150 }, status = "available" },
            preferences = new { minHours = 4, maxHours = 6 },
        }), HttpStatusCode.Created);
        var employer = await app.SignUpAsync();
        await Expect.Status(await employer.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/employer", new { attributes = new { companyName = "ABC 茶餐廳" } }), HttpStatusCode.Created);
        var jobs = new Dictionary<int, string>();
        foreach (var hours in new[] { 12, 5 })
        {
            jobs[hours] = (await Expect.Json(await employer.Client.PostAsJsonAsync("/v1/markets/gigs/listings", new
            {
                title = "急需侍應",
                description = "晚市侍應",
                attributes = new { district = "Central", hourlyRate = 120, durationHours = hours, startTime = "10:00", endTime = "22:00" },
            }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        }
        await SettleAsync(app);

        var feed = await FeedAsync(worker, "gigs");
        Assert.Equal([jobs[5], jobs[12]], Ids(feed).Where(jobs.ContainsValue));
        var longShift = Item(feed, jobs[12]);
        var hoursFit = longShift.GetProperty("explanation").GetProperty("multipliers").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "hours");
        // 6 h past the preferred 4–6 h is as far as the shorter preference is long: the floor, 0.5.
        Assert.Equal(0.5, hoursFit.GetProperty("value").GetDouble(), 3);
        Assert.Contains("12 h shift", hoursFit.GetProperty("detail").GetString());
        Assert.Equal(0.5 * Item(feed, jobs[5]).GetProperty("score").GetDouble(), longShift.GetProperty("score").GetDouble(), 1);
        Assert.DoesNotContain(Item(feed, jobs[5]).GetProperty("explanation").GetProperty("multipliers").EnumerateArray(), m => m.GetProperty("name").GetString() == "hours");
    }

    [Theory]
    [OnEachEngine]
    public async Task AWorkerWithMoreThanThirtyPercentBadRatingsDoesNotAppear(Engine engine)
    {
        using var app = App(engine);
        var (badUser, bad) = await WorkerAsync(app, "餐廳侍應，晚市經驗，識做樓面服務", "Central", 80, 150);
        var (_, good) = await WorkerAsync(app, "餐廳侍應，晚市經驗，識做樓面服務", "Central", 80, 150);
        var (employer, _) = await JobAsync(app);
        await SettleAsync(app);
        Assert.Contains(bad, Ids(await FeedAsync(employer, "gigs")));

        // Reviews (a later feature) keep these counts on the profile; written here as they will write them.
        var profiles = app.Services.GetRequiredService<Pairwise.Profiles.ProfileStore>();
        var profile = (await profiles.FindOwnAsync(badUser.UserId, "gigs", "worker", CancellationToken.None))!;
        Assert.True(await profiles.ReplaceAsync(profile.Record with { Ratings = new Pairwise.Profiles.RatingSummary(6, 0, 4) }, profile.Version, [], CancellationToken.None));
        app.Services.GetRequiredService<Pairwise.Listings.ListingChanges>().Publish(bad);
        await SettleAsync(app);

        var feed = await FeedAsync(employer, "gigs");
        Assert.DoesNotContain(bad, Ids(feed));
        Assert.Contains(good, Ids(feed));
    }

    [Theory]
    [OnEachEngine]
    public async Task AWorkerSeesTheJobScoredTheSameWay(Engine engine)
    {
        using var app = App(engine);
        var (waiter, _) = await WorkerAsync(app, "餐廳侍應，晚市經驗，識做樓面服務", "Central", 80, 150);
        var (_, job) = await JobAsync(app);
        await SettleAsync(app);

        var feed = await FeedAsync(waiter, "gigs");

        var item = Item(feed, job);
        var rate = item.GetProperty("explanation").GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "rate");
        Assert.Equal(11.43, rate.GetProperty("points").GetDouble(), 2);
    }

    [Theory]
    [OnEachEngine]
    public async Task RespondingToAJobIsRecordedAndNotAMatch(Engine engine)
    {
        using var app = App(engine);
        var (waiter, _) = await WorkerAsync(app, "餐廳侍應，晚市經驗", "Central", 80, 150);
        var (_, job) = await JobAsync(app);

        var response = await SwipeAsync(waiter, job);

        Assert.False(response.GetProperty("matched").GetBoolean());
        await SettleAsync(app);
        Assert.DoesNotContain(job, Ids(await FeedAsync(waiter, "gigs")));
    }

    [Theory]
    [OnEachEngine]
    public async Task AnEmployerWithoutALiveJobIsToldToPostOne(Engine engine)
    {
        using var app = App(engine);
        var employer = await app.SignUpAsync();
        await Expect.Status(await employer.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/employer", new { attributes = new { companyName = "Empty" } }), HttpStatusCode.Created);

        var problem = await Expect.Problem(await employer.Client.GetAsync("/v1/markets/gigs/feed"), HttpStatusCode.Conflict);

        Assert.Contains("listing", problem.GetProperty("detail").GetString());
    }
}
