using System.Collections.Frozen;

namespace Pairwise.Markets;

/// <summary>
/// The weights each scoring recipe reads from <c>scoring.weights</c>. A market file may set only
/// these: a misspelt name would otherwise be ignored in silence and the default used.
/// </summary>
public static class ScoringWeights
{
    /// <summary>Read by the feed for every recipe: page size, the pass cool-down and the sentiment multipliers.</summary>
    private static readonly string[] Feed = ["feedSize", "passCooldownDays", "likedMultiplier", "passedMultiplier"];

    private static readonly string[] Preferences = ["quality", "match", "reciprocal"];

    public static readonly FrozenDictionary<string, FrozenSet<string>> ByRecipe = new Dictionary<string, FrozenSet<string>>
    {
        ["venture"] = FrozenSet.Create([.. Feed, .. Preferences]),
        ["weighted"] = FrozenSet.Create([.. Feed, .. Preferences]),
        ["gigs"] = FrozenSet.Create([.. Feed, "similarity", "district", "rate", "minSimilarity", "activeWithinDays", "maxBadRatio"]),
        ["marketplace"] = FrozenSet.Create([.. Feed, "distance", "tags", "price", "condition", "freshness", "maxHypeBoost", "defaultRadiusKm", "freshnessDays"]),
    }.ToFrozenDictionary();

    /// <summary>One error per weight the recipe does not read, naming the key and what is allowed.</summary>
    public static IEnumerable<string> Check(ScoringDefinition scoring)
    {
        if (!ByRecipe.TryGetValue(scoring.Recipe, out var known))
        {
            yield break;
        }
        foreach (var name in scoring.Weights.Keys.Where(n => !known.Contains(n)).Order(StringComparer.Ordinal))
        {
            yield return $"scoring.weights.{name}: the {scoring.Recipe} recipe has no weight '{name}' (it reads {string.Join(", ", known.Order(StringComparer.Ordinal))})";
        }
    }
}
