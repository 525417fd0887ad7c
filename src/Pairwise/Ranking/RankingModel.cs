using Pairwise.Markets;

namespace Pairwise.Ranking;

/// <summary>The feed's read-time parameters of a market, read from its file once.</summary>
public sealed record FeedWeights(int FeedSize, double PassCooldownDays, float LikedMultiplier, float PassedMultiplier)
{
    public static FeedWeights Of(ScoringDefinition scoring) => new(
        (int)scoring.Weight(ScoringWeights.FeedSize),
        scoring.Weight(ScoringWeights.PassCooldownDays),
        (float)scoring.Weight(ScoringWeights.LikedMultiplier),
        (float)scoring.Weight(ScoringWeights.PassedMultiplier));
}

/// <summary>
/// A market compiled for ranking, once, when its candidate index is made: the field layout of each
/// side, the criteria each side ranks the other by, the recipe and the feed's weights. Immutable;
/// each index holds its own, so nothing is cached by market id across the process.
/// </summary>
public sealed class RankingModel
{
    private readonly Dictionary<string, FieldLayout> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FieldLayout> _cards = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Who, string Card), CompiledCriterion[]> _criteria = [];

    /// <exception cref="MarketDefinitionException">The market's criteria name fields it does not have, or compare what cannot be compared.</exception>
    public RankingModel(MarketDefinition market)
    {
        Market = market;
        foreach (var side in market.Sides)
        {
            var profile = new FieldLayout(market, [.. side.Attributes, .. side.Preferences.Select(p => p with { Name = "pref." + p.Name })]);
            _profiles[side.Id] = profile;
            _cards[side.Id] = side.Presentation == Presentation.Listings ? new FieldLayout(market, side.Listings!.Attributes) : profile;
        }
        RankedLength = Math.Max(1, _profiles.Values.Concat(_cards.Values).Max(l => l.RankedLength));
        var errors = Ranking.Criteria.Validate(this);
        if (errors.Count > 0)
        {
            throw new MarketDefinitionException($"market '{market.Id}': {string.Join("; ", errors)}");
        }
        foreach (var who in market.Sides)
        {
            var card = market.CounterpartOf(who);
            _criteria[(who.Id, card.Id)] = Ranking.Criteria.Compile(this, who, card);
        }
        Feed = FeedWeights.Of(market.Scoring);
        Learning = market.Scoring.Learning;
        LearningPrior = (float)market.Scoring.Weight(ScoringWeights.LearningPrior);
        LearningRamp = (float)market.Scoring.Weight(ScoringWeights.LearningRamp);
        Recipe = market.Scoring.Recipe switch
        {
            "gigs" => new GigsRecipe(this),
            "marketplace" => new MarketplaceRecipe(this),
            _ => new PreferenceRecipe(this),
        };
    }

    public MarketDefinition Market { get; }

    public Recipe Recipe { get; }

    public FeedWeights Feed { get; }

    /// <summary>Whether the learned term is blended in (scoring.learning), its smoothing in swipes, and the market swipes at which it weighs half.</summary>
    public bool Learning { get; }
    public float LearningPrior { get; }
    public float LearningRamp { get; }

    /// <summary>Places a ranked list keeps in this market's features: its longest ranked field.</summary>
    public int RankedLength { get; }

    /// <summary>The layout of a side's profile: attributes, and preferences under "pref.".</summary>
    public FieldLayout Profile(SideDefinition side) => _profiles[side.Id];

    /// <summary>The layout of what a side's cards carry: a profile card its profile, a listing its attributes.</summary>
    public FieldLayout Cards(SideDefinition side) => _cards[side.Id];

    /// <summary>The criteria <paramref name="who"/> ranks <paramref name="cardSide"/>'s cards by (none for other pairings).</summary>
    public CompiledCriterion[] Criteria(SideDefinition who, SideDefinition cardSide) =>
        _criteria.TryGetValue((who.Id, cardSide.Id), out var criteria) ? criteria : [];
}
