using Pairwise.Markets;

namespace Pairwise.Tests.Markets;

public sealed class MarketTests
{
    private static string PresetFolder => Path.Combine(AppContext.BaseDirectory, "markets");

    [Theory]
    [OnEachEngine]
    public async Task ListsThePresetMarketsWithTheirSides(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var markets = await Expect.Json(await app.CreateClient().GetAsync("/v1/markets"), HttpStatusCode.OK);

        var ids = markets.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["gigs", "marketplace", "venture"], ids);
        var venture = markets.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "venture");
        Assert.Equal(["startup", "investor"], venture.GetProperty("sides").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, markets.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [OnEachEngine]
    public async Task DescribesAMarketWithItsSchemas(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var gigs = await Expect.Json(await app.CreateClient().GetAsync("/v1/markets/gigs"), HttpStatusCode.OK);

        Assert.Equal("selection", gigs.GetProperty("matchRule").GetString());
        var worker = gigs.GetProperty("sides")[0];
        Assert.Contains(worker.GetProperty("attributes").EnumerateArray(), f => f.GetProperty("name").GetString() == "hourlyRateRange" && f.GetProperty("type").GetString() == "range");
        Assert.Equal("job", gigs.GetProperty("sides")[1].GetProperty("listings").GetProperty("kind").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task AnUnknownMarketIsNotFound(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var problem = await Expect.Problem(await app.CreateClient().GetAsync("/v1/markets/chess"), HttpStatusCode.NotFound);
        Assert.Contains("chess", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task AnOperatorAddsAMarketByAddingAFile(Engine engine)
    {
        var folder = TempFolder.Create("markets");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "examples", "dating.json"), Path.Combine(folder, "dating.json"));
        using var app = new PairwiseApp(engine, new() { ["Pairwise:MarketsDirectory"] = folder });

        var dating = await Expect.Json(await app.CreateClient().GetAsync("/v1/markets/dating"), HttpStatusCode.OK);

        Assert.Equal("mutual", dating.GetProperty("matchRule").GetString());
        var markets = await Expect.Json(await app.CreateClient().GetAsync("/v1/markets"), HttpStatusCode.OK);
        Assert.Equal(4, markets.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void ThePresetsAreValid()
    {
        var catalog = MarketCatalog.Load([PresetFolder]);
        Assert.Equal(3, catalog.All.Count);
    }

    [Theory]
    [InlineData("\"matchRule\": \"mutual\"", "\"matchRule\": \"sometimes\"", "$.matchRule")]
    [InlineData("\"type\": \"integer\", \"min\": 18", "\"type\": \"integr\", \"min\": 18", "$.sides[0].attributes[0].type")]
    [InlineData("\"valueSet\": \"interests\", \"maxItems\": 8", "\"valueSet\": \"hobbies\", \"maxItems\": 8", "sides[0].attributes[3].valueSet")]
    [InlineData("\"recipe\": \"weighted\"", "\"recipe\": \"magic\"", "scoring.recipe")]
    [InlineData("\"name\": \"bio\", ", "\"name\": \"bio\", \"colour\": \"red\", ", "$.sides[0].attributes[4].colour")]
    public void ABrokenMarketFileIsRejectedNamingTheFileAndField(string valid, string broken, string field)
    {
        var folder = TempFolder.Create("broken");
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "dating.json"));
        Assert.Contains(valid, text);
        var file = Path.Combine(folder, "dating.json");
        File.WriteAllText(file, text.Replace(valid, broken));

        var error = Assert.Throws<MarketDefinitionException>(() => MarketCatalog.LoadFile(file));

        Assert.Contains(file, error.Message);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void AMarketWhoseIdDiffersFromItsFileNameIsRejected()
    {
        var folder = TempFolder.Create("misnamed");
        var file = Path.Combine(folder, "romance.json");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "examples", "dating.json"), file);

        var error = Assert.Throws<MarketDefinitionException>(() => MarketCatalog.LoadFile(file));
        Assert.Contains("must match the file name", error.Message);
    }
}
