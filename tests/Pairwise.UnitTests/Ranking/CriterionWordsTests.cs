using System.Text.RegularExpressions;
using Pairwise.Markets;
using Pairwise.Ranking;

namespace Pairwise.Tests.Ranking;

/// <summary>
/// The reasons of the markets that rank by criteria (venture, dating) say what their numbers say:
/// exact words for a known pair, and for hundreds of random pairs no reason that praises a
/// criterion scoring 0 or faults one scoring 1.
/// </summary>
public sealed partial class CriterionWordsTests
{
    private static Dictionary<string, JsonElement> Json(object value) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(value))!;

    private static MarketDefinition Load(string folder, string file) => MarketCatalog.LoadFile(Path.Combine(AppContext.BaseDirectory, folder, file));

    private static Dictionary<string, string?> Reasons(RankingModel model, SideDefinition who, object wants, object wantsPrefs, SideDefinition cardSide, object card)
    {
        var mine = FeatureView.Of(model.Profile(who).Encode(Json(wants), Json(wantsPrefs)), model.RankedLength);
        var theirs = FeatureView.Of(model.Cards(cardSide).Encode(Json(card)), model.RankedLength);
        return model.Criteria(who, cardSide).ToDictionary(c => c.Name, c => CriterionWords.Words(c, mine, theirs, c.Score(mine, theirs)));
    }

    [Fact]
    public void AnInvestorSeesWhyAStartupFitsInTheirOwnWords()
    {
        var market = Load("markets", "venture.json");
        var model = new RankingModel(market);
        var (investor, startup) = (market.FindSide("investor")!, market.FindSide("startup")!);

        var reasons = Reasons(model, investor,
            new { industries = new[] { "fintech", "ai" } },
            new { industries = new[] { "fintech", "ai", "climate" }, fundingStages = new[] { "seed" }, locations = new[] { "Hong Kong" }, minFunding = 100_000, maxFunding = 3_000_000 },
            startup, new { industry = "ai", fundingStage = "series-a", location = "Hong Kong", fundingAmount = 5_000_000 });

        Assert.Equal("AI, your #2 choice", reasons["industries"]);
        Assert.Equal("Series A, not among your choices", reasons["fundingStages"]);
        Assert.Equal("Hong Kong, your #1 choice", reasons["locations"]);
        Assert.Equal("5,000,000, outside your 100,000–3,000,000", reasons["minFunding"]);
    }

    [Fact]
    public void APersonSeesSharedInterestsAndHowFarAway()
    {
        var market = Load("examples", "dating.json");
        var model = new RankingModel(market);
        var person = market.FindSide("person")!;

        var reasons = Reasons(model, person,
            new { age = 30, gender = "woman", city = "Hong Kong", location = new { lat = 22.2819, lon = 114.1582 }, lookingFor = "relationship" },
            new { genders = new[] { "man" }, minAge = 28, maxAge = 36, interests = new[] { "hiking", "coffee" }, maxDistanceKm = 20 },
            person, new { age = 33, gender = "man", city = "Hong Kong", interests = new[] { "coffee", "film" }, location = new { lat = 22.3193, lon = 114.1694 }, lookingFor = "friendship" });

        Assert.Equal("Man, which you want", reasons["genders"]);
        Assert.Equal("33, within your 28–36", reasons["minAge"]);
        Assert.Equal("Coffee, your #2 choice", reasons["interests"]);
        Assert.Equal("4.3 km away", reasons["maxDistanceKm"]);
        Assert.Equal("Friendship; you: A relationship", reasons["lookingFor"]);
    }

    [Theory]
    [InlineData("markets", "venture.json")]
    [InlineData("examples", "dating.json")]
    public void NoReasonPraisesACriterionThatScoredNothingOrFaultsOneThatScoredFully(string folder, string file)
    {
        var market = Load(folder, file);
        var model = new RankingModel(market);
        var random = new Random(7);
        var checkedPairs = 0;
        foreach (var who in market.Sides)
        {
            var cardSide = market.CounterpartOf(who);
            var criteria = model.Criteria(who, cardSide);
            for (var i = 0; i < 300; i++)
            {
                var mine = FeatureView.Of(model.Profile(who).Encode(Random(market, who.Attributes, random), Random(market, who.Preferences, random)), model.RankedLength);
                var theirs = FeatureView.Of(model.Cards(cardSide).Encode(Random(market, cardSide.Attributes, random)), model.RankedLength);
                foreach (var criterion in criteria)
                {
                    var score = criterion.Score(mine, theirs);
                    if (float.IsNaN(score) || CriterionWords.Words(criterion, mine, theirs, score) is not { } words)
                    {
                        continue;
                    }
                    checkedPairs++;
                    if (score >= 0.999f)
                    {
                        Assert.False(Faults().IsMatch(words), $"{criterion.Name} scored {score} but says \"{words}\"");
                    }
                    if (score <= 0)
                    {
                        Assert.False(Praises().IsMatch(words), $"{criterion.Name} scored {score} but says \"{words}\"");
                    }
                }
            }
        }
        Assert.True(checkedPairs > 500, $"only {checkedPairs} reasons checked");
    }

    /// <summary>Values for a schema's fields, each present half the time, drawn from its lists and bounds.</summary>
    private static Dictionary<string, JsonElement> Random(MarketDefinition market, IReadOnlyList<FieldDefinition> fields, Random random)
    {
        var values = new Dictionary<string, object>();
        foreach (var field in fields.Where(_ => random.Next(4) > 0))
        {
            var allowed = market.AllowedValues(field);
            object? value = field.Type switch
            {
                FieldType.Category => allowed[random.Next(allowed.Count)],
                FieldType.Categories or FieldType.RankedCategories => allowed.OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToArray(),
                FieldType.Number or FieldType.Integer => random.Next((int)(field.Min ?? 0), (int)Math.Min(field.Max ?? 5_000_000, 5_000_000)),
                FieldType.Geo => new { lat = 22.2 + random.NextDouble() * 0.3, lon = 113.9 + random.NextDouble() * 0.4 },
                _ => null,
            };
            if (value is not null)
            {
                values[field.Name] = value;
            }
        }
        return Json(values);
    }

    [GeneratedRegex(@"outside|^not |not among|none of|nothing in common|below|above|differently|; you look for")]
    private static partial Regex Faults();

    [GeneratedRegex(@"within|^both:|in common:|your #\d|at least|as you want|same things|which you want")]
    private static partial Regex Praises();
}
