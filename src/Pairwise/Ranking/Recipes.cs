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

    public void Feature(string name, double value, double weight, string? detail = null) =>
        Features.Add(new ExplanationTerm(name, Math.Round(value, 4), weight, Math.Round(value * weight, 2), detail));

    public void Multiplier(string name, double factor, string detail) => Multipliers.Add(new ExplanationTerm(name, Math.Round(factor, 4), 1, factor, detail));
}

public sealed record ExplanationTerm(string Name, double Value, double Weight, double Points, string? Detail);

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

    /// <summary>Resolves, once per request, what scoring every card needs; stored in <see cref="Viewer.State"/>.</summary>
    public abstract object Prepare(Viewer viewer);

    public abstract float Score(Viewer viewer, Columns columns, int row, float similarity, Explanation? explain);

    protected static float Days(long ticks) => ticks / (float)TimeSpan.TicksPerDay;

    /// <summary>
    /// Seed 000's quality score, 0–100: half profile completeness, a fifth paid promotion (hype while
    /// boosted), the rest profile age (full at 30 days) and activity (full within 7 days, none after 30).
    /// </summary>
    public static float Quality(Columns columns, int row, long now, Explanation? explain = null)
    {
        var paid = columns.BoostUntil[row] > now ? Math.Min(1, columns.Hype[row] / 100) : 0;
        var age = Math.Clamp(Days(now - columns.ProfileCreated[row]) / 30, 0, 1);
        var idle = Days(now - columns.LastActive[row]);
        var activity = idle <= 7 ? 1 : Math.Clamp(1 - ((idle - 7) / 23), 0, 1);
        var completeness = columns.Completeness[row];
        var quality = 100 * ((0.5f * completeness) + (0.2f * paid) + (0.15f * age) + (0.15f * activity));
        explain?.Feature("quality", quality / 100, 100,
            $"completeness {completeness:0.00}×50 + paid {paid:0.00}×20 + age {age:0.00}×15 + activity {activity:0.00}×15");
        return quality;
    }
}

/// <summary>
/// The venture recipe (seeds 000 and 003), also used by markets that name "weighted": quality
/// plus the match of ranked preferences to attributes, and in reciprocal markets the harmonic mean
/// of both directions, so a card ranks high only if its owner would want the viewer too.
/// </summary>
public sealed class PreferenceRecipe(RankingModel model) : Recipe
{
    private readonly float _quality = (float)model.Market.Scoring.Weight(ScoringWeights.Quality);
    private readonly float _match = (float)model.Market.Scoring.Weight(ScoringWeights.Match);
    private readonly bool _reciprocal = model.Market.Scoring.Weight(ScoringWeights.Reciprocal) > 0;

    public override string Name => model.Market.Scoring.Recipe;

    private sealed record State(CompiledCriterion[] Forward, float[]?[] Tables, float ForwardWeight, CompiledCriterion[] Backward, bool Reciprocal);

    public override object Prepare(Viewer viewer)
    {
        var forward = model.Criteria(viewer.Side, viewer.Counterpart);
        var features = viewer.Features;
        return new State(forward, [.. forward.Select(c => c.TableFor(features))], forward.Sum(c => c.Weight),
            model.Criteria(viewer.Counterpart, viewer.Side), _reciprocal && viewer.Counterpart.Presentation == Presentation.Card);
    }

    /// <summary>The viewer's wants against a card, 0–100, with the per-request tables.</summary>
    private static float Forward(State state, in FeatureView wants, in FeatureView card)
    {
        if (state.Forward.Length == 0)
        {
            return 0;
        }
        var total = 0f;
        for (var i = 0; i < state.Forward.Length; i++)
        {
            total += state.Forward[i].Weight * state.Forward[i].Score(wants, card, state.Tables[i]);
        }
        return 100 * total / state.ForwardWeight;
    }

    public override float Score(Viewer viewer, Columns columns, int row, float similarity, Explanation? explain)
    {
        var state = (State)viewer.State!;
        var card = columns.Features(row);
        var forward = (_quality * Quality(columns, row, viewer.Now, explain))
            + (_match * (explain is null ? Forward(state, viewer.Features, card) : Match(state.Forward, viewer.Features, card, explain)));
        if (!state.Reciprocal)
        {
            return forward;
        }
        var backward = (_quality * viewer.Quality) + (_match * Match(state.Backward, card, viewer.Features, null));
        var mutual = forward + backward <= 0 ? 0 : 2 * forward * backward / (forward + backward);
        explain?.Feature("reciprocal", backward / 100, 100, $"how well you fit what they want: {backward:0.##}; the score is the harmonic mean of {forward:0.##} and {backward:0.##}");
        return mutual;
    }

    /// <summary>0–100: the weighted share of <paramref name="criteria"/> that <paramref name="card"/> meets for <paramref name="wants"/>.</summary>
    public static float Match(CompiledCriterion[] criteria, in FeatureView wants, in FeatureView card, Explanation? explain)
    {
        if (criteria.Length == 0)
        {
            return 0;
        }
        float total = 0, weights = 0;
        for (var i = 0; i < criteria.Length; i++)
        {
            var criterion = criteria[i];
            var score = criterion.Score(wants, card);
            total += criterion.Weight * score;
            weights += criterion.Weight;
        }
        if (explain is not null)
        {
            foreach (var criterion in criteria)
            {
                explain.Feature($"match.{criterion.Name}", criterion.Score(wants, card), 100 * criterion.Weight / weights);
            }
        }
        return 100 * total / weights;
    }
}

/// <summary>
/// The marketplace recipe (seed 002): within the buyer's radius, price range and conditions;
/// scored by nearness, tag overlap, price, condition and freshness; paid promotion (hype) a
/// bounded boost of at most +25%.
/// </summary>
public sealed class MarketplaceRecipe(RankingModel model) : Recipe
{
    private readonly float _distance = (float)model.Market.Scoring.Weight(ScoringWeights.Distance);
    private readonly float _tags = (float)model.Market.Scoring.Weight(ScoringWeights.Tags);
    private readonly float _price = (float)model.Market.Scoring.Weight(ScoringWeights.Price);
    private readonly float _condition = (float)model.Market.Scoring.Weight(ScoringWeights.Condition);
    private readonly float _freshness = (float)model.Market.Scoring.Weight(ScoringWeights.Freshness);
    private readonly float _maxBoost = (float)model.Market.Scoring.Weight(ScoringWeights.MaxHypeBoost);
    private readonly float _maxTrend = (float)model.Market.Scoring.Weight(ScoringWeights.MaxTrendBoost);
    private readonly float _defaultRadius = (float)model.Market.Scoring.Weight(ScoringWeights.DefaultRadiusKm);
    private readonly float _freshnessDays = (float)model.Market.Scoring.Weight(ScoringWeights.FreshnessDays);

    public override string Name => "marketplace";

    private sealed record State(float Radius, float Min, float Max, ulong Conditions, int Condition);

    public override object Prepare(Viewer viewer)
    {
        var layout = model.Profile(viewer.Side);
        var features = viewer.Features;
        float Number(string field) => layout.Number(field) is var slot and >= 0 ? features.Number(slot) : float.NaN;
        var radius = Number("pref.radiusKm");
        var conditions = layout.Set("pref.conditions");
        return new State(float.IsNaN(radius) ? _defaultRadius : radius, Number("pref.minPrice"), Number("pref.maxPrice"),
            conditions < 0 ? 0 : features.Set(conditions), model.Cards(viewer.Counterpart).Code("condition"));
    }

    public override float Score(Viewer viewer, Columns columns, int row, float similarity, Explanation? explain)
    {
        var state = (State)viewer.State!;
        var radius = state.Radius;
        var distanceScore = 0.5f;
        if (viewer.Location is { } here && !float.IsNaN(columns.Lat[row]))
        {
            var distance = (float)here.DistanceKm(new GeoPoint(columns.Lat[row], columns.Lon[row]));
            if (distance > radius)
            {
                return float.NaN;
            }
            distanceScore = 1 - (distance / radius);
            explain?.Feature("distance", distanceScore, _distance, $"{distance:0.0} km away, within {radius:0.#} km");
        }
        else
        {
            explain?.Feature("distance", distanceScore, _distance, "no location to compare");
        }

        var min = state.Min;
        var max = state.Max;
        var price = columns.Price[row];
        if ((!float.IsNaN(min) || !float.IsNaN(max)) && (float.IsNaN(price) || price < min || price > max))
        {
            return float.NaN;
        }
        var priceScore = !float.IsNaN(min) && !float.IsNaN(max) && max > min ? 1 - (0.5f * (price - min) / (max - min)) : 0.5f;

        var wanted = state.Conditions;
        var condition = state.Condition < 0 ? -1 : columns.Features(row).Code(state.Condition);
        if (wanted != 0 && (condition < 0 || (wanted & (1UL << condition)) == 0))
        {
            return float.NaN;
        }
        var conditionScore = wanted != 0 ? 1f : 0.5f;

        var tagsScore = viewer.Tags.Count == 0 ? 0.5f : TagOverlap(viewer.Tags, columns.Cards[row].Tags);
        var freshness = Math.Clamp(1 - (Days(viewer.Now - columns.Created[row]) / _freshnessDays), 0, 1);
        var score = (_distance * distanceScore) + (_tags * tagsScore) + (_price * priceScore) + (_condition * conditionScore) + (_freshness * freshness);
        var hype = columns.Hype[row];
        var boost = columns.BoostUntil[row] > viewer.Now ? 1 + (_maxBoost * Math.Min(1, hype / 100)) : 1;
        var engagement = columns.Engagement[row];
        var trend = 1 + (_maxTrend * Math.Clamp(engagement / 100, 0, 1));
        if (explain is not null)
        {
            explain.Feature("tags", tagsScore, _tags, "share of your interests among its tags");
            explain.Feature("price", priceScore, _price, float.IsNaN(min) ? "no price range set" : "cheaper within your range scores higher");
            explain.Feature("condition", conditionScore, _condition, wanted != 0 ? "a condition you want" : "no condition preference");
            explain.Feature("freshness", freshness, _freshness, $"listed {Days(viewer.Now - columns.Created[row]):0.#} days ago");
            if (boost > 1)
            {
                explain.Multiplier("promotion", boost, $"promoted (hype {hype:0}), boost capped at +{_maxBoost:P0}");
            }
            if (trend > 1)
            {
                explain.Multiplier("hype", trend, $"wanted: hype {engagement:0} from views, likes, saves, offers and messages, lift capped at +{_maxTrend:P0}");
            }
        }
        return score * boost * trend;
    }

    private static float TagOverlap(IReadOnlyList<string> wanted, IReadOnlyList<string> tags)
    {
        if (wanted.Count == 0)
        {
            return 0.5f;
        }
        var shared = 0;
        foreach (var tag in wanted)
        {
            for (var i = 0; i < tags.Count; i++)
            {
                if (tags[i] == tag)
                {
                    shared++;
                    break;
                }
            }
        }
        return (float)shared / wanted.Count;
    }
}
