using Pairwise.Listings;
using Pairwise.Markets;

namespace Pairwise.Ranking;

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

    public override float Scale => _distance + _tags + _price + _condition + _freshness;

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
            explain.Feature("tags", tagsScore, _tags, TagWords(viewer.Tags, columns.Cards[row].Tags));
            explain.Feature("price", priceScore, _price, PriceWords(price, min, max));
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
        return Blend(viewer, columns, row, score, explain) * boost * trend;
    }

    /// <summary>The interests line: which of the viewer's interests the listing's tags share, true to the overlap scored.</summary>
    public static string TagWords(IReadOnlyList<string> wanted, IReadOnlyList<string> tags)
    {
        if (wanted.Count == 0)
        {
            return "you named no interests";
        }
        var shared = wanted.Where(tags.Contains).ToList();
        return shared.Count == 0 ? "none of your interests"
            : shared.Count == wanted.Count ? $"{(shared.Count == 1 ? "your interest" : "all your interests")}: {string.Join(", ", shared.Select(t => "#" + t))}"
            : $"{shared.Count} of your {wanted.Count} interests: {string.Join(", ", shared.Select(t => "#" + t))}";
    }

    /// <summary>The price line: where the price sits in the viewer's range (the lower, the more it scores).</summary>
    public static string PriceWords(float price, float min, float max)
    {
        if (float.IsNaN(price))
        {
            return "no price given";
        }
        if (float.IsNaN(min) && float.IsNaN(max))
        {
            return $"{price:0.##}; you set no price range";
        }
        if (float.IsNaN(min) || float.IsNaN(max) || max <= min)
        {
            return float.IsNaN(max) ? $"{price:0.##}, at least your lowest price {min:0.##}" : $"{price:0.##}, within your highest price {max:0.##}";
        }
        var at = (price - min) / (max - min);
        var where = at <= 1f / 3 ? "the low end" : at < 2f / 3 ? "the middle" : "the high end";
        return $"{price:0.##}, at {where} of your {min:0.##}–{max:0.##} range";
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
