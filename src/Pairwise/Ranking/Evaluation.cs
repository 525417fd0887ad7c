using Pairwise.Markets;
using Pairwise.Swipes;

namespace Pairwise.Ranking;

/// <summary>One swipe of the market's history.</summary>
public sealed record Decision(string Swiper, string CardId, string Owner, bool Like, DateTimeOffset At);

/// <summary>
/// One later decision, described by what was known before the split: the recipe's score for the
/// pair, the card's appeal and the swiper's yes-rate (and, in mutual markets, the swiper's appeal
/// and the owner's yes-rate) as log-odds relative to the market's rates, and what happened.
/// </summary>
public sealed record EvaluatedDecision(
    string Viewer, float Content, float CardAppeal, float ViewerEagerness, float ViewerAppeal, float OwnerEagerness,
    float CardRate, float ViewerRate, bool Like, bool Match);

/// <summary>A market's history split by time: the later decisions, scored from the earlier ones.</summary>
public sealed record EvaluationSet(string Market, IReadOnlyList<EvaluatedDecision> Rows, int Earlier, DateTimeOffset? SplitAt, float Scale, float Ramp, bool Mutual)
{
    /// <summary>The feed's score of a row with these parameters: the recipe blended with the learned term as the market's size weighs it.</summary>
    public float Blended(EvaluatedDecision row, LearnedParameters parameters)
    {
        if (float.IsNaN(row.Content))
        {
            return float.NegativeInfinity;
        }
        var weight = (float)parameters.Blend * Earlier / (Earlier + Ramp);
        var (q, _, _) = LearnedView.Chance(parameters, row.CardRate, row.ViewerRate, row.CardAppeal, row.ViewerEagerness, row.ViewerAppeal, row.OwnerEagerness, Mutual);
        return ((1 - weight) * row.Content) + (weight * Scale * q);
    }
}

/// <summary>
/// The operator's offline evaluation and the batch's fit, on the market's own swipes in the store:
/// split by time, rebuild the behaviour counts from the earlier part, and score each later decision
/// as the feed would have (see ADR 19).
/// </summary>
public sealed class LearningEvaluator(CandidateIndexes indexes, Viewers viewers, SwipeHistory history)
{
    /// <summary>Every swipe of the market, oldest first.</summary>
    public async Task<List<Decision>> HistoryAsync(MarketDefinition market, CancellationToken cancellationToken)
    {
        var decisions = new List<Decision>();
        foreach (var side in market.Sides.Where(s => market.CounterpartOf(s).Presentation != Presentation.None))
        {
            await foreach (var profile in viewers.ListSideAsync(market.Id, side.Id, 500, cancellationToken))
            {
                foreach (var swipe in (await history.SwipesOfAsync(profile.Id, cancellationToken)).Values.Where(s => s.Market == market.Id))
                {
                    decisions.Add(new Decision(profile.Id, swipe.CardId, swipe.CardOwnerProfileId, SwipeActions.IsLike(swipe.Action), swipe.At));
                }
            }
        }
        return [.. decisions.OrderBy(d => d.At).ThenBy(d => d.Swiper, StringComparer.Ordinal).ThenBy(d => d.CardId, StringComparer.Ordinal)];
    }

    /// <summary>Splits the market's swipes at <paramref name="earlierShare"/> of them (by time) and scores the later ones; null for an unknown market.</summary>
    public async Task<EvaluationSet?> PrepareAsync(string marketId, double earlierShare, CancellationToken cancellationToken)
    {
        if (viewers.Markets.Find(marketId) is not { } market || indexes.For(marketId) is not { } index)
        {
            return null;
        }
        await index.Loaded.Task.WaitAsync(cancellationToken);
        var model = index.Model;
        var decisions = await HistoryAsync(market, cancellationToken);
        var cut = (int)Math.Round(decisions.Count * Math.Clamp(earlierShare, 0.05, 0.95));
        var mutual = market.MatchRule == MatchRule.Mutual && market.Sides.All(s => s.Presentation == Presentation.Card);
        var set = new EvaluationSet(market.Id, [], cut, cut < decisions.Count ? decisions[cut].At : null, model.Recipe.Scale, model.LearningRamp, mutual);
        if (decisions.Count < 2)
        {
            return set;
        }
        // The earlier part's counts: what each card received, what each profile gave, and each side's like-rate.
        var received = new Dictionary<string, (float Likes, float Swipes)>(StringComparer.Ordinal);
        var given = new Dictionary<string, (float Likes, float Swipes)>(StringComparer.Ordinal);
        var bySide = new Dictionary<string, (float Likes, float Swipes)>(StringComparer.Ordinal);
        foreach (var decision in decisions.Take(cut))
        {
            var like = decision.Like ? 1 : 0;
            Add(received, decision.CardId, like);
            Add(given, decision.Swiper, like);
            if (index.Find(decision.CardId) is { } card)
            {
                Add(bySide, card.Side, like);
            }
        }
        var liked = decisions.Where(d => d.Like).Select(d => (d.Swiper, d.Owner)).ToHashSet();
        float Rate(string side) => bySide.TryGetValue(side, out var counts) && counts.Swipes > 0 ? counts.Likes / counts.Swipes : 0.5f;
        float Relative(Dictionary<string, (float Likes, float Swipes)> counts, string? id, float rate) =>
            id is not null && counts.TryGetValue(id, out var c) ? LearnedView.Relative(c.Likes, c.Swipes, rate, model.LearningPrior) : 0;

        var rows = new List<EvaluatedDecision>();
        foreach (var group in decisions.Skip(cut).GroupBy(d => d.Swiper, StringComparer.Ordinal))
        {
            if (await viewers.GetProfileAsync(group.Key, cancellationToken) is not { } stored || market.FindSide(stored.Record.Side) is not { } side)
            {
                continue;
            }
            var profile = stored.Record;
            var request = new FeedRequest(profile.UserId, market.Id, side.Id, null, null, null, null);
            if (await viewers.PrepareAsync(side, profile, request, index, cancellationToken, learned: false) is not { } viewer)
            {
                continue;
            }
            var counterpart = market.CounterpartOf(side);
            var (cardRate, viewerRate) = (Rate(counterpart.Id), Rate(side.Id));
            var viewerEagerness = Relative(given, profile.Id, cardRate);
            var viewerAppeal = Relative(received, profile.CardId, viewerRate);
            foreach (var decision in group)
            {
                if (index.Find(decision.CardId) is not { } card || card.Row >= index.Current.Count || index.Current.Columns.Cards[card.Row] != card)
                {
                    continue;
                }
                rows.Add(new EvaluatedDecision(profile.Id, Ranker.ScoreOne(viewer, index, card.Row),
                    Relative(received, decision.CardId, cardRate), viewerEagerness, viewerAppeal, Relative(given, decision.Owner, viewerRate),
                    cardRate, viewerRate, decision.Like, decision.Like && (!mutual || liked.Contains((decision.Owner, decision.Swiper)))));
            }
        }
        return set with { Rows = rows };
    }

    private static void Add(Dictionary<string, (float Likes, float Swipes)> counts, string id, int like)
    {
        var (likes, swipes) = counts.GetValueOrDefault(id);
        counts[id] = (likes + like, swipes + 1);
    }
}
