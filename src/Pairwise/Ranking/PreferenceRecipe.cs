using System.Numerics;
using Pairwise.Markets;

namespace Pairwise.Ranking;

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
        if (!Vector.IsHardwareAccelerated)
        {
            return 0;
        }
        var (weights, zero) = (new Vector<float>(weight), Vector<float>.Zero);
        var i = 0;
        for (; i <= scores.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var score = new Vector<float>(scores[i..]);
            var known = Vector.Equals(score, score);
            (new Vector<float>(totals[i..]) + Vector.ConditionalSelect(known, weights * score, zero)).CopyTo(totals[i..]);
            (new Vector<float>(sums[i..]) + Vector.ConditionalSelect(known, weights, zero)).CopyTo(sums[i..]);
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
        if (Vector.IsHardwareAccelerated)
        {
            var (hundred, fifty) = (new Vector<float>(100), new Vector<float>(50));
            for (; i <= totals.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var sum = new Vector<float>(sums[i..]);
                // A NaN sum (filtered) gives NaN, as below; a sum of 0 or less gives 50.
                var mean = hundred * new Vector<float>(totals[i..]) / sum;
                Vector.ConditionalSelect(Vector.LessThanOrEqual(sum, Vector<float>.Zero), fifty, mean).CopyTo(totals[i..]);
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
        return Mean(criteria.Length, total, sum);
    }
}
