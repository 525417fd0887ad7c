using Pairwise.Markets;

namespace Pairwise.Ranking;

/// <summary>A market's match criteria resolved to array slots, for one viewing side and one card side.</summary>
public static class Criteria
{
    /// <summary>Every problem with a market's criteria, as "scoring.criteria[i]: …".</summary>
    public static List<string> Validate(RankingModel model)
    {
        var market = model.Market;
        var errors = new List<string>();
        for (var i = 0; i < market.Scoring.Criteria.Count; i++)
        {
            var criterion = market.Scoring.Criteria[i];
            if (market.FindSide(criterion.Side) is not { } side)
            {
                errors.Add($"scoring.criteria[{i}].side: no side '{criterion.Side}'");
                continue;
            }
            try
            {
                CompileOne(model, side, market.CounterpartOf(side), criterion);
            }
            catch (MarketDefinitionException e)
            {
                errors.Add($"scoring.criteria[{i}]: {e.Message}");
            }
        }
        return errors;
    }

    /// <summary>The criteria <paramref name="who"/> ranks <paramref name="cardSide"/> by, resolved to slots of the model's layouts.</summary>
    public static CompiledCriterion[] Compile(RankingModel model, SideDefinition who, SideDefinition cardSide) =>
        [.. model.Market.Scoring.Criteria.Where(c => c.Side == who.Id).Select(c => CompileOne(model, who, cardSide, c))];

    private static CompiledCriterion CompileOne(RankingModel model, SideDefinition who, SideDefinition cardSide, MatchCriterion criterion)
    {
        var mine = model.Profile(who);
        var theirs = model.Cards(cardSide);
        var cardFields = cardSide.Presentation == Presentation.Listings ? cardSide.Listings!.Attributes : cardSide.Attributes;
        var attribute = cardFields.FirstOrDefault(f => f.Name == criterion.Attribute)
            ?? throw new MarketDefinitionException($"'{criterion.Attribute}' is not an attribute of {cardSide.Id}");
        var name = criterion.Preference ?? criterion.Own ?? "?";
        if (criterion.Own is { } own)
        {
            var field = who.Attributes.FirstOrDefault(f => f.Name == own) ?? throw new MarketDefinitionException($"'{own}' is not an attribute of {who.Id}");
            return (field.Type, attribute.Type) switch
            {
                (FieldType.Category, FieldType.Categories or FieldType.RankedCategories) =>
                    new CompiledCriterion(name, CriterionKind.CodeInSet, mine.Code(own), -1, theirs.Set(attribute.Name), (float)criterion.Weight),
                (FieldType.Category, FieldType.Category) =>
                    new CompiledCriterion(name, CriterionKind.SameCode, mine.Code(own), -1, theirs.Code(attribute.Name), (float)criterion.Weight),
                _ => throw new MarketDefinitionException($"cannot compare {who.Id}.{own} ({field.Type}) with {cardSide.Id}.{attribute.Name} ({attribute.Type})"),
            };
        }
        var preference = who.Preferences.FirstOrDefault(f => f.Name == criterion.Preference)
            ?? throw new MarketDefinitionException($"'{criterion.Preference}' is not a preference of {who.Id}");
        var prefix = "pref." + preference.Name;
        return (preference.Type, attribute.Type) switch
        {
            (FieldType.RankedCategories, FieldType.Category) =>
                new CompiledCriterion(name, CriterionKind.RankOfCode, mine.Set(prefix), -1, theirs.Code(attribute.Name), (float)criterion.Weight),
            (FieldType.RankedCategories, FieldType.Categories or FieldType.RankedCategories) =>
                new CompiledCriterion(name, CriterionKind.BestRankInSet, mine.Set(prefix), -1, theirs.Set(attribute.Name), (float)criterion.Weight),
            (FieldType.Categories, FieldType.Category) =>
                new CompiledCriterion(name, CriterionKind.CodeInSet, theirs.Code(attribute.Name), -1, mine.Set(prefix), (float)criterion.Weight, Swapped: true),
            (FieldType.Categories, FieldType.Categories or FieldType.RankedCategories) =>
                new CompiledCriterion(name, CriterionKind.SetsOverlap, mine.Set(prefix), -1, theirs.Set(attribute.Name), (float)criterion.Weight),
            (FieldType.Range, FieldType.Number or FieldType.Integer) =>
                new CompiledCriterion(name, CriterionKind.NumberWithin, mine.Number(prefix + ".min"), mine.Number(prefix + ".max"), theirs.Number(attribute.Name), (float)criterion.Weight),
            (FieldType.Number or FieldType.Integer, FieldType.Number or FieldType.Integer) when criterion.PreferenceMax is { } maxName =>
                new CompiledCriterion(name, CriterionKind.NumberWithin, mine.Number(prefix), mine.Number("pref." + maxName), theirs.Number(attribute.Name), (float)criterion.Weight),
            (FieldType.Number or FieldType.Integer, FieldType.Number or FieldType.Integer) =>
                new CompiledCriterion(name, CriterionKind.NumberAtLeast, mine.Number(prefix), -1, theirs.Number(attribute.Name), (float)criterion.Weight),
            _ => throw new MarketDefinitionException($"cannot compare {who.Id} preference {preference.Name} ({preference.Type}) with {cardSide.Id}.{attribute.Name} ({attribute.Type})"),
        };
    }
}

public enum CriterionKind
{
    RankOfCode,
    BestRankInSet,
    CodeInSet,
    SameCode,
    SetsOverlap,
    NumberWithin,
    NumberAtLeast,
}

/// <summary>
/// One criterion with its slots: <see cref="Mine"/> (and <see cref="MineMax"/>) in the wanting
/// side's arrays, <see cref="Theirs"/> in the card's. A want that is not stated scores a neutral
/// 0.5; a card that lacks the attribute scores 0.
/// </summary>
public sealed record CompiledCriterion(string Name, CriterionKind Kind, int Mine, int MineMax, int Theirs, float Weight, bool Swapped = false)
{
    /// <summary>
    /// Scores with the wanting side's ranked list turned into a table of weights by code (made once
    /// per request), so a ranked criterion costs one array read per card.
    /// </summary>
    public float Score(in FeatureView wants, in FeatureView card, float[]? table)
    {
        switch (Kind)
        {
            case CriterionKind.RankOfCode:
                return table is null ? 0.5f : card.Code(Theirs) is var code and >= 0 ? table[code] : 0;
            case CriterionKind.BestRankInSet:
            {
                if (table is null)
                {
                    return 0.5f;
                }
                var best = 0f;
                for (var set = card.Set(Theirs); set != 0; set &= set - 1)
                {
                    best = MathF.Max(best, table[System.Numerics.BitOperations.TrailingZeroCount(set)]);
                }
                return best;
            }
            default:
                return Score(wants, card);
        }
    }

    /// <summary>The table <see cref="Score(in FeatureView, in FeatureView, float[])"/> uses for this wanting side.</summary>
    public float[]? TableFor(in FeatureView wants) => Kind is CriterionKind.RankOfCode or CriterionKind.BestRankInSet ? wants.RankTable(Mine) : null;

    public float Score(in FeatureView wants, in FeatureView card)
    {
        switch (Kind)
        {
            case CriterionKind.RankOfCode:
                return wants.OrderLength(Mine) == 0 ? 0.5f : wants.Rank(Mine, card.Code(Theirs));
            case CriterionKind.BestRankInSet:
            {
                var length = wants.OrderLength(Mine);
                if (length == 0)
                {
                    return 0.5f;
                }
                var set = card.Set(Theirs);
                for (var i = 0; i < length; i++)
                {
                    if ((set & (1UL << wants.OrderAt(Mine, i))) != 0)
                    {
                        return (float)(length - i) / length;
                    }
                }
                return 0;
            }
            case CriterionKind.CodeInSet when Swapped:
                // The wanting side lists acceptable values; the card has one.
                return wants.Set(Theirs) == 0 ? 0.5f
                    : card.Code(Mine) is var code and >= 0 && (wants.Set(Theirs) & (1UL << code)) != 0 ? 1 : 0;
            case CriterionKind.CodeInSet:
                return wants.Code(Mine) is var mine and >= 0
                    ? (card.Set(Theirs) & (1UL << mine)) != 0 ? 1 : 0
                    : 0.5f;
            case CriterionKind.SameCode:
                return wants.Code(Mine) < 0 ? 0.5f : wants.Code(Mine) == card.Code(Theirs) ? 1 : 0;
            case CriterionKind.SetsOverlap:
                return wants.Set(Mine) == 0 ? 0.5f : (wants.Set(Mine) & card.Set(Theirs)) != 0 ? 1 : 0;
            case CriterionKind.NumberWithin:
            {
                var low = wants.Number(Mine);
                var high = MineMax >= 0 ? wants.Number(MineMax) : float.NaN;
                if (float.IsNaN(low) && float.IsNaN(high))
                {
                    return 0.5f;
                }
                var value = card.Number(Theirs);
                return !float.IsNaN(value) && !(value < low) && !(value > high) ? 1 : 0;
            }
            case CriterionKind.NumberAtLeast:
            {
                var floor = wants.Number(Mine);
                var value = card.Number(Theirs);
                return float.IsNaN(floor) ? 0.5f : !float.IsNaN(value) && value >= floor ? 1 : 0;
            }
            default:
                return 0;
        }
    }
}
