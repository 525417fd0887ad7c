using System.Collections.Frozen;

namespace Pairwise.Markets;

/// <summary>A weight or parameter a recipe reads from <c>scoring.weights</c>, with its value when the market file leaves it out.</summary>
public sealed record ScoringWeight(string Name, double Default);

/// <summary>
/// Every weight the recipes read, declared once with its default. A market file may set only the
/// weights of its recipe: a misspelt name is a load error naming the file and the key, not a
/// value ignored in silence.
/// </summary>
public static class ScoringWeights
{
    // Read by the feed for every recipe.
    public static readonly ScoringWeight FeedSize = new("feedSize", 10);
    public static readonly ScoringWeight PassCooldownDays = new("passCooldownDays", 30);
    public static readonly ScoringWeight LikedMultiplier = new("likedMultiplier", 2);
    public static readonly ScoringWeight PassedMultiplier = new("passedMultiplier", 0.5);

    // The learned term (every recipe, unless scoring.learning is false).
    /// <summary>The most the learned term weighs against the recipe's score, once the market has many swipes (the fit may change it).</summary>
    public static readonly ScoringWeight LearningBlend = new("learningBlend", 0.8);

    /// <summary>The market's swipes at which the learned term weighs half of <see cref="LearningBlend"/>.</summary>
    public static readonly ScoringWeight LearningRamp = new("learningRamp", 100);

    /// <summary>How many swipes' worth of the market's average a card's or a person's own rate is smoothed with.</summary>
    public static readonly ScoringWeight LearningPrior = new("learningPrior", 5);

    // venture and weighted (seeds 000, 003).
    public static readonly ScoringWeight Quality = new("quality", 1);
    public static readonly ScoringWeight Match = new("match", 1);
    public static readonly ScoringWeight Reciprocal = new("reciprocal", 0);

    // gigs (seed 001).
    public static readonly ScoringWeight Similarity = new("similarity", 50);
    public static readonly ScoringWeight District = new("district", 30);
    public static readonly ScoringWeight Rate = new("rate", 20);
    public static readonly ScoringWeight MinSimilarity = new("minSimilarity", 0.6);
    public static readonly ScoringWeight ActiveWithinDays = new("activeWithinDays", 7);
    public static readonly ScoringWeight MaxBadRatio = new("maxBadRatio", 0.3);

    /// <summary>What a job entirely outside the worker's preferred hours keeps of its score (1: hours are ignored, as in the seed).</summary>
    public static readonly ScoringWeight HoursFloor = new("hoursFloor", 0.5);

    // marketplace (seed 002).
    public static readonly ScoringWeight Distance = new("distance", 40);
    public static readonly ScoringWeight Tags = new("tags", 25);
    public static readonly ScoringWeight Price = new("price", 15);
    public static readonly ScoringWeight Condition = new("condition", 10);
    public static readonly ScoringWeight Freshness = new("freshness", 10);
    public static readonly ScoringWeight MaxHypeBoost = new("maxHypeBoost", 0.25);
    public static readonly ScoringWeight MaxTrendBoost = new("maxTrendBoost", 0.1);
    public static readonly ScoringWeight DefaultRadiusKm = new("defaultRadiusKm", 10);
    public static readonly ScoringWeight FreshnessDays = new("freshnessDays", 30);

    private static readonly ScoringWeight[] Feed = [FeedSize, PassCooldownDays, LikedMultiplier, PassedMultiplier, LearningBlend, LearningRamp, LearningPrior];
    private static readonly ScoringWeight[] Preferences = [.. Feed, Quality, Match, Reciprocal];

    /// <summary>The names each recipe reads.</summary>
    public static readonly FrozenDictionary<string, FrozenSet<string>> ByRecipe = new Dictionary<string, ScoringWeight[]>
    {
        ["venture"] = Preferences,
        ["weighted"] = Preferences,
        ["gigs"] = [.. Feed, Similarity, District, Rate, MinSimilarity, ActiveWithinDays, MaxBadRatio, HoursFloor],
        ["marketplace"] = [.. Feed, Distance, Tags, Price, Condition, Freshness, MaxHypeBoost, MaxTrendBoost, DefaultRadiusKm, FreshnessDays],
    }.ToFrozenDictionary(r => r.Key, r => r.Value.Select(w => w.Name).ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);

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
