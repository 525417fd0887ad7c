namespace Pairwise.Tests.Profiles;

public sealed class ProfileTests
{
    private static readonly object Investor = new
    {
        displayName = "Harbour Ventures",
        attributes = new { industries = new[] { "fintech", "ai" }, fundingStages = new[] { "seed" }, locations = new[] { "Hong Kong" }, minCheck = 100_000, maxCheck = 500_000 },
        preferences = new { industries = new[] { "fintech", "ai" }, fundingStages = new[] { "seed", "pre-seed" }, locations = new[] { "Hong Kong" }, minFunding = 250_000 },
    };

    private static readonly object Startup = new
    {
        displayName = "PayLah",
        attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong", fundingAmount = 1_500_000, website = "https://paylah.example", description = "Payments for hawkers." },
        preferences = new { industries = new[] { "fintech" }, locations = new[] { "Hong Kong", "Singapore" } },
    };

    [Theory]
    [OnEachEngine]
    public async Task AUserHoldsAnInvestorAndAStartupProfileInVenture(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();

        var investor = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor", Investor), HttpStatusCode.Created);
        var startup = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", Startup), HttpStatusCode.Created);

        Assert.Equal("investor", investor.GetProperty("side").GetString());
        Assert.Equal("fintech", investor.GetProperty("preferences").GetProperty("industries")[0].GetString());
        Assert.Equal("startup", startup.GetProperty("side").GetString());
        var me = await Expect.Json(await user.Client.GetAsync("/v1/me"), HttpStatusCode.OK);
        Assert.Equal(["investor", "startup"], me.GetProperty("profiles").EnumerateArray().Select(p => p.GetProperty("side").GetString()));
    }

    [Theory]
    [OnEachEngine]
    public async Task ALowestPriceAboveTheHighestIsRefusedNamingBoth(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var buyer = await app.SignUpAsync();

        var refused = await Expect.Problem(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer",
            new { preferences = new { minPrice = 500, maxPrice = 100 } }), HttpStatusCode.BadRequest);

        var errors = refused.GetProperty("errors");
        Assert.Contains("maxPrice", errors.GetProperty("preferences.minPrice")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("minPrice", errors.GetProperty("preferences.maxPrice")[0].GetString(), StringComparison.Ordinal);
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer",
            new { preferences = new { minPrice = 100, maxPrice = 500 } }), HttpStatusCode.Created);
    }

    [Theory]
    [OnEachEngine]
    public async Task PuttingAgainReplacesTheSameProfile(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();
        var created = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", Startup), HttpStatusCode.Created);

        var replaced = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup",
            new { attributes = new { industry = "ai", fundingStage = "series-a", location = "Singapore" } }), HttpStatusCode.OK);

        Assert.Equal(created.GetProperty("id").GetString(), replaced.GetProperty("id").GetString());
        Assert.Equal("ai", replaced.GetProperty("attributes").GetProperty("industry").GetString());
        Assert.Equal("PayLah", replaced.GetProperty("displayName").GetString());
        var mine = await Expect.Json(await user.Client.GetAsync("/v1/markets/venture/profiles/startup/me"), HttpStatusCode.OK);
        Assert.Equal("Singapore", mine.GetProperty("attributes").GetProperty("location").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task ConcurrentFirstPutsMakeOneProfile(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => user.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", Startup)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());
    }

    [Theory]
    [OnEachEngine("{\"attributes\":{\"industry\":\"fintech\",\"fundingStage\":\"seed\",\"location\":\"Hong Kong\",\"fundingAmount\":\"lots\"}}", "attributes.fundingAmount", "number")]
    [OnEachEngine("{\"attributes\":{\"industry\":\"fintech\",\"fundingStage\":\"seed\",\"location\":\"Hong Kong\",\"fundingAmount\":-5}}", "attributes.fundingAmount", "at least 0")]
    [OnEachEngine("{\"attributes\":{\"industry\":\"knitting\",\"fundingStage\":\"seed\",\"location\":\"Hong Kong\"}}", "attributes.industry", "one of")]
    [OnEachEngine("{\"attributes\":{\"industry\":\"fintech\",\"fundingStage\":\"seed\",\"location\":\"Hong Kong\",\"colour\":\"red\"}}", "attributes.colour", "Unknown field")]
    [OnEachEngine("{\"attributes\":{\"fundingStage\":\"seed\",\"location\":\"Hong Kong\"}}", "attributes.industry", "Required")]
    [OnEachEngine("{\"attributes\":{\"industry\":\"fintech\",\"fundingStage\":\"seed\",\"location\":\"Hong Kong\",\"website\":\"ftp://x\"}}", "attributes.website", "http")]
    [OnEachEngine("{\"attributes\":{\"industry\":\"fintech\",\"fundingStage\":\"seed\",\"location\":\"Hong Kong\"},\"preferences\":{\"industries\":[\"fintech\",\"fintech\"]}}", "preferences.industries", "twice")]
    [OnEachEngine("{\"attributes\":[1,2]}", "attributes", "object")]
    public async Task AnInvalidProfileIsRefusedNamingTheField(Engine engine, string body, string field, string message)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();

        var response = await user.Client.PutAsync("/v1/markets/venture/profiles/startup", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await Expect.Problem(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), errors.ToString());
        Assert.Contains(message, messages[0].GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task ValuesAreNormalised(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();

        var profile = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new
        {
            attributes = new { location = new { lat = 22.28, lon = 114.16 } },
            preferences = new { tags = new[] { " Road Bikes ", "#vintage", "road bikes" }, conditions = new[] { "USED" }, radiusKm = 5 },
        }), HttpStatusCode.Created);

        var preferences = profile.GetProperty("preferences");
        Assert.Equal(["road-bikes", "vintage"], preferences.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("used", preferences.GetProperty("conditions")[0].GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task CompletenessIsTheShareOfFieldsFilled(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();

        var sparse = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/worker",
            new { attributes = new { jobDescription = "餐廳服務員，有咖啡經驗", status = "available" } }), HttpStatusCode.Created);
        var full = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/worker", new
        {
            attributes = new { jobDescription = "餐廳服務員，有咖啡經驗", status = "available", preferredDistricts = new[] { "Central", "TST" }, hourlyRateRange = new { min = 80, max = 150 }, skills = new[] { "barista" } },
            preferences = new { minHours = 2, maxHours = 8 },
        }), HttpStatusCode.OK);

        Assert.Equal(0.29, sparse.GetProperty("completeness").GetDouble());
        Assert.Equal(1.0, full.GetProperty("completeness").GetDouble());
    }

    [Theory]
    [OnEachEngine]
    public async Task OthersSeeAttributesButNotPreferences(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var owner = await app.SignUpAsync();
        var stranger = await app.SignUpAsync();
        var id = (await Expect.Json(await owner.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor", Investor), HttpStatusCode.Created)).GetProperty("id").GetString();

        var seen = await Expect.Json(await stranger.Client.GetAsync($"/v1/profiles/{id}"), HttpStatusCode.OK);

        Assert.Equal("Harbour Ventures", seen.GetProperty("displayName").GetString());
        Assert.True(seen.TryGetProperty("attributes", out _));
        Assert.False(seen.TryGetProperty("preferences", out _));
        await Expect.Problem(await stranger.Client.GetAsync("/v1/profiles/prf_00000000000000000000000000000000"), HttpStatusCode.NotFound);
        await Expect.Problem(await stranger.Client.GetAsync("/v1/profiles/../../etc/passwd"), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEachEngine]
    public async Task AnUnknownMarketOrSideIsNotFound(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();
        await Expect.Problem(await user.Client.PutAsJsonAsync("/v1/markets/chess/profiles/player", Startup), HttpStatusCode.NotFound);
        await Expect.Problem(await user.Client.PutAsJsonAsync("/v1/markets/venture/profiles/mentor", Startup), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEachEngine]
    public async Task ProfilesNeedASignedInUser(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        await Expect.Problem(await app.CreateClient().PutAsJsonAsync("/v1/markets/venture/profiles/startup", Startup), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [OnEachEngine]
    public async Task TheCurrentModeSwitchesBetweenProfiles(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();
        await Expect.Problem(await user.Client.PutAsJsonAsync("/v1/me/mode", new { market = "gigs", side = "employer" }), HttpStatusCode.Conflict);
        await Expect.Status(await user.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/employer", new { attributes = new { companyName = "ABC Restaurant" } }), HttpStatusCode.Created);

        var me = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/me/mode", new { market = "gigs", side = "employer" }), HttpStatusCode.OK);

        Assert.Equal("employer", me.GetProperty("currentMode").GetProperty("side").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task ADeletedProfileIsGone(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();
        await Expect.Status(await user.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", Startup), HttpStatusCode.Created);

        await Expect.Status(await user.Client.DeleteAsync("/v1/markets/venture/profiles/startup/me"), HttpStatusCode.NoContent);

        await Expect.Problem(await user.Client.GetAsync("/v1/markets/venture/profiles/startup/me"), HttpStatusCode.NotFound);
        await Expect.Status(await user.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", Startup), HttpStatusCode.Created);
    }
}
