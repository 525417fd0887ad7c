namespace Pairwise.Ranking;

/// <summary>
/// The pure ranker: a prepared viewer, a market's candidate index and the viewer's signals in;
/// scored, explained rows out. No store, no clock, no host: the hot loop reads columns only.
/// </summary>
public static class Ranker
{
    public const int SnapshotSize = 200;

    private static System.Buffers.ArrayPool<float> Pool => System.Buffers.ArrayPool<float>.Shared;

    public static List<(CandidateCard Card, double Score)> Rank(
        Viewer viewer, MarketIndex index, Signals signals, IReadOnlyList<string> ownProfiles, int[]? onlyRows)
    {
        var recipe = index.Model.Recipe;
        var weights = index.Model.Feed;
        var snapshot = index.Current;
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
        var cooldown = weights.PassCooldownDays;
        // Multipliers and exclusions by row, set from the viewer's (few) signals instead of looking every card up.
        var factors = System.Buffers.ArrayPool<float>.Shared.Rent(Math.Max(1, count));
        try
        {
            var span = factors.AsSpan(0, count);
            span.Fill(1);
            bool Current(CandidateCard card) => card.Row >= 0 && card.Row < count && columns.Cards[card.Row] == card;
            foreach (var cardId in signals.Swipes.Keys.Concat(signals.Seen.Keys))
            {
                if (index.Find(cardId) is { } signalled)
                {
                    var time = signals.TimeFactor(cardId, viewer.Now, cooldown, out var excluded);
                    if (Current(signalled))
                    {
                        span[signalled.Row] = excluded ? float.NaN : time;
                    }
                }
            }
            foreach (var swiper in signals.Inbox.Keys)
            {
                foreach (var owned in index.CardsOf(swiper))
                {
                    if (Current(owned))
                    {
                        span[owned.Row] *= signals.Sentiment(swiper, weights);
                    }
                }
            }
            foreach (var profileId in ownProfiles)
            {
                foreach (var mine in index.CardsOf(profileId))
                {
                    if (Current(mine))
                    {
                        span[mine.Row] = float.NaN;
                    }
                }
            }

            // The learned term of every row at once (SIMD), read by the recipe's blend in the loop.
            float[]? learned = null, scratch = null, work = null;
            if (viewer.Learned is { Weight: > 0 } view && count > 0)
            {
                (learned, scratch, work) = (Pool.Rent(count), Pool.Rent(count), Pool.Rent(count));
                view.ScoreAll(columns, count, learned, scratch, work);
                view.Rows = learned;
            }
            var side = index.SideCode(viewer.Counterpart.Id);
            PriorityQueue<int, double> top;
            try
            {
                top = ScanRows(viewer, recipe, columns, side, factors, similarities, onlyRows, count);
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
            }
            var ranked = new List<(CandidateCard, double)>(top.Count);
            while (top.TryDequeue(out var row, out var score))
            {
                ranked.Add((columns.Cards[row], score));
            }
            // Equal scores in a stable order: newest first.
            return [.. ranked.OrderByDescending(r => r.Item2).ThenByDescending(r => r.Item1.Id, StringComparer.Ordinal)];
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(factors);
        }
    }

    /// <summary>Scores rows [from, to) and keeps the best <see cref="SnapshotSize"/>: the hot loop, reading columns only.</summary>
    private static PriorityQueue<int, double> ScanRows(Viewer viewer, Recipe recipe, Columns columns, byte side, float[] factors, float[]? similarities, int[]? onlyRows, int count)
    {
        var dead = columns.Dead;
        var sides = columns.Side;
        var expires = columns.Expires;
        var now = viewer.Now;
        var top = new PriorityQueue<int, double>(SnapshotSize + 1);
        var length = onlyRows?.Length ?? count;
        for (var i = 0; i < length; i++)
        {
            var row = onlyRows is null ? i : onlyRows[i];
            var factor = factors[row];
            if (float.IsNaN(factor) || dead[row] || sides[row] != side || expires[row] <= now)
            {
                continue;
            }
            var score = recipe.Score(viewer, columns, row, similarities is null ? 0 : similarities[row], null);
            if (float.IsNaN(score))
            {
                continue;
            }
            var total = score * factor;
            if (top.Count < SnapshotSize)
            {
                top.Enqueue(row, total);
            }
            else if (top.TryPeek(out _, out var lowest) && total > lowest)
            {
                top.DequeueEnqueue(row, total);
            }
        }
        return top;
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
