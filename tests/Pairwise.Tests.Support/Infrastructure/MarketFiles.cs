using System.Text.Json.Nodes;

namespace Pairwise.Tests.Infrastructure;

/// <summary>Market folders for an app: the shipped presets and examples, as they are or changed.</summary>
public static class MarketFiles
{
    /// <summary>
    /// Settings that load the shipped markets with <c>scoring.learning</c> false: the seeds' formulas
    /// exactly, whatever the swipes say (the seed-formula tests).
    /// </summary>
    public static Dictionary<string, string?> WithoutLearning() => Folder(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "markets"), "*.json"), market =>
    {
        market["scoring"]!["learning"] = false;
    });

    /// <summary>Settings that add the example dating market (docs/examples), changed by <paramref name="change"/> when given.</summary>
    public static Dictionary<string, string?> Dating(Action<JsonNode>? change = null) =>
        Folder([Path.Combine(AppContext.BaseDirectory, "examples", "dating.json")], change ?? (_ => { }));

    private static Dictionary<string, string?> Folder(IEnumerable<string> files, Action<JsonNode> change)
    {
        var folder = TempFolder.Create("markets");
        foreach (var file in files)
        {
            var market = JsonNode.Parse(File.ReadAllText(file), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
            change(market);
            File.WriteAllText(Path.Combine(folder, Path.GetFileName(file)), market.ToJsonString());
        }
        return new Dictionary<string, string?> { ["Pairwise:MarketsDirectory"] = folder };
    }
}
