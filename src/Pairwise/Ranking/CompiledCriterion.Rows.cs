using System.Numerics;
using Pairwise.Markets;

namespace Pairwise.Ranking;

public sealed partial record CompiledCriterion
{
    // One definition of each kind's score, from the values compared: the per-card path (Score) and
    // the full scan's per-criterion loops below both call these.

    /// <summary>A ranked code's weight from the wanting side's table (NaN: either side unstated).</summary>
    private static float OfCode(float[]? table, int code) => table is null || code < 0 ? float.NaN : table[code];

    /// <summary>The best weight the table gives any code of the set (NaN: either side unstated).</summary>
    private static float BestOfSet(float[]? table, ulong set)
    {
        if (table is null || set == 0)
        {
            return float.NaN;
        }
        var best = 0f;
        for (; set != 0; set &= set - 1)
        {
            best = MathF.Max(best, table[System.Numerics.BitOperations.TrailingZeroCount(set)]);
        }
        return best;
    }

    /// <summary>A code's place in a ranked list: first of n = 1, last = 1/n, absent = 0; NaN when either is unstated.</summary>
    private static float RankOf(ReadOnlySpan<byte> order, int code)
    {
        var length = FeatureView.LengthOf(order);
        if (length == 0 || code < 0)
        {
            return float.NaN;
        }
        var position = order[..length].LastIndexOf((byte)code);
        return position < 0 ? 0 : (float)(length - position) / length;
    }

    /// <summary>The place in a ranked list of its first code the set holds (scored as <see cref="RankOf"/>).</summary>
    private static float BestRankIn(ReadOnlySpan<byte> order, ulong set)
    {
        // Lists are a few codes long in a list of up to 64 places: stop at the first free place.
        var found = -1;
        var length = 0;
        for (; length < order.Length && order[length] != FeatureView.End; length++)
        {
            if (found < 0 && ((set >> (order[length] & 63)) & 1) != 0)
            {
                found = length;
            }
        }
        return length == 0 || set == 0 ? float.NaN : found < 0 ? 0 : (float)(length - found) / length;
    }

    private static float InSet(int code, ulong set) => code < 0 || set == 0 ? float.NaN : (set & (1UL << code)) != 0 ? 1 : 0;

    private static float Same(int a, int b) => a < 0 || b < 0 ? float.NaN : a == b ? 1 : 0;

    private static float Overlap(ulong a, ulong b) => a == 0 || b == 0 ? float.NaN : (a & b) != 0 ? 1 : 0;

    private float Within(float low, float high, float value) =>
        (float.IsNaN(low) && float.IsNaN(high)) || float.IsNaN(value) ? float.NaN
        : Closeness(value < low ? low - value : value > high ? value - high : 0);

    private float Compare(float mine, float value) => float.IsNaN(mine) || float.IsNaN(value) ? float.NaN : Closeness(Kind switch
    {
        CriterionKind.NumberAtLeast => mine - value,
        CriterionKind.NumberAtMost => value - mine,
        CriterionKind.NumberTarget => MathF.Abs(value - mine),
        CriterionKind.OwnWithin => MathF.Abs(value - mine) - MathF.Abs(By),
        CriterionKind.OwnAtLeast => mine + By - value,
        _ => value - (mine + By),
    });

    /// <summary>1 at distance 0 or less; beyond it, falls off over the tolerance (in or out without one).</summary>
    public float Closeness(float distance)
    {
        if (distance <= 0)
        {
            return 1;
        }
        if (Tolerance <= 0)
        {
            return 0;
        }
        return Falloff == Falloff.Gaussian
            ? distance > 3 * Tolerance ? 0 : MathF.Exp(-(distance * distance) / (2 * Tolerance * Tolerance))
            : MathF.Max(0, 1 - (distance / Tolerance));
    }

    /// <summary>
    /// Scores this criterion for many cards at once, each exactly as <see cref="Score(in FeatureView, in FeatureView, float[])"/>
    /// scores one: the viewer's value is read once and the cards' straight from the columns, in a
    /// loop with one kind of comparison. <paramref name="viewerWants"/>: the viewer's criterion against
    /// the cards (<paramref name="table"/> its ranked table, or null), else the cards' owners' criterion against the viewer.
    /// </summary>
    public void ScoreRows(in FeatureView viewer, float[]? table, Columns columns, ReadOnlySpan<int> rows, bool viewerWants, Span<float> scores)
    {
        var (codes, sets, numbers, orders) = (columns.Codes, columns.Sets, columns.Numbers, columns.Orders);
        var (codeStride, setStride, numberStride, ranked) = (columns.CodeStride, columns.SetStride, columns.NumberStride, columns.RankedLength);
        // The card's side of the comparison: its own slot (the criterion's "theirs" when the viewer wants, its "mine" when the card does).
        var slot = viewerWants ? Theirs : Mine;
        switch (Kind)
        {
            case CriterionKind.RankOfCode when viewerWants:
                for (var i = 0; i < rows.Length; i++)
                {
                    scores[i] = OfCode(table, codes[(rows[i] * codeStride) + slot]);
                }
                return;
            case CriterionKind.BestRankInSet when viewerWants:
                for (var i = 0; i < rows.Length; i++)
                {
                    scores[i] = BestOfSet(table, sets[(rows[i] * setStride) + slot]);
                }
                return;
            case CriterionKind.RankOfCode:
            {
                var code = viewer.Code(Theirs);
                for (var i = 0; i < rows.Length; i++)
                {
                    scores[i] = RankOf(orders.AsSpan(((rows[i] * setStride) + slot) * ranked, ranked), code);
                }
                return;
            }
            case CriterionKind.BestRankInSet:
            {
                var set = viewer.Set(Theirs);
                for (var i = 0; i < rows.Length; i++)
                {
                    scores[i] = BestRankIn(orders.AsSpan(((rows[i] * setStride) + slot) * ranked, ranked), set);
                }
                return;
            }
            case CriterionKind.CodeInSet when viewerWants:
            {
                var code = viewer.Code(Mine);
                for (var i = 0; i < rows.Length; i++)
                {
                    scores[i] = InSet(code, sets[(rows[i] * setStride) + slot]);
                }
                return;
            }
            case CriterionKind.CodeInSet:
            {
                var set = viewer.Set(Theirs);
                for (var i = 0; i < rows.Length; i++)
                {
                    scores[i] = InSet(codes[(rows[i] * codeStride) + slot], set);
                }
                return;
            }
            case CriterionKind.SetHasCode when viewerWants:
            {
                var set = viewer.Set(Mine);
                for (var i = 0; i < rows.Length; i++)
                {
                    scores[i] = InSet(codes[(rows[i] * codeStride) + slot], set);
                }
                return;
            }
            case CriterionKind.SetHasCode:
            {
                var code = viewer.Code(Theirs);
                for (var i = 0; i < rows.Length; i++)
                {
                    scores[i] = InSet(code, sets[(rows[i] * setStride) + slot]);
                }
                return;
            }
            case CriterionKind.SameCode:
            {
                var code = viewer.Code(viewerWants ? Mine : Theirs);
                for (var i = 0; i < rows.Length; i++)
                {
                    scores[i] = Same(code, codes[(rows[i] * codeStride) + slot]);
                }
                return;
            }
            case CriterionKind.SetsOverlap:
            {
                var set = viewer.Set(viewerWants ? Mine : Theirs);
                for (var i = 0; i < rows.Length; i++)
                {
                    scores[i] = Overlap(set, sets[(rows[i] * setStride) + slot]);
                }
                return;
            }
            case CriterionKind.NumberWithin when viewerWants:
            {
                var (low, high) = (viewer.Number(Mine), MineMax >= 0 ? viewer.Number(MineMax) : float.NaN);
                for (var i = 0; i < rows.Length; i++)
                {
                    scores[i] = numbers[(rows[i] * numberStride) + slot];
                }
                WithinRows(low, high, scores);
                return;
            }
            case CriterionKind.NumberWithin:
            {
                var value = viewer.Number(Theirs);
                for (var i = 0; i < rows.Length; i++)
                {
                    var at = rows[i] * numberStride;
                    scores[i] = Within(numbers[at + Mine], MineMax >= 0 ? numbers[at + MineMax] : float.NaN, value);
                }
                return;
            }
            case CriterionKind.NumberAtLeast or CriterionKind.NumberAtMost or CriterionKind.NumberTarget
                or CriterionKind.OwnWithin or CriterionKind.OwnAtLeast or CriterionKind.OwnAtMost:
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    scores[i] = numbers[(rows[i] * numberStride) + slot];
                }
                CompareRows(viewer.Number(viewerWants ? Mine : Theirs), rowIsMine: !viewerWants, scores);
                return;
            }
            default:
                for (var i = 0; i < rows.Length; i++)
                {
                    var card = columns.Features(rows[i]);
                    scores[i] = viewerWants ? Score(viewer, card, table) : Score(card, viewer);
                }
                return;
        }
    }

    // Numbers are compared a vector at a time: the same operations in the same order as Within,
    // Compare and Closeness, so the same numbers, with no branch per card on values that are missing
    // at random. Gaussian falloff (an exponential) stays one at a time.

    /// <summary><see cref="Within"/> of each value (the cards' numbers, in place).</summary>
    private void WithinRows(float low, float high, Span<float> values)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && Falloff != Falloff.Gaussian && !(float.IsNaN(low) && float.IsNaN(high)))
        {
            var (lows, highs) = (new Vector<float>(low), new Vector<float>(high));
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var value = new Vector<float>(values[i..]);
                var distance = Vector.ConditionalSelect(Vector.LessThan(value, lows), lows - value,
                    Vector.ConditionalSelect(Vector.GreaterThan(value, highs), value - highs, Vector<float>.Zero));
                Closenesses(distance, value).CopyTo(values[i..]);
            }
        }
        for (; i < values.Length; i++)
        {
            values[i] = Within(low, high, values[i]);
        }
    }

    /// <summary><see cref="Compare"/> of each value (the cards' numbers, in place) with the viewer's: the card's is the wanting side's when <paramref name="rowIsMine"/>.</summary>
    private void CompareRows(float fixedValue, bool rowIsMine, Span<float> values)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && Falloff != Falloff.Gaussian && !float.IsNaN(fixedValue))
        {
            var (fixedValues, by) = (new Vector<float>(fixedValue), new Vector<float>(By));
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var row = new Vector<float>(values[i..]);
                var (mine, value) = rowIsMine ? (row, fixedValues) : (fixedValues, row);
                var distance = Kind switch
                {
                    CriterionKind.NumberAtLeast => mine - value,
                    CriterionKind.NumberAtMost => value - mine,
                    CriterionKind.NumberTarget => Vector.Abs(value - mine),
                    CriterionKind.OwnWithin => Vector.Abs(value - mine) - new Vector<float>(MathF.Abs(By)),
                    CriterionKind.OwnAtLeast => mine + by - value,
                    _ => value - (mine + by),
                };
                Closenesses(distance, row).CopyTo(values[i..]);
            }
        }
        for (; i < values.Length; i++)
        {
            values[i] = rowIsMine ? Compare(values[i], fixedValue) : Compare(fixedValue, values[i]);
        }
    }

    /// <summary><see cref="Closeness"/> of each distance (linear or no falloff), NaN where <paramref name="known"/> is.</summary>
    private Vector<float> Closenesses(Vector<float> distance, Vector<float> known)
    {
        var far = Tolerance <= 0 ? Vector<float>.Zero : Vector.Max(Vector<float>.Zero, Vector<float>.One - (distance / new Vector<float>(Tolerance)));
        var closeness = Vector.ConditionalSelect(Vector.LessThanOrEqual(distance, Vector<float>.Zero), Vector<float>.One, far);
        return Vector.ConditionalSelect(Vector.Equals(known, known), closeness, new Vector<float>(float.NaN));
    }
}
