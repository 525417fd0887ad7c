using System.Globalization;
using System.Numerics;
using Pairwise.Listings;

namespace Pairwise.Ranking;

/// <summary>
/// A criterion's reason in words, read from the same slots its score is computed from, so the words
/// cannot disagree with the points: "in common: Fintech, AI", "Seed, your #1 choice",
/// "1,200,000, within your 500,000–2,000,000", "3.2 km away". Values are named by the market's
/// labels (<see cref="CompiledCriterion.Values"/>). Null where there is nothing to say.
/// </summary>
public static class CriterionWords
{
    public static string? Words(CompiledCriterion criterion, in FeatureView wants, in FeatureView card, float score)
    {
        var values = criterion.Values;
        string Name(int code) => code >= 0 && code < values.Count ? values[code] : "another value";
        string Names(ulong bits)
        {
            var names = new List<string>();
            for (; bits != 0; bits &= bits - 1)
            {
                names.Add(Name(BitOperations.TrailingZeroCount(bits)));
            }
            return string.Join(", ", names);
        }
        switch (criterion.Kind)
        {
            case CriterionKind.RankOfCode:
            {
                var code = card.Code(criterion.Theirs);
                var place = Place(wants, criterion.Mine, bit => bit == code);
                return code < 0 ? null : place > 0 ? $"{Name(code)}, your #{place} choice" : $"{Name(code)}, not among your choices";
            }
            case CriterionKind.BestRankInSet:
            {
                var set = card.Set(criterion.Theirs);
                var code = -1;
                var place = Place(wants, criterion.Mine, bit =>
                {
                    var hit = (set & (1UL << bit)) != 0;
                    code = hit ? bit : code;
                    return hit;
                });
                return set == 0 ? null : place > 0 ? $"{Name(code)}, your #{place} choice" : "none of your choices";
            }
            case CriterionKind.CodeInSet:
            {
                var mine = wants.Code(criterion.Mine);
                return mine < 0 ? null : score > 0 ? $"both: {Name(mine)}" : $"not {Name(mine)}";
            }
            case CriterionKind.SetHasCode:
            {
                var code = card.Code(criterion.Theirs);
                return code < 0 ? null : score > 0 ? $"{Name(code)}, which you want" : $"{Name(code)}, not among what you want";
            }
            case CriterionKind.SameCode:
            {
                var (mine, theirs) = (wants.Code(criterion.Mine), card.Code(criterion.Theirs));
                return mine < 0 || theirs < 0 ? null : mine == theirs ? $"both: {Name(mine)}" : $"{Name(theirs)}; you: {Name(mine)}";
            }
            case CriterionKind.SetsOverlap:
            {
                var shared = wants.Set(criterion.Mine) & card.Set(criterion.Theirs);
                return shared != 0 ? $"in common: {Names(shared)}" : "nothing in common";
            }
            case CriterionKind.NumberWithin:
            {
                var (low, high) = (wants.Number(criterion.Mine), criterion.MineMax >= 0 ? wants.Number(criterion.MineMax) : float.NaN);
                var value = card.Number(criterion.Theirs);
                if (float.IsNaN(value) || (float.IsNaN(low) && float.IsNaN(high)))
                {
                    return null;
                }
                var range = float.IsNaN(low) ? $"up to {N(high)}" : float.IsNaN(high) ? $"from {N(low)}" : $"{N(low)}–{N(high)}";
                return value < low || value > high ? $"{N(value)}, outside your {range}" : $"{N(value)}, within your {range}";
            }
            case CriterionKind.NumberAtLeast or CriterionKind.NumberAtMost or CriterionKind.NumberTarget
                or CriterionKind.OwnWithin or CriterionKind.OwnAtLeast or CriterionKind.OwnAtMost:
            {
                var (mine, value) = (wants.Number(criterion.Mine), card.Number(criterion.Theirs));
                return float.IsNaN(mine) || float.IsNaN(value) ? null : criterion.Kind switch
                {
                    CriterionKind.NumberAtLeast => value >= mine ? $"{N(value)}, at least your {N(mine)}" : $"{N(value)}, below your {N(mine)}",
                    CriterionKind.NumberAtMost => value <= mine ? $"{N(value)}, within your {N(mine)}" : $"{N(value)}, above your {N(mine)}",
                    CriterionKind.NumberTarget => value == mine ? $"{N(value)}, as you want" : $"{N(value)}; you look for {N(mine)}",
                    _ => $"{N(value)}; yours: {N(mine)}",
                };
            }
            case CriterionKind.DistanceWithin:
            {
                var (lat, lon) = (wants.Number(criterion.MineMax), wants.Number(criterion.MineMax + 1));
                var (theirLat, theirLon) = (card.Number(criterion.Theirs), card.Number(criterion.Theirs + 1));
                if (float.IsNaN(lat) || float.IsNaN(lon) || float.IsNaN(theirLat) || float.IsNaN(theirLon))
                {
                    return null;
                }
                var km = new GeoPoint(lat, lon).DistanceKm(new GeoPoint(theirLat, theirLon));
                return km < 1 ? "less than 1 km away" : string.Create(CultureInfo.InvariantCulture, $"{km:0.#} km away");
            }
            case CriterionKind.RatingsCosine:
                return float.IsNaN(score) ? null : score >= 0.75f ? "you rate the same things highly" : score >= 0.5f ? "you rate some things alike" : "you rate things differently";
            default:
                return null;
        }
    }

    /// <summary>The 1-based place in the wanting side's ranked list of the first value that <paramref name="hits"/>, or 0.</summary>
    private static int Place(in FeatureView wants, int slot, Func<int, bool> hits)
    {
        var length = wants.OrderLength(slot);
        for (var i = 0; i < length; i++)
        {
            if (hits(wants.OrderAt(slot, i)))
            {
                return i + 1;
            }
        }
        return 0;
    }

    private static string N(float value) => value.ToString(Math.Abs(value) >= 1000 ? "#,0" : "0.##", CultureInfo.InvariantCulture);
}
