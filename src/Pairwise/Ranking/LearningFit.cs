namespace Pairwise.Ranking;

/// <summary>A measure with its 95 % bootstrap interval over viewers, and how many viewers it averages.</summary>
public sealed record Metric(double Value, double Low, double High, int Viewers);

/// <summary>How well one order predicts the later decisions.</summary>
public sealed record OrderMetrics(string Order, Metric LikeAuc, Metric MatchAuc, Metric LikePrecision, Metric MatchPrecision);

/// <summary>
/// Fitting and judging the learned term on an <see cref="EvaluationSet"/>: a logistic model of a
/// like (Newton's method with a small ridge toward the defaults), the blend chosen by the held-out
/// ranking quality, and per-viewer AUC and precision@k with bootstrap intervals.
/// </summary>
public static class LearningFit
{
    private const double Ridge = 1;

    /// <summary>
    /// Fits bias, appeal and eagerness to the later likes, then the blend that ranks the later
    /// matches (likes where the market has too few) best per viewer. Returns the defaults, unchanged,
    /// when there are too few decisions to say anything.
    /// </summary>
    public static LearnedParameters Fit(EvaluationSet set, LearnedParameters defaults, DateTimeOffset now)
    {
        var rows = set.Rows;
        if (rows.Count < 30 || rows.All(r => r.Like) || rows.All(r => !r.Like))
        {
            return defaults;
        }
        double[] theta = [0, 1, 1];
        for (var iteration = 0; iteration < 25; iteration++)
        {
            // Gradient and Hessian of the penalised log-likelihood; x = (1, appeal, eagerness), offset = logit(rate).
            var gradient = new double[3];
            var hessian = new double[3, 3];
            foreach (var row in rows)
            {
                double[] x = [1, row.CardAppeal, row.ViewerEagerness];
                var p = 1 / (1 + Math.Exp(-(LearnedView.Logit(row.CardRate) + (theta[0] * x[0]) + (theta[1] * x[1]) + (theta[2] * x[2]))));
                var y = row.Like ? 1 : 0;
                for (var i = 0; i < 3; i++)
                {
                    gradient[i] += (y - p) * x[i];
                    for (var j = 0; j < 3; j++)
                    {
                        hessian[i, j] += p * (1 - p) * x[i] * x[j];
                    }
                }
            }
            double[] prior = [0, 1, 1];
            for (var i = 0; i < 3; i++)
            {
                gradient[i] -= Ridge * (theta[i] - prior[i]);
                hessian[i, i] += Ridge;
            }
            var step = Solve(hessian, gradient);
            for (var i = 0; i < 3; i++)
            {
                theta[i] += step[i];
            }
            if (step.Max(Math.Abs) < 1e-6)
            {
                break;
            }
        }
        var fitted = defaults with { Bias = Math.Round(theta[0], 4), Appeal = Math.Round(theta[1], 4), Eagerness = Math.Round(theta[2], 4) };
        var useMatches = set.Mutual && PerViewer(set, r => r.Match).Count() >= 10;
        var best = (Blend: defaults.Blend, Auc: double.NegativeInfinity);
        var size = set.Earlier / (set.Earlier + (double)set.Ramp);
        for (var step = 0; step <= 20; step++)
        {
            var weight = step / 20.0;
            // The blend that gives this weight at the fitted history's size.
            var blend = size > 0 ? Math.Min(1, weight / size) : 0;
            var candidate = fitted with { Blend = blend };
            var auc = MeanAuc(set, r => set.Blended(r, candidate), useMatches ? r => r.Match : r => r.Like);
            if (auc > best.Auc + 1e-9)
            {
                best = (blend, auc);
            }
        }
        return fitted with
        {
            Blend = Math.Round(best.Blend, 4),
            FittedAt = now,
            FittedOn = rows.Count,
            Auc = Math.Round(best.Auc, 4),
            ContentAuc = Math.Round(MeanAuc(set, r => float.IsNaN(r.Content) ? float.NegativeInfinity : r.Content, useMatches ? r => r.Match : r => r.Like), 4),
        };
    }

    /// <summary>The learned order, the content-only order and a random order, each judged on likes and matches.</summary>
    public static IReadOnlyList<OrderMetrics> Compare(EvaluationSet set, LearnedParameters parameters, int k, int seed = 1)
    {
        var random = new Random(seed);
        var noise = new Dictionary<EvaluatedDecision, float>(ReferenceEqualityComparer.Instance);
        foreach (var row in set.Rows)
        {
            noise[row] = (float)random.NextDouble();
        }
        return
        [
            Judge(set, "learned", r => set.Blended(r, parameters), k),
            Judge(set, "content only", r => float.IsNaN(r.Content) ? float.NegativeInfinity : r.Content, k),
            Judge(set, "random", r => noise[r], k),
        ];
    }

    private static OrderMetrics Judge(EvaluationSet set, string name, Func<EvaluatedDecision, float> score, int k) => new(name,
        Bootstrap(set, g => Auc(g, score, r => r.Like)), Bootstrap(set, g => Auc(g, score, r => r.Match)),
        Bootstrap(set, g => Precision(g, score, r => r.Like, k)), Bootstrap(set, g => Precision(g, score, r => r.Match, k)));

    /// <summary>The later decisions by viewer, for viewers whose decisions hold both outcomes of <paramref name="label"/>.</summary>
    private static IEnumerable<List<EvaluatedDecision>> PerViewer(EvaluationSet set, Func<EvaluatedDecision, bool> label) =>
        set.Rows.GroupBy(r => r.Viewer, StringComparer.Ordinal).Select(g => g.ToList()).Where(g => g.Any(label) && !g.All(label));

    private static double MeanAuc(EvaluationSet set, Func<EvaluatedDecision, float> score, Func<EvaluatedDecision, bool> label)
    {
        var values = PerViewer(set, label).Select(g => Auc(g, score, label)).Where(v => !double.IsNaN(v)).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }

    /// <summary>The share of (positive, negative) pairs the score orders right, ties counting half; NaN without both.</summary>
    public static double Auc(IReadOnlyList<EvaluatedDecision> rows, Func<EvaluatedDecision, float> score, Func<EvaluatedDecision, bool> label)
    {
        double right = 0, pairs = 0;
        foreach (var positive in rows.Where(label))
        {
            var p = score(positive);
            foreach (var negative in rows.Where(r => !label(r)))
            {
                var n = score(negative);
                right += p > n ? 1 : p == n ? 0.5 : 0;
                pairs++;
            }
        }
        return pairs == 0 ? double.NaN : right / pairs;
    }

    /// <summary>The share of positives among a viewer's top k; NaN for a viewer with fewer than k decisions.</summary>
    private static double Precision(List<EvaluatedDecision> rows, Func<EvaluatedDecision, float> score, Func<EvaluatedDecision, bool> label, int k) =>
        rows.Count < k ? double.NaN : rows.OrderByDescending(score).Take(k).Count(label) / (double)k;

    /// <summary>The mean of a per-viewer measure and its 95 % interval from 500 resamples of the viewers.</summary>
    private static Metric Bootstrap(EvaluationSet set, Func<List<EvaluatedDecision>, double> measure)
    {
        var values = set.Rows.GroupBy(r => r.Viewer, StringComparer.Ordinal).Select(g => measure([.. g])).Where(v => !double.IsNaN(v)).ToArray();
        if (values.Length == 0)
        {
            return new Metric(double.NaN, double.NaN, double.NaN, 0);
        }
        var random = new Random(7);
        var means = new double[500];
        for (var b = 0; b < means.Length; b++)
        {
            var sum = 0.0;
            for (var i = 0; i < values.Length; i++)
            {
                sum += values[random.Next(values.Length)];
            }
            means[b] = sum / values.Length;
        }
        Array.Sort(means);
        return new Metric(Math.Round(values.Average(), 4), Math.Round(means[12], 4), Math.Round(means[487], 4), values.Length);
    }

    /// <summary>Solves the 3×3 system by Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var column = 0; column < n; column++)
        {
            var pivot = column;
            for (var row = column + 1; row < n; row++)
            {
                if (Math.Abs(m[row, column]) > Math.Abs(m[pivot, column]))
                {
                    pivot = row;
                }
            }
            for (var j = 0; j < n; j++)
            {
                (m[column, j], m[pivot, j]) = (m[pivot, j], m[column, j]);
            }
            (x[column], x[pivot]) = (x[pivot], x[column]);
            for (var row = column + 1; row < n; row++)
            {
                var factor = m[row, column] / m[column, column];
                for (var j = column; j < n; j++)
                {
                    m[row, j] -= factor * m[column, j];
                }
                x[row] -= factor * x[column];
            }
        }
        for (var row = n - 1; row >= 0; row--)
        {
            for (var j = row + 1; j < n; j++)
            {
                x[row] -= m[row, j] * x[j];
            }
            x[row] /= m[row, row];
        }
        return x;
    }
}
