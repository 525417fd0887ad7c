using System.Numerics.Tensors;
using Pairwise.Markets;

namespace Pairwise.Ranking;

/// <summary>
/// A market's learned parameters (ADR 19): the logistic model of a like on the card's appeal and
/// the swiper's readiness to say yes, and how much the learned term weighs against the recipe's
/// score once behaviour is well known. Fitted by the batch from the market's own swipes; until
/// then the defaults are the plain odds model (a like is as likely as the card's appeal and the
/// swiper's yes-rate say, relative to the market's average).
/// </summary>
public sealed record LearnedParameters(double Bias, double Appeal, double Eagerness, double Blend)
{
    /// <summary>When the batch fitted them, and on how many later swipes they were judged; null for the defaults.</summary>
    public DateTimeOffset? FittedAt { get; init; }
    public int FittedOn { get; init; }

    /// <summary>The held-out AUC of likes the fitted model reached, and the content-only order's.</summary>
    public double? Auc { get; init; }
    public double? ContentAuc { get; init; }

    public static LearnedParameters Defaults(ScoringDefinition scoring) => new(0, 1, 1, scoring.Weight(ScoringWeights.LearningBlend));
}

/// <summary>The market-wide numbers a learned term needs, read once per request from the index.</summary>
public sealed record LearningPriors(float CardLikeRate, float ViewerLikeRate, float MarketSwipes);

/// <summary>
/// The learned term for one viewer: P(viewer likes card) from the card's appeal and the viewer's
/// yes-rate, and — in mutual markets — P(card's owner likes viewer) from the viewer's appeal and the
/// owner's yes-rate; their product is the chance of a mutual yes. Counts are smoothed toward the
/// market's average by <see cref="PriorSwipes"/> swipes, so a card with 3 swipes is not a sure thing.
/// Scored as <c>Q = P / (P + P̄)</c>, 0–1 with ½ for "as likely as anyone", and blended with the
/// recipe's score by <see cref="Weight"/>, which grows with the market's swipes.
/// </summary>
public sealed class LearnedView
{
    public required LearnedParameters Parameters { get; init; }

    /// <summary>The share of the score the learned term takes: blend × swipes / (swipes + ramp).</summary>
    public required float Weight { get; init; }
    public required float PriorSwipes { get; init; }

    /// <summary>Like-rates toward the card's side (the viewer's likes) and toward the viewer's side (the owners' likes).</summary>
    public required float CardRate { get; init; }
    public required float ViewerRate { get; init; }

    /// <summary>The viewer's own yes-rate and appeal, as log-odds relative to the market's.</summary>
    public required float ViewerEagerness { get; init; }
    public required float ViewerAppeal { get; init; }

    /// <summary>Whether the card's owner decides about the viewer too (mutual markets of cards).</summary>
    public required bool Mutual { get; init; }

    public static float Logit(float p)
    {
        var q = Math.Clamp(p, 0.01f, 0.99f);
        return MathF.Log(q / (1 - q));
    }

    public static float Sigmoid(float x) => 1 / (1 + MathF.Exp(-x));

    /// <summary>A smoothed rate's log-odds relative to <paramref name="prior"/>: 0 when nothing is known.</summary>
    public static float Relative(float likes, float swipes, float prior, float priorSwipes) =>
        Logit((likes + (priorSwipes * prior)) / (swipes + priorSwipes)) - Logit(prior);

    private (float CardLogit, float ViewerLogit, float Forward, float Backward)? _constants;

    /// <summary>What is the same for every card of this request: the rates' log-odds and the viewer's own terms (as <see cref="Chance"/> computes them).</summary>
    private (float CardLogit, float ViewerLogit, float Forward, float Backward) Constants => _constants ??= (
        Logit(CardRate), Logit(ViewerRate),
        Logit(CardRate) + (float)Parameters.Bias + ((float)Parameters.Eagerness * ViewerEagerness),
        Logit(ViewerRate) + (float)Parameters.Bias + ((float)Parameters.Appeal * ViewerAppeal));

    /// <summary>Q for rows [0, count), computed by the ranking loop for the whole index at once; null outside it.</summary>
    internal float[]? Rows { get; set; }

    /// <summary>
    /// Q of every row at once, with SIMD (<see cref="TensorPrimitives"/>) over the count columns: the
    /// same formula as <see cref="Chance"/>, a few nanoseconds a card instead of four scalar
    /// logarithms and exponentials. <paramref name="into"/> receives Q; <paramref name="scratch"/>
    /// and <paramref name="work"/> are working space of the same length.
    /// </summary>
    public void ScoreAll(Columns columns, int count, Span<float> into, Span<float> scratch, Span<float> work)
    {
        var constants = Constants;
        Odds(columns.LikesIn.AsSpan(0, count), columns.SwipesIn.AsSpan(0, count), CardRate, into, work);
        // forward = σ(F + A·(logit − logit r)) = σ(A·logit + (F − A·logit r))
        var appeal = (float)Parameters.Appeal;
        TensorPrimitives.Multiply(into, appeal, into);
        TensorPrimitives.Add(into, constants.Forward - (appeal * constants.CardLogit), into);
        TensorPrimitives.Sigmoid(into, into);
        var expected = CardRate;
        if (Mutual)
        {
            Odds(columns.LikesOut.AsSpan(0, count), columns.SwipesOut.AsSpan(0, count), ViewerRate, scratch, work);
            var eagerness = (float)Parameters.Eagerness;
            TensorPrimitives.Multiply(scratch, eagerness, scratch);
            TensorPrimitives.Add(scratch, constants.Backward - (eagerness * constants.ViewerLogit), scratch);
            TensorPrimitives.Sigmoid(scratch, scratch);
            TensorPrimitives.Multiply(into, scratch, into);
            expected *= ViewerRate;
        }
        // Q = P / (P + P̄)
        TensorPrimitives.Add(into, expected, scratch);
        TensorPrimitives.Divide(into, scratch, into);
    }

    /// <summary>The log-odds of each row's rate smoothed toward <paramref name="prior"/>, clamped as <see cref="Logit"/> clamps.</summary>
    private void Odds(ReadOnlySpan<float> likes, ReadOnlySpan<float> swipes, float prior, Span<float> into, Span<float> work)
    {
        var length = likes.Length;
        var rate = into[..length];
        var denominator = work[..length];
        TensorPrimitives.Add(likes, PriorSwipes * prior, rate);
        TensorPrimitives.Add(swipes, PriorSwipes, denominator);
        TensorPrimitives.Divide(rate, denominator, rate);
        TensorPrimitives.Clamp(rate, 0.01f, 0.99f, rate);
        TensorPrimitives.Subtract(1f, rate, denominator);
        TensorPrimitives.Divide(rate, denominator, rate);
        TensorPrimitives.Log(rate, rate);
    }

    /// <summary>The chance of a (mutual) yes for one card, its parts, and Q (the explanation's; the ranking loop uses <see cref="ScoreAll"/>).</summary>
    public (float Q, float Forward, float Backward, float Appeal, float Eagerness) Score(Columns columns, int row)
    {
        var appeal = Relative(columns.LikesIn[row], columns.SwipesIn[row], CardRate, PriorSwipes);
        var eagerness = Mutual ? Relative(columns.LikesOut[row], columns.SwipesOut[row], ViewerRate, PriorSwipes) : 0;
        var (q, forward, backward) = Chance(Parameters, CardRate, ViewerRate, appeal, ViewerEagerness, ViewerAppeal, eagerness, Mutual);
        return (q, forward, backward, appeal, eagerness);
    }

    /// <summary>
    /// The model itself: P(like) = σ(logit(rate) + bias + appeal·a + eagerness·e) with a and e the
    /// liked one's appeal and the liker's yes-rate as log-odds relative to the market's rate; both
    /// directions in mutual markets; Q = P / (P + P̄).
    /// </summary>
    public static (float Q, float Forward, float Backward) Chance(
        LearnedParameters p, float cardRate, float viewerRate, float cardAppeal, float viewerEagerness, float viewerAppeal, float ownerEagerness, bool mutual)
    {
        var forward = Sigmoid(Logit(cardRate) + (float)p.Bias + ((float)p.Appeal * cardAppeal) + ((float)p.Eagerness * viewerEagerness));
        var expected = cardRate;
        var backward = 1f;
        if (mutual)
        {
            backward = Sigmoid(Logit(viewerRate) + (float)p.Bias + ((float)p.Appeal * viewerAppeal) + ((float)p.Eagerness * ownerEagerness));
            expected *= viewerRate;
        }
        var chance = forward * backward;
        return (chance / (chance + expected), forward, backward);
    }

    /// <summary>What the explanation says about the card's behaviour.</summary>
    public string Reason(float appeal, float eagerness, float backward) => (appeal, eagerness) switch
    {
        ( > 0.4f, < -0.4f) when Mutual => "Popular — replies to few",
        _ when Mutual && backward > ViewerRate * 1.25f => "Often likes people like you",
        ( > 0.4f, _) => "Popular",
        ( < -0.4f, _) => "Rarely liked so far",
        _ when Mutual && eagerness < -0.4f => "Replies to few",
        _ => "Liked about as often as most",
    };
}

/// <summary>The learned term's parts for one card, as the explanation shows them.</summary>
public sealed record BehaviourExplanation(double Appeal, double Replies, double YouLikeThem, double TheyLikeYou, double Mutual, double Weight, string Summary);
