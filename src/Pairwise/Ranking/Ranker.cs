namespace Pairwise.Ranking;

/// <summary>
/// The pure ranker: a prepared viewer, a market's candidate index and the viewer's signals in;
/// scored, explained rows out. No store, no clock, no host: the hot loop reads columns only.
/// </summary>
public static class Ranker
{
    public const int SnapshotSize = 200;

    private static System.Buffers.ArrayPool<float> Pool => System.Buffers.ArrayPool<float>.Shared;

    public static List<(CandidateCard Card, double Score)> Rank(Viewer viewer, MarketIndex index, Signals signals, IReadOnlyList<string> ownProfiles) =>
        Scan(viewer, index, signals, ownProfiles, SnapshotSize, false).Ranked;

    /// <summary>What a full scan gives a kept list: the best cards in order, the threshold, and each kept card's score before its multipliers.</summary>
    public sealed record ScanResult(List<(CandidateCard Card, double Score)> Ranked, double Threshold, List<(CandidateCard Card, float Base)> Kept);

    /// <summary>
    /// Scores every row and keeps the best <paramref name="size"/>, in order. With
    /// <paramref name="bound"/> it also returns the threshold a kept list needs: the highest score
    /// of a card left out that has no time signal. Such a card's multiplier can only fall (a new
    /// seen mark or pass lowers it; a like is read from the inbox on its own), while the cards the
    /// viewer saw or passed, whose multipliers grow back with time, are rescored by every reader.
    /// Without it, or when nothing was left out, the threshold is −∞.
    /// </summary>
    public static ScanResult Scan(
        Viewer viewer, MarketIndex index, Signals signals, IReadOnlyList<string> ownProfiles, int size, bool bound)
    {
        var recipe = index.Model.Recipe;
        var multipliers = Multipliers.Of(viewer, index, signals, ownProfiles);
        var snapshot = multipliers.Snapshot;
        var columns = snapshot.Columns;
        var count = snapshot.Count;
        float[]? similarities = null;
        if (recipe.UsesEmbeddings && viewer.Embedding is { } query)
        {
            similarities = new float[count];
            LocalEmbedder.Similarities(columns.Embeddings.AsSpan(0, count * LocalEmbedder.Dimensions), query, similarities);
            LocalEmbedder.Calibrate(similarities);
            // Where the embedding model has vectors for both sides, its similarity replaces the built-in one.
            if (viewer.RemoteEmbedding is { } remoteQuery && columns.RemoteDimensions == remoteQuery.Length)
            {
                var remote = new float[count];
                SimilarityKernel.Similarities(columns.RemoteEmbeddings.AsSpan(0, count * columns.RemoteDimensions), columns.RemoteDimensions, remoteQuery, remote);
                for (var i = 0; i < count; i++)
                {
                    if (columns.HasRemote[i])
                    {
                        similarities[i] = remote[i];
                    }
                }
            }
        }
        var factors = Factors(multipliers);
        var later = bound ? Untimed(multipliers, factors) : null;
        float[]? learned = null, scratch = null, work = null;
        try
        {
            // The learned term of every row at once (SIMD), read by the recipe's blend in the loop.
            if (viewer.Learned is { Weight: > 0 } view && count > 0)
            {
                (learned, scratch, work) = (Pool.Rent(count), Pool.Rent(count), Pool.Rent(count));
                view.ScoreAll(columns, count, learned, scratch, work);
                view.Rows = learned;
            }
            var side = index.SideCode(viewer.Counterpart.Id);
            var timed = later is null ? null : new List<(int Row, float Score)>();
            var top = ScanRows(viewer, recipe, columns, side, factors, later, similarities, count, size, timed, out var threshold);
            var ranked = new List<(int, double)>(top.Count);
            var kept = new List<(CandidateCard, float)>(top.Count + (timed?.Count ?? 0));
            var inTop = new HashSet<int>();
            while (top.TryDequeue(out var row, out var score))
            {
                ranked.Add((row, score));
                kept.Add((columns.Cards[row], factors[row] > 0 ? (float)(score / factors[row]) : float.PositiveInfinity));
                inTop.Add(row);
            }
            // The cards the viewer saw or passed that are not among the best: rescored by readers, so kept with their scores too.
            foreach (var (row, score) in timed ?? [])
            {
                if (!inTop.Contains(row))
                {
                    kept.Add((columns.Cards[row], score));
                }
            }
            return new ScanResult(InFeedOrder(columns.Cards, ranked, ranked.Count), threshold, kept);
        }
        finally
        {
            if (learned is not null)
            {
                viewer.Learned!.Rows = null;
                Pool.Return(learned);
                Pool.Return(scratch!);
                Pool.Return(work!);
            }
            Pool.Return(factors);
            if (later is not null)
            {
                Pool.Return(later);
            }
        }
    }

    /// <summary>
    /// The multipliers a kept list bounds the cards it leaves out with: as now for cards without a
    /// time signal (or with a seen mark that no longer counts), NaN for the cards the viewer swiped
    /// on or saw lately (rescored by every reader: their marks are read for longer than a list
    /// lives). Rented: the caller returns it to the pool.
    /// </summary>
    private static float[] Untimed(Multipliers multipliers, float[] factors)
    {
        var count = multipliers.Snapshot.Count;
        var untimed = Pool.Rent(Math.Max(1, count));
        multipliers.CopyUntimedTo(factors.AsSpan(0, count), untimed.AsSpan(0, count));
        return untimed;
    }

    /// <summary>Every row's multiplier now (NaN: excluded). Rented: the caller returns it to the pool.</summary>
    private static float[] Factors(Multipliers multipliers)
    {
        var factors = Pool.Rent(Math.Max(1, multipliers.Snapshot.Count));
        multipliers.CopyTo(factors.AsSpan(0, multipliers.Snapshot.Count));
        return factors;
    }

    /// <summary>
    /// Scores rows [0, count) and keeps the best <paramref name="size"/>: the hot loop, reading
    /// columns only. With <paramref name="later"/> multipliers, <paramref name="threshold"/> is the
    /// highest score a row left out has with them; the rows NaN there (the viewer saw or passed
    /// them) go to <paramref name="timed"/> with their scores before multipliers.
    /// </summary>
    private static PriorityQueue<int, double> ScanRows(
        Viewer viewer, Recipe recipe, Columns columns, byte side, float[] factors, float[]? later, float[]? similarities, int count, int size,
        List<(int Row, float Score)>? timed, out double threshold)
    {
        var dead = columns.Dead;
        var sides = columns.Side;
        var expires = columns.Expires;
        var now = viewer.Now;
        var top = new PriorityQueue<int, double>(size + 1);
        var left = double.NegativeInfinity;
        // The lowest kept total once the list is full: a row must beat it to get in.
        var lowest = double.NegativeInfinity;
        // A chunk at a time: the rows that pass the cheap checks, then the recipe scores them together.
        Span<int> rows = stackalloc int[ScanChunk];
        Span<float> scores = stackalloc float[ScanChunk];
        for (var start = 0; start < count; start += ScanChunk)
        {
            var end = Math.Min(count, start + ScanChunk);
            var n = 0;
            for (var row = start; row < end; row++)
            {
                if (!float.IsNaN(factors[row]) && !dead[row] && sides[row] == side && expires[row] > now)
                {
                    rows[n++] = row;
                }
            }
            recipe.ScoreRows(viewer, columns, rows[..n], similarities, scores[..n]);
            for (var i = 0; i < n; i++)
            {
                var (row, score) = (rows[i], scores[i]);
                if (float.IsNaN(score))
                {
                    continue;
                }
                var total = score * factors[row];
                if (timed is not null && float.IsNaN(later![row]))
                {
                    timed.Add((row, score));
                }
                if (top.Count < size)
                {
                    top.Enqueue(row, total);
                    lowest = top.Count == size && top.TryPeek(out _, out var least) ? least : lowest;
                    continue;
                }
                // The row left out: this one, or the lowest kept one it replaces.
                var (outRow, outScore) = (row, (double)score);
                if (total > lowest)
                {
                    top.TryPeek(out var lowestRow, out var lowestTotal);
                    top.DequeueEnqueue(row, total);
                    (outRow, outScore) = (lowestRow, factors[lowestRow] > 0 ? lowestTotal / factors[lowestRow] : 0);
                    top.TryPeek(out _, out lowest);
                }
                if (later is not null && !float.IsNaN(later[outRow]))
                {
                    left = Math.Max(left, outScore * later[outRow]);
                }
            }
        }
        threshold = left;
        return top;
    }

    /// <summary>Rows the full scan hands the recipe at once: small enough for the stack and the first-level cache.</summary>
    private const int ScanChunk = 256;

    /// <summary>
    /// Scores the given rows (each once) exactly as <see cref="Scan"/> scores a row, with the same
    /// filters and each row's multiplier from <see cref="Multipliers.Of(int)"/> (NaN: never shown, or
    /// not live): what a kept list's page ranks. Reads columns only. In no order (see <see cref="InFeedOrder"/>).
    /// </summary>
    public static List<(int Row, double Score)> Rescore(
        Viewer viewer, MarketIndex index, Multipliers multipliers, IReadOnlyCollection<(int Row, float Factor)> candidates)
    {
        var recipe = index.Model.Recipe;
        var columns = multipliers.Snapshot.Columns;
        var side = index.SideCode(viewer.Counterpart.Id);
        var done = new HashSet<int>(candidates.Count);
        var (rows, factors) = (new List<int>(candidates.Count), new List<float>(candidates.Count));
        foreach (var (row, factor) in candidates)
        {
            if (!float.IsNaN(factor) && columns.Side[row] == side && columns.Expires[row] > viewer.Now && done.Add(row))
            {
                rows.Add(row);
                factors.Add(factor);
            }
        }
        var scores = new float[rows.Count];
        if (recipe.UsesEmbeddings)
        {
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] = recipe.Score(viewer, columns, rows[i], Similarity(viewer, columns, rows[i]), null);
            }
        }
        else
        {
            // Together, as the full scan scores them.
            recipe.ScoreRows(viewer, columns, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows), [], scores);
        }
        var scored = new List<(int Row, double Score)>(scores.Length);
        for (var i = 0; i < scores.Length; i++)
        {
            if (!float.IsNaN(scores[i]))
            {
                scored.Add((rows[i], scores[i] * factors[i]));
            }
        }
        return scored;
    }

    /// <summary>
    /// The first <paramref name="take"/> scored rows in the feed's order, as cards: best first;
    /// scores equal to a thousandth are a tie (the full scan and a kept list round differently in
    /// the last float digits, and a reload must not swap equal cards), and ties go newest first (the
    /// greater id). Each score is rounded once, and a card is read only to break a tie.
    /// </summary>
    public static List<(CandidateCard Card, double Score)> InFeedOrder(CandidateCard[] cards, List<(int Row, double Score)> scored, int take)
    {
        if (take <= 0)
        {
            return [];
        }
        var rounded = new double[scored.Count];
        for (var i = 0; i < rounded.Length; i++)
        {
            rounded[i] = Math.Round(scored[i].Score, 3);
        }
        // Only the cards that can be among the first: those at least the take-th best rounded score (ties there included).
        var cut = take < rounded.Length ? Greatest((double[])rounded.Clone(), take - 1) : double.NegativeInfinity;
        var keys = new List<FeedKey>(Math.Min(rounded.Length, take + 16));
        for (var i = 0; i < rounded.Length; i++)
        {
            if (rounded[i] >= cut)
            {
                keys.Add(new FeedKey(rounded[i], scored[i].Score, cards[scored[i].Row]));
            }
        }
        var sorted = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keys);
        sorted.Sort();
        var ordered = new List<(CandidateCard, double)>(Math.Min(take, sorted.Length));
        foreach (var key in sorted[..Math.Min(take, sorted.Length)])
        {
            ordered.Add((key.Card, key.Score));
        }
        return ordered;
    }

    /// <summary>The <paramref name="k"/>-th greatest value (from 0), as a descending sort would place it, by selection (reorders <paramref name="values"/>).</summary>
    private static double Greatest(double[] values, int k)
    {
        var (low, high) = (0, values.Length - 1);
        while (low < high)
        {
            var pivot = values[low + ((high - low) / 2)];
            var (i, j) = (low, high);
            while (i <= j)
            {
                while (values[i] > pivot)
                {
                    i++;
                }
                while (values[j] < pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            // [low, j] holds values ≥ pivot, [i, high] values ≤ pivot, and anything between equals it.
            if (k <= j)
            {
                high = j;
            }
            else if (k >= i)
            {
                low = i;
            }
            else
            {
                return values[k];
            }
        }
        return values[k];
    }

    /// <summary>A card's place in the feed's order (compared inline by the sort, not through a delegate).</summary>
    private readonly record struct FeedKey(double Rounded, double Score, CandidateCard Card) : IComparable<FeedKey>
    {
        public int CompareTo(FeedKey other) =>
            Rounded != other.Rounded ? other.Rounded.CompareTo(Rounded) : CandidateCard.CompareIds(other.Card, Card);
    }

    /// <summary>The text similarity of one row to the viewer, as the ranking loop computes it (0 where the recipe uses none).</summary>
    private static float Similarity(Viewer viewer, Columns columns, int row) =>
        viewer.Embedding is not { } query ? 0
        : viewer.RemoteEmbedding is { } remote && columns.RemoteDimensions == remote.Length && columns.HasRemote[row]
            ? System.Numerics.Tensors.TensorPrimitives.Dot(columns.RemoteEmbedding(row), remote)
            : LocalEmbedder.Calibrate(LocalEmbedder.Similarity(columns.Embedding(row), query));

    /// <summary>One card's score before the feed's multipliers (NaN when a filter excludes it): what an offline evaluation compares.</summary>
    public static float ScoreOne(Viewer viewer, MarketIndex index, int row)
    {
        var columns = index.Current.Columns;
        return index.Model.Recipe.Score(viewer, columns, row, index.Model.Recipe.UsesEmbeddings ? Similarity(viewer, columns, row) : 0, null);
    }

    public static Explanation Explain(Viewer viewer, CandidateCard card, Signals signals, MarketIndex index, double score)
    {
        var recipe = index.Model.Recipe;
        var explanation = new Explanation { Recipe = recipe.Name };
        var columns = index.Current.Columns;
        var similarity = recipe.UsesEmbeddings ? Similarity(viewer, columns, card.Row) : 0;
        // The recipe sets the base (the sum of the explained points) and adds its own multipliers.
        recipe.Score(viewer, columns, card.Row, similarity, explanation);
        var sentiment = signals.Sentiment(card.OwnerProfileId, index.Model.Feed);
        explanation.Multiplier("sentiment", sentiment, signals.SentimentReason(card.OwnerProfileId));
        var time = signals.TimeFactor(card.Id, viewer.Now, index.Model.Feed.PassCooldownDays, out _);
        explanation.Multiplier("time", time, signals.TimeReason(card.Id, viewer.Now));
        explanation.Score = Math.Round(score, 4);
        return explanation;
    }
}
