using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Pairwise.Markets;
using Pairwise.Profiles;
using Pairwise.Ranking;
using Pairwise.Swipes;

namespace Pairwise.Benchmarks;

/// <summary>
/// One first feed page of the venture market at 100,000 startup cards, every card with behaviour
/// counts, ranked by the pure ranker in process: the recipe alone (the baseline, as with
/// <c>"learning": false</c>) against the recipe blended with the learned term (ADR 19), and
/// against a page from the viewer's kept list (ADR 22) for a new viewer and for one who saw 2,000 cards.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class RankerBenchmarks
{
    private const int Cards = 100_000;
    private MarketIndex _index = null!;
    private Viewer _recipeOnly = null!;
    private Viewer _learning = null!;
    private readonly Signals _signals = new() { Swipes = [], Inbox = [], Seen = [] };
    private readonly Signals _seen2000 = new() { Swipes = [], Inbox = [], Seen = [] };
    private ViewerList _list = null!;
    private ViewerList _heavyList = null!;

    [GlobalSetup]
    public void Setup()
    {
        var market = MarketCatalog.LoadFile(Path.Combine(AppContext.BaseDirectory, "markets", "venture.json"));
        var model = new RankingModel(market);
        _index = new MarketIndex(model);
        var random = new Random(5);
        var startup = market.FindSide("startup")!;
        var investor = market.FindSide("investor")!;
        string Pick(string set) => market.ValueSets[set][random.Next(market.ValueSets[set].Count)];
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < Cards; i++)
        {
            var attributes = Json(new { industry = Pick("industries"), fundingStage = Pick("fundingStages"), location = Pick("locations"), fundingAmount = random.Next(100_000, 5_000_000) });
            var preferences = Json(new { industries = new[] { Pick("industries"), Pick("industries") }, locations = new[] { Pick("locations") } });
            var swipesIn = random.Next(0, 40);
            var swipesOut = random.Next(0, 40);
            var card = new CandidateCard { Id = $"card{i:D6}", Side = startup.Id, OwnerProfileId = $"profile{i}", OwnerUserId = $"user{i}", Tags = [] };
            var values = new CardValues(model.Cards(startup).Encode(attributes, preferences), float.NaN, float.NaN, float.NaN, now.UtcTicks, long.MaxValue, 0, 0,
                (float)random.NextDouble(), now.AddDays(-random.Next(60)).UtcTicks, now.AddDays(-random.Next(20)).UtcTicks, 0)
            {
                Behaviour = new Behaviour(random.Next(0, swipesIn + 1), swipesIn, random.Next(0, swipesOut + 1), swipesOut),
            };
            _index.Upsert(card, values, null);
        }
        var profile = new ProfileRecord
        {
            Id = "investor", UserId = "viewer", Market = market.Id, Side = investor.Id, DisplayName = "Harbour Ventures",
            Attributes = Json(new { industries = new[] { "fintech", "ai" }, fundingStages = new[] { "seed" }, locations = new[] { "Hong Kong" } }),
            Preferences = Json(new { industries = new[] { "fintech", "ai", "climate" }, fundingStages = new[] { "seed", "series-a" }, locations = new[] { "Hong Kong" }, minFunding = 100_000, maxFunding = 3_000_000 }),
            Completeness = 1, CreatedAt = now, UpdatedAt = now,
        };
        var (rate, swipes) = _index.Received(startup.Id);
        _recipeOnly = Viewer(model, market, investor, profile, now, null);
        _learning = Viewer(model, market, investor, profile, now, new LearnedView
        {
            Parameters = _index.Learned,
            Weight = (float)_index.Learned.Blend * swipes / (swipes + model.LearningRamp),
            PriorSwipes = model.LearningPrior,
            CardRate = rate,
            ViewerRate = rate,
            ViewerEagerness = 0.2f,
            ViewerAppeal = -0.1f,
            Mutual = true,
        });
        // Kept lists as a full scan builds them: a new viewer's, and one who saw the best 2,000 cards yesterday.
        _list = List(_signals, now);
        foreach (var (card, _) in Ranker.Scan(_recipeOnly, _index, _signals, [], 2000, bound: false).Ranked)
        {
            _seen2000.Seen[card.Id] = now.AddDays(-1).ToUnixTimeSeconds();
        }
        _heavyList = List(_seen2000, now);
    }

    private ViewerList List(Signals signals, DateTimeOffset now)
    {
        var scan = Ranker.Scan(_recipeOnly, _index, signals, [], 500, bound: true);
        return new ViewerList("bench", now, scan.Threshold, [.. scan.Kept.Select(k => k.Card.Id)], [.. scan.Kept.Select(k => k.Base)], 0);
    }

    private static Viewer Viewer(RankingModel model, MarketDefinition market, SideDefinition side, ProfileRecord profile, DateTimeOffset now, LearnedView? learned)
    {
        var viewer = new Viewer
        {
            Market = market, Side = side, Counterpart = market.CounterpartOf(side), Profile = profile,
            Features = FeatureView.Of(model.Profile(side).Encode(profile.Attributes, profile.Preferences), model.RankedLength),
            Now = now.UtcTicks, Quality = 60, Learned = learned,
        };
        viewer.State = model.Recipe.Prepare(viewer);
        return viewer;
    }

    private static Dictionary<string, JsonElement> Json(object value) =>
        JsonSerializer.SerializeToElement(value).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    [Benchmark(Baseline = true, Description = "recipe alone (learning off)")]
    public int RecipeOnly() => Ranker.Rank(_recipeOnly, _index, _signals, []).Count;

    [Benchmark(Description = "recipe + learned term")]
    public int WithLearning() => Ranker.Rank(_learning, _index, _signals, []).Count;

    [Benchmark(Description = "the batch's scan: a kept list of 1,000 and its threshold")]
    public int BatchList() => Ranker.Scan(_recipeOnly, _index, _signals, [], 1000, bound: true).Kept.Count;

    [Benchmark(Description = "page from a kept list, new viewer")]
    public int FromList() => ViewerLists.Order(_list, _recipeOnly, _index, _signals, [], []).Certain;

    [Benchmark(Description = "page from a kept list, 2,000 cards seen")]
    public int FromListAfter2000Seen() => ViewerLists.Order(_heavyList, _recipeOnly, _index, _seen2000, [], []).Certain;
}
