using System.Globalization;
using System.Text;
using Pairwise.Ranking;

namespace Pairwise.Cli;

/// <summary>What <c>pairwise evaluate</c> prints: one row per order, AUC and precision@k for likes and matches with 95 % intervals.</summary>
public static class EvaluationTable
{
    public static string Render(EvaluationSet set, LearnedParameters parameters, int k)
    {
        var text = new StringBuilder();
        var viewers = set.Rows.Select(r => r.Viewer).Distinct(StringComparer.Ordinal).Count();
        text.Append(CultureInfo.InvariantCulture, $"market {set.Market}: signals from the first {set.Earlier} swipes");
        text.Append(set.SplitAt is { } at ? $" (before {at:yyyy-MM-dd HH:mm} UTC)" : "");
        text.AppendLine(CultureInfo.InvariantCulture, $"; {set.Rows.Count} later swipes of {viewers} viewers ranked ({set.Rows.Count(r => r.Like)} likes, {set.Rows.Count(r => r.Match)} matches)");
        if (set.Rows.Count == 0)
        {
            text.AppendLine("nothing to evaluate yet: the market needs swipes after the split");
            return text.ToString();
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"{"order",-13} {"like AUC",-22} {"match AUC",-22} {$"like P@{k}",-22} {$"match P@{k}",-22}");
        foreach (var order in LearningFit.Compare(set, parameters, k))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{order.Order,-13} {Cell(order.LikeAuc),-22} {Cell(order.MatchAuc),-22} {Cell(order.LikePrecision),-22} {Cell(order.MatchPrecision),-22}");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"learned term: {Describe(parameters)}; it weighs {parameters.Blend * set.Earlier / (set.Earlier + set.Ramp):0%} at this size");
        text.AppendLine("AUC: the share of (yes, no) pairs of one viewer ranked right, averaged over viewers with both; [95 % interval over viewers]; n = viewers counted");
        return text.ToString();
    }

    public static string Describe(LearnedParameters p) =>
        string.Create(CultureInfo.InvariantCulture, $"bias {p.Bias:0.###}, appeal {p.Appeal:0.###}, eagerness {p.Eagerness:0.###}, blend {p.Blend:0.###}")
        + (p.FittedAt is { } at ? string.Create(CultureInfo.InvariantCulture, $" (fitted {at:yyyy-MM-dd HH:mm} UTC on {p.FittedOn} swipes)") : " (defaults, not fitted yet)");

    private static string Cell(Metric metric) => metric.Viewers == 0 ? "–"
        : string.Create(CultureInfo.InvariantCulture, $"{metric.Value:0.000} [{metric.Low:0.00}–{metric.High:0.00}] n={metric.Viewers}");
}
