using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Profiles;

namespace Pairwise.Ranking;

/// <summary>Why a card scored what it did: each feature's points and each multiplier's factor.</summary>
public sealed class Explanation
{
    public required string Recipe { get; init; }
    public List<ExplanationTerm> Features { get; } = [];
    public List<ExplanationTerm> Multipliers { get; } = [];
    public double Base { get; set; }
    public double Score { get; set; }

    /// <summary>The learned term's parts, when the market learns from behaviour.</summary>
    public BehaviourExplanation? Behaviour { get; set; }

    public void Feature(string name, double value, double weight, string? detail = null, string? basis = null) =>
        Features.Add(new ExplanationTerm(name, Math.Round(value, 4), weight, Math.Round(value * weight, 2), detail, basis));

    /// <summary>A term whose points are not its value times its weight (an adjustment such as the reciprocal mean's).</summary>
    public void Adjustment(string name, double value, double points, string detail, string? basis = null) =>
        Features.Add(new ExplanationTerm(name, Math.Round(value, 4), 0, Math.Round(points, 2), detail, basis));

    /// <summary>Scales every feature's weight and points (the recipe's share when a learned term is blended in).</summary>
    public void ScaleFeatures(double factor)
    {
        for (var i = 0; i < Features.Count; i++)
        {
            var term = Features[i];
            Features[i] = term with { Weight = Math.Round(term.Weight * factor, 4), Points = Math.Round(term.Points * factor, 2) };
        }
    }

    public void Multiplier(string name, double factor, string detail) => Multipliers.Add(new ExplanationTerm(name, Math.Round(factor, 4), 1, factor, detail));
}

/// <param name="Detail">The reason in words, true to the numbers: what people see.</param>
/// <param name="Basis">How it was computed (the model, the formula), for operators and debugging; null where the words say it all.</param>
public sealed record ExplanationTerm(string Name, double Value, double Weight, double Points, string? Detail, string? Basis = null);

/// <summary>Who is looking: their profile encoded like cards are, where they are, and what they look for.</summary>
public sealed class Viewer
{
    public required MarketDefinition Market { get; init; }
    public required SideDefinition Side { get; init; }
    public required SideDefinition Counterpart { get; init; }
    public required ProfileRecord Profile { get; init; }
    public required FeatureView Features { get; init; }
    public GeoPoint? Location { get; init; }
    public float[]? Embedding { get; init; }

    /// <summary>The remote model's vector of the viewer's text (or job), when that model answered.</summary>
    public float[]? RemoteEmbedding { get; init; }

    /// <summary>The tags the viewer is interested in (marketplace).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    public required long Now { get; init; }

    /// <summary>For an employer in gigs: the job the workers are ranked for.</summary>
    public FeatureView? Listing { get; init; }

    /// <summary>The viewer's own quality, for reciprocal scoring.</summary>
    public float Quality { get; init; }

    /// <summary>The learned term's view of this viewer; null when the market does not learn.</summary>
    public LearnedView? Learned { get; init; }

    /// <summary>What the viewer's ranking depends on (profile, listing, learned parameters): a kept list with another one is stale.</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>What the recipe resolved once for this viewer (slots, thresholds), so scoring a card looks nothing up.</summary>
    public object? State { get; set; }
}

/// <summary>
/// A scoring recipe: hard filters and weighted features for one card, as the market defines
/// them. Multipliers (sentiment, time) are the feed's, common to all recipes. Returns NaN when a
/// filter excludes the card. Called for every candidate, so it allocates only when explaining.
/// </summary>
public abstract class Recipe
{
    public abstract string Name { get; }

    public virtual bool UsesEmbeddings => false;

    /// <summary>The most the recipe's score can be (before its multipliers): the learned term is put on this scale.</summary>
    public abstract float Scale { get; }

    /// <summary>
    /// The recipe's additive score blended with the learned term: (1 − w) × content + w × scale × Q,
    /// where w grows with the market's swipes. Called by every recipe before its own multipliers;
    /// explaining, it scales the recipe's terms by 1 − w, adds the learned term, and sets the base,
    /// so the explained points add up to the base.
    /// </summary>
    protected float Blend(Viewer viewer, Columns columns, int row, float content, Explanation? explain)
    {
        if (viewer.Learned is not { Weight: > 0 } learned)
        {
            if (explain is not null)
            {
                explain.Base = Math.Round(content, 4);
            }
            return content;
        }
        var weight = learned.Weight;
        if (explain is null && learned.Rows is { } rows)
        {
            return ((1 - weight) * content) + (weight * Scale * rows[row]);
        }
        var (q, forward, backward, appeal, eagerness) = learned.Score(columns, row);
        var blended = ((1 - weight) * content) + (weight * Scale * q);
        if (explain is not null)
        {
            var summary = learned.Reason(appeal, eagerness, backward);
            explain.ScaleFeatures(1 - weight);
            explain.Feature("learned", q, Math.Round(weight * Scale, 4),
                $"{summary}: a {forward * backward:0%} chance of {(learned.Mutual ? "a yes from both of you" : "a yes")}, against {(learned.Mutual ? learned.CardRate * learned.ViewerRate : learned.CardRate):0%} for anyone",
                $"chance {forward * backward:0.0%} against {(learned.Mutual ? learned.CardRate * learned.ViewerRate : learned.CardRate):0.0%}; weighs {weight:0%} from {learned.Parameters.FittedOn switch { 0 => "the default model", var n => $"a model fitted on {n} swipes" }}");
            explain.Behaviour = new BehaviourExplanation(
                Math.Round(LearnedView.Sigmoid(appeal + LearnedView.Logit(learned.CardRate)), 4),
                Math.Round(LearnedView.Sigmoid(eagerness + LearnedView.Logit(learned.ViewerRate)), 4),
                Math.Round(forward, 4), Math.Round(backward, 4), Math.Round(forward * backward, 4), Math.Round(weight, 4), summary);
            explain.Base = Math.Round(blended, 4);
        }
        return blended;
    }

    /// <summary>Resolves, once per request, what scoring every card needs; stored in <see cref="Viewer.State"/>.</summary>
    public abstract object Prepare(Viewer viewer);

    public abstract float Score(Viewer viewer, Columns columns, int row, float similarity, Explanation? explain);

    /// <summary>
    /// Scores the given rows into <paramref name="scores"/>, exactly as <see cref="Score"/> scores
    /// each (the full scan calls this; explanations and rescoring call <see cref="Score"/>).
    /// <paramref name="similarities"/> is by row, or empty. A recipe may score a criterion at a time here.
    /// </summary>
    public virtual void ScoreRows(Viewer viewer, Columns columns, ReadOnlySpan<int> rows, ReadOnlySpan<float> similarities, Span<float> scores)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            scores[i] = Score(viewer, columns, rows[i], similarities.IsEmpty ? 0 : similarities[rows[i]], null);
        }
    }

    protected static float Days(long ticks) => ticks / (float)TimeSpan.TicksPerDay;

    /// <summary>
    /// Seed 000's quality score, 0–100: half profile completeness, a fifth paid promotion (hype while
    /// boosted), the rest profile age (full at 30 days) and activity (full within 7 days, none after 30).
    /// </summary>
    public static float Quality(Columns columns, int row, long now)
    {
        var (completeness, paid, age, activity) = QualityParts(columns, row, now);
        return 100 * ((0.5f * completeness) + (0.2f * paid) + (0.15f * age) + (0.15f * activity));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static (float Completeness, float Paid, float Age, float Activity) QualityParts(Columns columns, int row, long now)
    {
        // Multiplications by constants, not divisions: this runs for every card of a full scan.
        var paid = columns.BoostUntil[row] > now ? Math.Min(1, columns.Hype[row] * 0.01f) : 0;
        var age = Math.Clamp((now - columns.ProfileCreated[row]) * PerThirtyDays, 0, 1);
        var idle = (now - columns.LastActive[row]) * PerDay;
        var activity = idle <= 7 ? 1 : Math.Clamp(1 - ((idle - 7) * (1f / 23)), 0, 1);
        return (columns.Completeness[row], paid, age, activity);
    }

    private const float PerDay = 1f / TimeSpan.TicksPerDay;
    private const float PerThirtyDays = 1f / (30f * TimeSpan.TicksPerDay);

    /// <summary>The quality score's parts in words, for the explanation.</summary>
    public static string QualityDetail(Columns columns, int row, long now)
    {
        var (completeness, paid, age, activity) = QualityParts(columns, row, now);
        return $"profile {completeness:0%} complete, {(paid > 0 ? "promoted, " : "")}{(age >= 1 ? "a month or more old" : "new")}, {(activity >= 1 ? "active this week" : activity > 0 ? "active this month" : "inactive")}";
    }
}
