using Pairwise.Markets;
using Pairwise.Profiles;
using Pairwise.Ranking;

namespace Pairwise.Tests.Ranking;

/// <summary>
/// The full scan scores a criterion (and a recipe) over many cards at once; explanations and kept
/// lists score one card at a time. Both must give the same number, to the bit, for every kind of
/// criterion, both ways, with values missing at random.
/// </summary>
public sealed class ScoreRowsTests
{
    private const int Rows = 700;
    private const int Ranked = 6;

    public static TheoryData<CriterionKind, bool, Falloff, float> Kinds()
    {
        var data = new TheoryData<CriterionKind, bool, Falloff, float>();
        foreach (var kind in Enum.GetValues<CriterionKind>())
        {
            foreach (var viewerWants in new[] { true, false })
            {
                data.Add(kind, viewerWants, Falloff.Linear, 3);
                data.Add(kind, viewerWants, Falloff.Linear, 0);
                data.Add(kind, viewerWants, Falloff.Gaussian, 3);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ACriterionScoresManyCardsAsItScoresEachOne(CriterionKind kind, bool viewerWants, Falloff falloff, float tolerance)
    {
        var random = new Random((int)kind * 31 + (viewerWants ? 1 : 0));
        var columns = new Columns(Rows, 2, 2, 6, Ranked, false, 0);
        for (var row = 0; row < Rows; row++)
        {
            Fill(random, columns.Codes, columns.Sets, columns.Orders, columns.Numbers, row);
        }
        var (codes, sets, orders, numbers) = (new int[2], new ulong[2], new byte[2 * Ranked], new float[6]);
        var criterion = new CompiledCriterion("c", kind, 0, 1, 0, 1.5f) { Tolerance = tolerance, Falloff = falloff, By = 1.5f, Count = 2 };
        var rows = Enumerable.Range(0, Rows).Where(r => r % 7 != 3).ToArray();
        // Many viewers, so that some have the values missing too.
        for (var v = 0; v < 40; v++)
        {
            Fill(random, codes, sets, orders, numbers, 0);
            var viewer = new FeatureView(codes, 0, sets, 0, orders, Ranked, numbers, 0);
            var table = viewerWants ? criterion.TableFor(viewer) : null;
            var scores = new float[rows.Length];
            criterion.ScoreRows(viewer, table, columns, rows, viewerWants, scores);
            for (var i = 0; i < rows.Length; i++)
            {
                var card = columns.Features(rows[i]);
                var one = viewerWants ? criterion.Score(viewer, card, table) : criterion.Score(card, viewer);
                Same(one, scores[i], $"{kind} row {rows[i]} viewer {v}");
            }
        }
    }

    [Theory]
    [InlineData("investor")]
    [InlineData("startup")]
    public void TheVentureRecipeScoresManyCardsAsItScoresEachOne(string side)
    {
        var market = MarketCatalog.LoadFile(Path.Combine(AppContext.BaseDirectory, "markets", "venture.json"));
        var model = new RankingModel(market);
        var index = new MarketIndex(model);
        var random = new Random(side.Length);
        var now = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        foreach (var cardSide in market.Sides)
        {
            for (var i = 0; i < 600; i++)
            {
                var (attributes, preferences) = Profile(random, market);
                var card = new CandidateCard { Id = $"{cardSide.Id}{i}", Side = cardSide.Id, OwnerProfileId = $"p-{cardSide.Id}{i}", OwnerUserId = $"u-{cardSide.Id}{i}", Tags = [] };
                index.Upsert(card, new CardValues(model.Cards(cardSide).Encode(attributes, preferences), float.NaN, float.NaN, float.NaN, now.UtcTicks, long.MaxValue,
                    random.Next(0, 100), random.Next(2) == 0 ? now.AddDays(1).UtcTicks : 0, (float)random.NextDouble(), now.AddDays(-random.Next(60)).UtcTicks,
                    now.AddDays(-random.Next(40)).UtcTicks, 0), null);
            }
        }
        var columns = index.Current.Columns;
        var viewerSide = market.FindSide(side)!;
        var code = index.SideCode(market.CounterpartOf(viewerSide).Id);
        var rows = Enumerable.Range(0, index.Current.Count).Where(r => columns.Side[r] == code).ToArray();
        for (var v = 0; v < 20; v++)
        {
            var (attributes, preferences) = Profile(random, market);
            var profile = new ProfileRecord
            {
                Id = $"viewer{v}", UserId = $"viewer{v}", Market = market.Id, Side = side, DisplayName = "Viewer",
                Attributes = attributes, Preferences = preferences, Completeness = 1, CreatedAt = now, UpdatedAt = now,
            };
            var viewer = new Viewer
            {
                Market = market, Side = viewerSide, Counterpart = market.CounterpartOf(viewerSide), Profile = profile,
                Features = FeatureView.Of(model.Profile(viewerSide).Encode(attributes, preferences), model.RankedLength),
                Now = now.UtcTicks, Quality = random.Next(0, 100),
            };
            viewer.State = model.Recipe.Prepare(viewer);
            var scores = new float[rows.Length];
            model.Recipe.ScoreRows(viewer, columns, rows, [], scores);
            Assert.Contains(scores, float.IsFinite);
            for (var i = 0; i < rows.Length; i++)
            {
                Same(model.Recipe.Score(viewer, columns, rows[i], 0, null), scores[i], $"row {rows[i]} viewer {v}");
            }
        }
    }

    private static void Same(float one, float many, string where) =>
        Assert.True(float.IsNaN(one) ? float.IsNaN(many) : BitConverter.SingleToInt32Bits(one) == BitConverter.SingleToInt32Bits(many),
            $"{where}: {one} one at a time, {many} many at once");

    /// <summary>Random values in a row's slots, each missing about a fifth of the time.</summary>
    private static void Fill(Random random, int[] codes, ulong[] sets, byte[] orders, float[] numbers, int row)
    {
        bool Missing() => random.Next(5) == 0;
        for (var slot = 0; slot < 2; slot++)
        {
            codes[(row * 2) + slot] = Missing() ? -1 : random.Next(10);
            var order = Missing() ? [] : Enumerable.Range(0, 10).OrderBy(_ => random.Next()).Take(random.Next(1, Ranked + 1)).ToArray();
            sets[(row * 2) + slot] = order.Aggregate(0UL, (set, c) => set | (1UL << c));
            for (var i = 0; i < Ranked; i++)
            {
                orders[(((row * 2) + slot) * Ranked) + i] = i < order.Length ? (byte)order[i] : FeatureView.End;
            }
        }
        for (var slot = 0; slot < 6; slot++)
        {
            numbers[(row * 6) + slot] = Missing() ? float.NaN : (float)(random.NextDouble() * 12);
        }
    }

    private static (Dictionary<string, System.Text.Json.JsonElement> Attributes, Dictionary<string, System.Text.Json.JsonElement> Preferences) Profile(Random random, MarketDefinition market)
    {
        string Value(string set) => market.ValueSets[set][random.Next(market.ValueSets[set].Count)];
        string[] Values(string set) => random.Next(5) == 0 ? [] : [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Value(set)).Distinct()];
        var attributes = new Dictionary<string, object?>
        {
            ["industry"] = Value("industries"), ["fundingStage"] = Value("fundingStages"), ["location"] = Value("locations"),
            ["industries"] = Values("industries"), ["fundingStages"] = Values("fundingStages"), ["locations"] = Values("locations"),
            ["fundingAmount"] = random.Next(5) == 0 ? null : random.Next(100_000, 5_000_000),
            ["minCheck"] = random.Next(5) == 0 ? null : random.Next(50_000, 500_000), ["maxCheck"] = random.Next(5) == 0 ? null : random.Next(500_000, 5_000_000),
        };
        var preferences = new Dictionary<string, object?>
        {
            ["industries"] = Values("industries"), ["fundingStages"] = Values("fundingStages"), ["locations"] = Values("locations"),
            ["minFunding"] = random.Next(5) == 0 ? null : random.Next(100_000, 1_000_000), ["maxFunding"] = random.Next(5) == 0 ? null : random.Next(1_000_000, 5_000_000),
            ["minCheck"] = random.Next(5) == 0 ? null : random.Next(50_000, 500_000),
        };
        return (Json(attributes), Json(preferences));
    }

    private static Dictionary<string, System.Text.Json.JsonElement> Json(Dictionary<string, object?> values) =>
        values.Where(p => p.Value is not null && p.Value is not string[] { Length: 0 })
            .ToDictionary(p => p.Key, p => System.Text.Json.JsonSerializer.SerializeToElement(p.Value));
}
