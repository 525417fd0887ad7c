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

/// <summary>
/// The venture recipe (seeds 000 and 003), also used by markets that name "weighted": quality
/// plus the match of preferences to attributes, and in reciprocal markets the harmonic mean of
/// both directions, so a card ranks high only if its owner would want the viewer too. Criteria
/// marked as filters remove cards before scoring — in mutual markets both ways, so two people
/// see each other only if each would see the other.
/// </summary>
public sealed class PreferenceRecipe(RankingModel model) : Recipe
{
    private readonly float _quality = (float)model.Market.Scoring.Weight(ScoringWeights.Quality);
    private readonly float _match = (float)model.Market.Scoring.Weight(ScoringWeights.Match);
    private readonly bool _reciprocal = model.Market.Scoring.Weight(ScoringWeights.Reciprocal) > 0;

    public override string Name => model.Market.Scoring.Recipe;

    public override float Scale => 100 * (_quality + _match);

    /// <param name="Backwards">Whether the owner's criteria are scored at all: for the reciprocal mean, or for their filters in a mutual market.</param>
    private sealed record State(CompiledCriterion[] Forward, float[]?[] Tables, float[] Weights, CompiledCriterion[] Backward, bool Backwards, bool Reciprocal);

    public override object Prepare(Viewer viewer)
    {
        var forward = model.Criteria(viewer.Side, viewer.Counterpart);
        var features = viewer.Features;
        var mutual = model.Market.MatchRule == MatchRule.Mutual && viewer.Counterpart.Presentation == Presentation.Card && viewer.Side.Presentation == Presentation.Card;
        var backward = model.Criteria(viewer.Counterpart, viewer.Side);
        var reciprocal = _reciprocal && viewer.Counterpart.Presentation == Presentation.Card;
        return new State(forward, [.. forward.Select(c => c.TableFor(features))], [.. forward.Select(c => c.WeightFor(features))],
            backward, reciprocal || (mutual && backward.Any(c => c.Filter)), reciprocal);
    }

    public override float Score(Viewer viewer, Columns columns, int row, float similarity, Explanation? explain)
    {
        var state = (State)viewer.State!;
        var card = columns.Features(row);
        var match = Match(state.Forward, state.Weights, state.Tables, viewer.Features, card, explain, _match);
        // The card's owner's filters, the other way: they would not see the viewer, so the viewer does not see them.
        var backwardMatch = state.Backwards ? Match(state.Backward, null, null, card, viewer.Features, null, 1) : 0;
        return Combine(viewer, state, columns, row, Quality(columns, row, viewer.Now), match, backwardMatch, explain);
    }

    /// <summary>
    /// The full scan's way: each criterion over all the rows before the next (a loop the processor
    /// predicts, with no per-card call or dispatch), then the rows' scores as <see cref="Score"/> makes
    /// them.
    /// </summary>
    public override void ScoreRows(Viewer viewer, Columns columns, ReadOnlySpan<int> rows, ReadOnlySpan<float> similarities, Span<float> scores)
    {
        var state = (State)viewer.State!;
        var n = rows.Length;
        var floats = System.Buffers.ArrayPool<float>.Shared.Rent(5 * n);
        try
        {
            var span = floats.AsSpan(0, 5 * n);
            span.Clear();
            Span<float> forward = span[..n], forwardWeights = span.Slice(n, n), backward = span.Slice(2 * n, n), backwardWeights = span.Slice(3 * n, n),
                scratch = span.Slice(4 * n, n);
            MatchRows(state.Forward, state.Weights, state.Tables, viewer.Features, columns, rows, viewerWants: true, forward, forwardWeights, scratch);
            Means(state.Forward.Length, forward, forwardWeights);
            if (state.Backwards)
            {
                MatchRows(state.Backward, null, null, viewer.Features, columns, rows, viewerWants: false, backward, backwardWeights, scratch);
                Means(state.Backward.Length, backward, backwardWeights);
            }
            for (var i = 0; i < n; i++)
            {
                scores[i] = Combine(viewer, state, columns, rows[i], Quality(columns, rows[i], viewer.Now), forward[i], backward[i], null);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(floats);
        }
    }

    /// <summary>
    /// <see cref="Match"/> for many rows, a criterion at a time: each row's weighted total and sum of
    /// weights, added in the same order as <see cref="Match"/> adds them; a row a filter removes gets a
    /// NaN sum. <paramref name="viewerWants"/>: the viewer's criteria against the rows' cards, else the
    /// cards' owners' criteria against the viewer.
    /// </summary>
    private static void MatchRows(CompiledCriterion[] criteria, float[]? weights, float[]?[]? tables, in FeatureView viewer, Columns columns,
        ReadOnlySpan<int> rows, bool viewerWants, Span<float> totals, Span<float> sums, Span<float> scores)
    {
        for (var c = 0; c < criteria.Length; c++)
        {
            var criterion = criteria[c];
            criterion.ScoreRows(viewer, tables?[c], columns, rows, viewerWants, scores);
            var fixedWeight = weights?[c] ?? (criterion.Importance < 0 ? criterion.Weight : float.NaN);
            var i = 0;
            if (!criterion.Filter && !float.IsNaN(fixedWeight))
            {
                // The common case without a branch per card (missing values come in no order a
                // processor could predict): a NaN score adds nothing, a NaN (filtered) sum stays NaN.
                i = AddWeighted(fixedWeight, scores, totals, sums);
            }
            for (; i < rows.Length; i++)
            {
                var score = scores[i];
                if (float.IsNaN(score) || float.IsNaN(sums[i]))
                {
                    continue;
                }
                if (score <= 0 && criterion.Filter)
                {
                    sums[i] = float.NaN;
                    continue;
                }
                var weight = float.IsNaN(fixedWeight) ? criterion.WeightFor(columns.Features(rows[i])) : fixedWeight;
                totals[i] += weight * score;
                sums[i] += weight;
            }
        }
    }

    /// <summary>Adds <paramref name="weight"/> × score and the weight where the score is a number, a vector at a time; returns how many rows it did.</summary>
    private static int AddWeighted(float weight, ReadOnlySpan<float> scores, Span<float> totals, Span<float> sums)
    {
        if (!System.Numerics.Vector.IsHardwareAccelerated)
        {
            return 0;
        }
        var (weights, zero) = (new System.Numerics.Vector<float>(weight), System.Numerics.Vector<float>.Zero);
        var i = 0;
        for (; i <= scores.Length - System.Numerics.Vector<float>.Count; i += System.Numerics.Vector<float>.Count)
        {
            var score = new System.Numerics.Vector<float>(scores[i..]);
            var known = System.Numerics.Vector.Equals(score, score);
            (new System.Numerics.Vector<float>(totals[i..]) + System.Numerics.Vector.ConditionalSelect(known, weights * score, zero)).CopyTo(totals[i..]);
            (new System.Numerics.Vector<float>(sums[i..]) + System.Numerics.Vector.ConditionalSelect(known, weights, zero)).CopyTo(sums[i..]);
        }
        return i;
    }

    /// <summary>
    /// <see cref="Mean"/> of every row in place (totals become means), eight or more at a time: the
    /// same operations in the same order, so the same numbers as one at a time.
    /// </summary>
    private static void Means(int criteria, Span<float> totals, ReadOnlySpan<float> sums)
    {
        if (criteria == 0)
        {
            totals.Clear();
            return;
        }
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var (hundred, fifty) = (new System.Numerics.Vector<float>(100), new System.Numerics.Vector<float>(50));
            for (; i <= totals.Length - System.Numerics.Vector<float>.Count; i += System.Numerics.Vector<float>.Count)
            {
                var sum = new System.Numerics.Vector<float>(sums[i..]);
                // A NaN sum (filtered) gives NaN, as below; a sum of 0 or less gives 50.
                var mean = hundred * new System.Numerics.Vector<float>(totals[i..]) / sum;
                System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.LessThanOrEqual(sum, System.Numerics.Vector<float>.Zero), fifty, mean).CopyTo(totals[i..]);
            }
        }
        for (; i < totals.Length; i++)
        {
            totals[i] = Mean(criteria, totals[i], sums[i]);
        }
    }

    /// <summary>The end of <see cref="Match"/>: the weighted mean out of 100 (50 when nothing is known, 0 without criteria, NaN when filtered).</summary>
    private static float Mean(int criteria, float total, float sum) =>
        criteria == 0 ? 0 : float.IsNaN(sum) ? float.NaN : sum <= 0 ? 50 : 100 * total / sum;

    private float Combine(Viewer viewer, State state, Columns columns, int row, float quality, float match, float backwardMatch, Explanation? explain)
    {
        if (float.IsNaN(match) || float.IsNaN(backwardMatch))
        {
            return float.NaN;
        }
        explain?.Feature("quality", quality / 100, 100 * _quality, QualityDetail(columns, row, viewer.Now));
        var forward = (_quality * quality) + (_match * match);
        if (!state.Reciprocal)
        {
            return Blend(viewer, columns, row, forward, explain);
        }
        var backward = (_quality * viewer.Quality) + (_match * backwardMatch);
        var mutual = forward + backward <= 0 ? 0 : 2 * forward * backward / (forward + backward);
        // Ranked by both sides' interest (the harmonic mean of the two scores): in words, how well the viewer fits the other side.
        explain?.Adjustment("reciprocal", backward / Scale, mutual - forward,
            backward >= forward ? "you fit what they look for at least as well as they fit you"
            : backward >= forward / 2 ? "you fit some of what they look for"
            : "you fit little of what they look for, so they rank lower",
            $"the harmonic mean of {forward:0.##} (they fit you) and {backward:0.##} (you fit them): {mutual:0.##}");
        return Blend(viewer, columns, row, mutual, explain);
    }

    /// <summary>
    /// 0–100: the weighted mean of the criteria <paramref name="card"/> meets for <paramref name="wants"/>,
    /// leaving out criteria either side says nothing about (50 when nothing is known); NaN when a
    /// filter criterion scores 0. Explaining, each criterion's points are out of 100 × <paramref name="scale"/>.
    /// </summary>
    public static float Match(CompiledCriterion[] criteria, float[]? weights, float[]?[]? tables, in FeatureView wants, in FeatureView card, Explanation? explain, float scale)
    {
        if (criteria.Length == 0)
        {
            return 0;
        }
        float total = 0, sum = 0;
        Span<float> scores = stackalloc float[criteria.Length];
        for (var i = 0; i < criteria.Length; i++)
        {
            var criterion = criteria[i];
            var score = tables is null ? criterion.Score(wants, card) : criterion.Score(wants, card, tables[i]);
            scores[i] = score;
            if (float.IsNaN(score))
            {
                continue;
            }
            if (score <= 0 && criterion.Filter)
            {
                return float.NaN;
            }
            var weight = weights?[i] ?? criterion.WeightFor(wants);
            total += weight * score;
            sum += weight;
        }
        if (explain is not null)
        {
            for (var i = 0; i < criteria.Length; i++)
            {
                var weight = weights?[i] ?? criteria[i].WeightFor(wants);
                if (float.IsNaN(scores[i]) || sum <= 0)
                {
                    explain.Feature($"match.{criteria[i].Name}", 0, 0, "left out: not stated on both sides");
                }
                else
                {
                    explain.Feature($"match.{criteria[i].Name}", scores[i], Math.Round(100 * scale * weight / sum, 4),
                        CriterionWords.Words(criteria[i], wants, card, scores[i]) ?? (criteria[i].Filter ? "a filter it passes" : null));
                }
            }
            if (sum <= 0)
            {
                explain.Feature("match", 0.5, 100 * scale, "nothing to compare yet: neutral");
            }
        }
        return sum <= 0 ? 50 : 100 * total / sum;
    }
}
