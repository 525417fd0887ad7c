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
            if (criterion.Tolerance < 0 || !double.IsFinite(criterion.Tolerance) || !double.IsFinite(criterion.By) || criterion.Weight < 0)
            {
                errors.Add($"scoring.criteria[{i}]: weight and tolerance are at least 0, and by is a number");
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
        var (importance, importanceDefault) = Importance(who, mine, criterion);
        CompiledCriterion Make(CriterionKind kind, int wants, int wantsMax, int card, int count = 0) => new(name, kind, wants, wantsMax, card, (float)criterion.Weight)
        {
            Values = [.. model.Market.AllowedValues(attribute).Select(v => model.Market.ValueLabels.GetValueOrDefault(v, v))],
            Filter = criterion.Filter,
            Importance = importance,
            ImportanceDefault = importanceDefault,
            Tolerance = (float)criterion.Tolerance,
            Falloff = criterion.Falloff,
            By = (float)criterion.By,
            Count = count,
        };
        var compare = criterion.Compare;
        if (criterion.Own is { } own)
        {
            var field = who.Attributes.FirstOrDefault(f => f.Name == own) ?? throw new MarketDefinitionException($"'{own}' is not an attribute of {who.Id}");
            return (field.Type, attribute.Type) switch
            {
                (FieldType.Category, FieldType.Categories or FieldType.RankedCategories) => Make(CriterionKind.CodeInSet, mine.Code(own), -1, theirs.Set(attribute.Name)),
                (FieldType.Category, FieldType.Category) => Make(CriterionKind.SameCode, mine.Code(own), -1, theirs.Code(attribute.Name)),
                (FieldType.Categories or FieldType.RankedCategories, FieldType.Categories or FieldType.RankedCategories) =>
                    Make(CriterionKind.SetsOverlap, mine.Set(own), -1, theirs.Set(attribute.Name)),
                (FieldType.Number or FieldType.Integer, FieldType.Number or FieldType.Integer) => compare switch
                {
                    CriterionCompare.AtLeast => Make(CriterionKind.OwnAtLeast, mine.Number(own), -1, theirs.Number(attribute.Name)),
                    CriterionCompare.AtMost => Make(CriterionKind.OwnAtMost, mine.Number(own), -1, theirs.Number(attribute.Name)),
                    CriterionCompare.Auto or CriterionCompare.Same or CriterionCompare.Within or CriterionCompare.Target =>
                        Make(CriterionKind.OwnWithin, mine.Number(own), -1, theirs.Number(attribute.Name)),
                    _ => throw new MarketDefinitionException($"compare '{compare}' does not apply to numbers"),
                },
                (FieldType.Ratings, FieldType.Ratings) => Ratings(own, field),
                _ => throw new MarketDefinitionException($"cannot compare {who.Id}.{own} ({field.Type}) with {cardSide.Id}.{attribute.Name} ({attribute.Type})"),
            };
        }
        var preference = who.Preferences.FirstOrDefault(f => f.Name == criterion.Preference)
            ?? throw new MarketDefinitionException($"'{criterion.Preference}' is not a preference of {who.Id}");
        var prefix = "pref." + preference.Name;
        return (preference.Type, attribute.Type) switch
        {
            (FieldType.RankedCategories, FieldType.Category) => Make(CriterionKind.RankOfCode, mine.Set(prefix), -1, theirs.Code(attribute.Name)),
            (FieldType.RankedCategories, FieldType.Categories or FieldType.RankedCategories) => Make(CriterionKind.BestRankInSet, mine.Set(prefix), -1, theirs.Set(attribute.Name)),
            (FieldType.Categories, FieldType.Category) => Make(CriterionKind.SetHasCode, mine.Set(prefix), -1, theirs.Code(attribute.Name)),
            (FieldType.Categories, FieldType.Categories or FieldType.RankedCategories) => Make(CriterionKind.SetsOverlap, mine.Set(prefix), -1, theirs.Set(attribute.Name)),
            (FieldType.Range, FieldType.Number or FieldType.Integer) => Make(CriterionKind.NumberWithin, mine.Number(prefix + ".min"), mine.Number(prefix + ".max"), theirs.Number(attribute.Name)),
            (FieldType.Number or FieldType.Integer, FieldType.Number or FieldType.Integer) when criterion.PreferenceMax is { } maxName =>
                who.Preferences.Any(f => f.Name == maxName && f.Type is FieldType.Number or FieldType.Integer)
                    ? Make(CriterionKind.NumberWithin, mine.Number(prefix), mine.Number("pref." + maxName), theirs.Number(attribute.Name))
                    : throw new MarketDefinitionException($"preferenceMax '{maxName}' is not a number preference of {who.Id}"),
            (FieldType.Number or FieldType.Integer, FieldType.Number or FieldType.Integer) => compare switch
            {
                CriterionCompare.Target or CriterionCompare.Same => Make(CriterionKind.NumberTarget, mine.Number(prefix), -1, theirs.Number(attribute.Name)),
                CriterionCompare.AtMost => Make(CriterionKind.NumberAtMost, mine.Number(prefix), -1, theirs.Number(attribute.Name)),
                CriterionCompare.Auto or CriterionCompare.AtLeast => Make(CriterionKind.NumberAtLeast, mine.Number(prefix), -1, theirs.Number(attribute.Name)),
                _ => throw new MarketDefinitionException($"compare '{compare}' does not apply to a preference and an attribute"),
            },
            (FieldType.Ratings, FieldType.Ratings) => Ratings(prefix, preference),
            (FieldType.Number or FieldType.Integer, FieldType.Geo) =>
                who.Attributes.FirstOrDefault(f => f.Type == FieldType.Geo) is { } here
                    ? Make(CriterionKind.DistanceWithin, mine.Number(prefix), mine.Number(here.Name + ".lat"), theirs.Number(attribute.Name + ".lat"))
                    : throw new MarketDefinitionException($"a distance needs a place of {who.Id}'s own (a geo attribute) to measure from"),
            _ => throw new MarketDefinitionException($"cannot compare {who.Id} preference {preference.Name} ({preference.Type}) with {cardSide.Id}.{attribute.Name} ({attribute.Type})"),
        };

        CompiledCriterion Ratings(string wantsField, FieldDefinition wantsDefinition)
        {
            if (!model.Market.AllowedValues(wantsDefinition).SequenceEqual(model.Market.AllowedValues(attribute)))
            {
                throw new MarketDefinitionException($"{wantsDefinition.Name} and {attribute.Name} rate different lists of values");
            }
            var (wantsFirst, count) = mine.Ratings(wantsField);
            return Make(CriterionKind.RatingsCosine, wantsFirst, -1, theirs.Ratings(attribute.Name).First, count);
        }
    }

    private static (int Slot, float Default) Importance(SideDefinition who, FieldLayout mine, MatchCriterion criterion)
    {
        if (criterion.Importance is not { } name)
        {
            return (-1, 1);
        }
        var field = who.Preferences.FirstOrDefault(f => f.Name == name && f.Type is FieldType.Number or FieldType.Integer)
            ?? throw new MarketDefinitionException($"importance '{name}' is not a number preference of {who.Id}");
        var middle = field.Min is { } min && field.Max is { } max ? (float)((min + max) / 2) : 1;
        return (mine.Number("pref." + name), middle);
    }
}

public enum CriterionKind
{
    RankOfCode,
    BestRankInSet,
    CodeInSet,
    SetHasCode,
    SameCode,
    SetsOverlap,
    NumberWithin,
    NumberAtLeast,
    NumberAtMost,
    NumberTarget,
    OwnWithin,
    OwnAtLeast,
    OwnAtMost,
    RatingsCosine,

    /// <summary>The wanting side's number is a distance in km (their radius); their own place and the card's are compared.</summary>
    DistanceWithin,
}

/// <summary>
/// One criterion with its slots: <see cref="Mine"/> (and <see cref="MineMax"/>) in the wanting
/// side's arrays, <see cref="Theirs"/> in the card's. Scores 0–1, or NaN when either side lacks the
/// value: the criterion is then left out of the weighted mean (missing data is neutral).
/// </summary>
public sealed partial record CompiledCriterion(string Name, CriterionKind Kind, int Mine, int MineMax, int Theirs, float Weight)
{
    /// <summary>A hard filter: a card scoring 0 is not shown.</summary>
    public bool Filter { get; init; }

    /// <summary>What the compared field's values are called on screen, by code (for <see cref="CriterionWords"/>).</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>The wanting side's number slot saying how much this matters to them, or −1; and its value when left empty.</summary>
    public int Importance { get; init; } = -1;
    public float ImportanceDefault { get; init; } = 1;

    public float Tolerance { get; init; }
    public Falloff Falloff { get; init; }
    public float By { get; init; }

    /// <summary>For rated lists: how many values (number slots) each side has.</summary>
    public int Count { get; init; }

    /// <summary>This criterion's weight for one wanting person: the market's, times their importance when the criterion has one.</summary>
    public float WeightFor(in FeatureView wants)
    {
        if (Importance < 0)
        {
            return Weight;
        }
        var stated = wants.Number(Importance);
        return Weight * (float.IsNaN(stated) || stated < 0 ? ImportanceDefault : stated);
    }

    /// <summary>
    /// Scores with the wanting side's ranked list turned into a table of weights by code (made once
    /// per request), so a ranked criterion costs one array read per card.
    /// </summary>
    public float Score(in FeatureView wants, in FeatureView card, float[]? table) => Kind switch
    {
        CriterionKind.RankOfCode => OfCode(table, card.Code(Theirs)),
        CriterionKind.BestRankInSet => BestOfSet(table, card.Set(Theirs)),
        _ => Score(wants, card),
    };

    /// <summary>The table <see cref="Score(in FeatureView, in FeatureView, float[])"/> uses for this wanting side.</summary>
    public float[]? TableFor(in FeatureView wants) => Kind is CriterionKind.RankOfCode or CriterionKind.BestRankInSet ? wants.RankTable(Mine) : null;

    public float Score(in FeatureView wants, in FeatureView card) => Kind switch
    {
        CriterionKind.RankOfCode => RankOf(wants.Order(Mine), card.Code(Theirs)),
        CriterionKind.BestRankInSet => BestRankIn(wants.Order(Mine), card.Set(Theirs)),
        CriterionKind.CodeInSet => InSet(wants.Code(Mine), card.Set(Theirs)),
        CriterionKind.SetHasCode => InSet(card.Code(Theirs), wants.Set(Mine)),
        CriterionKind.SameCode => Same(wants.Code(Mine), card.Code(Theirs)),
        CriterionKind.SetsOverlap => Overlap(wants.Set(Mine), card.Set(Theirs)),
        CriterionKind.NumberWithin => Within(wants.Number(Mine), MineMax >= 0 ? wants.Number(MineMax) : float.NaN, card.Number(Theirs)),
        CriterionKind.NumberAtLeast or CriterionKind.NumberAtMost or CriterionKind.NumberTarget
            or CriterionKind.OwnWithin or CriterionKind.OwnAtLeast or CriterionKind.OwnAtMost => Compare(wants.Number(Mine), card.Number(Theirs)),
        CriterionKind.RatingsCosine => CentredCosine(wants, card),
        CriterionKind.DistanceWithin => Distance(wants, card),
        _ => float.NaN,
    };

    private float Distance(in FeatureView wants, in FeatureView card)
    {
        var radius = wants.Number(Mine);
        var (lat, lon) = (wants.Number(MineMax), wants.Number(MineMax + 1));
        var (theirLat, theirLon) = (card.Number(Theirs), card.Number(Theirs + 1));
        if (float.IsNaN(radius) || float.IsNaN(lat) || float.IsNaN(lon) || float.IsNaN(theirLat) || float.IsNaN(theirLon))
        {
            return float.NaN;
        }
        return Closeness((float)new Listings.GeoPoint(lat, lon).DistanceKm(new Listings.GeoPoint(theirLat, theirLon)) - radius);
    }

    /// <summary>
    /// Two rated lists compared as vectors: the cosine of each side's ratings minus its own mean, over
    /// the values both rated (so a person who rates everything high is compared by what they rate
    /// higher), mapped from −1…1 to 0…1. NaN with fewer than two values in common.
    /// </summary>
    private float CentredCosine(in FeatureView wants, in FeatureView card)
    {
        float sumMine = 0, sumTheirs = 0;
        var shared = 0;
        for (var i = 0; i < Count; i++)
        {
            var a = wants.Number(Mine + i);
            var b = card.Number(Theirs + i);
            if (!float.IsNaN(a) && !float.IsNaN(b))
            {
                sumMine += a;
                sumTheirs += b;
                shared++;
            }
        }
        if (shared < 2)
        {
            return float.NaN;
        }
        float meanMine = sumMine / shared, meanTheirs = sumTheirs / shared, dot = 0, normMine = 0, normTheirs = 0;
        for (var i = 0; i < Count; i++)
        {
            var a = wants.Number(Mine + i);
            var b = card.Number(Theirs + i);
            if (!float.IsNaN(a) && !float.IsNaN(b))
            {
                dot += (a - meanMine) * (b - meanTheirs);
                normMine += (a - meanMine) * (a - meanMine);
                normTheirs += (b - meanTheirs) * (b - meanTheirs);
            }
        }
        return normMine <= 0 || normTheirs <= 0 ? 0.5f : (1 + (dot / MathF.Sqrt(normMine * normTheirs))) / 2;
    }
}
