using System.Text.Json.Nodes;

namespace Pairwise.Tests.Platform;

/// <summary>A wrong setting or market file stops the real server at start, with one line that names it.</summary>
[Trait("Category", "BinaryProcess")]
public sealed class StartupTests
{
    [Fact]
    public async Task AMisspeltWeightInAMarketFileStopsTheServerNamingTheFileAndTheKey()
    {
        var data = TempFolder.Create("startup");
        var markets = Directory.CreateDirectory(Path.Combine(data, "markets")).FullName;
        var venture = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "markets", "venture.json")))!;
        venture["id"] = "typo";
        venture["scoring"]!["weights"]!["qualty"] = 2;
        await File.WriteAllTextAsync(Path.Combine(markets, "typo.json"), venture.ToJsonString());

        var run = await ServerProcess.RunCommandAsync(data, new Dictionary<string, string> { ["Pairwise__MarketsDirectory"] = markets },
            "serve", "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}");

        Assert.NotEqual(0, run.Exit);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("typo.json", line);
        Assert.Contains("scoring.weights.qualty", line);
    }

    [Theory]
    [InlineData("Pairwise__Tokens__AccessTokenLifetime", "soon", "Pairwise:Tokens:AccessTokenLifetime")]
    [InlineData("Pairwise__RateLimits__SendBurst", "0", "Pairwise:RateLimits:SendBurst")]
    [InlineData("Pairwise__Storage", "postgres", "Pairwise:Storage")]
    [InlineData("Pairwise__Smtp__Hots", "mail.example.com", "Pairwise:Smtp:Hots")]
    [InlineData("Pairwise__Smtp__Port", "0", "Pairwise:Smtp:Port")]
    [InlineData("Pairwise__Ranking__InstantModeMaxCards", "many", "Pairwise:Ranking:InstantModeMaxCards")]
    public async Task AMalformedSettingStopsTheServerNamingTheKey(string variable, string value, string key)
    {
        var data = TempFolder.Create("startup");

        var run = await ServerProcess.RunCommandAsync(data, new Dictionary<string, string> { [variable] = value },
            "serve", "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}");

        Assert.NotEqual(0, run.Exit);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(key, line);
    }
}
