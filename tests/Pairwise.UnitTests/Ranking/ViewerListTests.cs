using Pairwise.Markets;
using Pairwise.Profiles;
using Pairwise.Ranking;
using Pairwise.Swipes;

namespace Pairwise.Tests.Ranking;

/// <summary>
/// A kept list answers a first page with the order the full scan gives (ADR 22): built once, then
/// read after the viewer saw, passed and got liked, cards were added and edited, and hours passed.
/// </summary>
public sealed class ViewerListTests
{
    private const int Cards = 4000;
    private const int ListSize = 300;

    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void AKeptListGivesTheFullScansOrderAfterSignalsChangesAndTime(int seed, bool learning)
    {
        var random = new Random(seed);
        var (market, model, clock, index) = Venture();
        var startup = market.FindSide("startup")!;
        var investor = market.FindSide("investor")!;
        for (var i = 0; i < Cards; i++)
        {
            Add(index, model, startup, random, $"card{i:D5}", clock.Now);
        }
        var signals = new Signals { Swipes = [], Inbox = [], Seen = [] };
        // Seen and passed days ago (some passes past the 30-day cool-down), and owners who swiped on the viewer.
        foreach (var id in Pick(random, 150))
        {
            signals.Seen[id] = clock.Now.AddDays(-random.Next(0, 7)).ToUnixTimeSeconds();
        }
        foreach (var id in Pick(random, 40))
        {
            signals.Swipes[id] = new SwipeRecord(id, Owner(id), market.Id, SwipeActions.Pass, clock.Now.AddDays(-random.Next(1, 50)));
        }
        foreach (var id in Pick(random, 20))
        {
            signals.Inbox[Owner(id)] = new InboxRecord(Owner(id), random.Next(2) == 0 ? SwipeActions.Like : SwipeActions.Pass, clock.Now.AddDays(-1));
        }

        clock.Now = clock.Now.AddHours(1);
        var built = clock.Now;
        var scan = Ranker.Scan(Viewer(index, investor, built, learning), index, signals, [], ListSize, bound: true);
        var first = scan.Ranked;
        var list = new ViewerList("v", built, scan.Threshold, [.. scan.Kept.Select(k => k.Card.Id)], [.. scan.Kept.Select(k => k.Base)], ViewerList.SwipeDigest(signals));
        Assert.False(list.Complete);
        // A page now resolves the list's ids to cards once; the edits below make some of those stale objects.
        ViewerLists.Order(list, Viewer(index, investor, built, learning), index, signals, [], []);

        // Later: the viewer saw the first 90 and passed and liked some, new owners liked them,
        // 60 cards were added and 60 edited, and five hours went by.
        clock.Now = built.AddHours(5);
        foreach (var (card, _) in first.Take(90))
        {
            signals.Seen[card.Id] = clock.Now.AddMinutes(-random.Next(1, 240)).ToUnixTimeSeconds();
        }
        foreach (var (card, _) in first.Skip(90).Take(15))
        {
            signals.Swipes[card.Id] = new SwipeRecord(card.Id, card.OwnerProfileId, market.Id, random.Next(3) == 0 ? SwipeActions.Like : SwipeActions.Pass, clock.Now);
        }
        foreach (var id in Pick(random, 40))
        {
            signals.Inbox[Owner(id)] = new InboxRecord(Owner(id), SwipeActions.Like, clock.Now);
        }
        for (var i = 0; i < 60; i++)
        {
            Add(index, model, startup, random, $"new{i:D3}", clock.Now);
            Add(index, model, startup, random, $"card{random.Next(Cards):D5}", clock.Now);
        }
        var viewer = Viewer(index, investor, clock.Now, learning);
        var changed = new List<CandidateCard>();
        Assert.True(index.ChangedSince((list.BuiltAt - ViewerLists.ChangeMargin).UtcTicks, ViewerLists.MaxChanged, changed));
        Assert.InRange(changed.Count, 100, 120);

        var (ordered, certain) = ViewerLists.Order(list, viewer, index, signals, [], changed);
        var full = Ranker.Rank(viewer, index, signals, []);

        Assert.True(certain >= Ranker.SnapshotSize, $"Only {certain} cards are certain.");
        var page = ordered.Take(Ranker.SnapshotSize).ToList();
        // The same scores in the same order (the learned term computed per card and with SIMD may
        // differ in the last float digit), and the same cards, up to ties: where two cards score
        // within that rounding, either may come first, and at the page's end either may be in.
        const double Close = 1e-3;
        Assert.Equal(full.Count, page.Count);
        var scores = full.ToDictionary(r => r.Card.Id, r => r.Score);
        for (var i = 0; i < page.Count; i++)
        {
            Assert.True(Math.Abs(full[i].Score - page[i].Score) < Close, $"At {i}: {full[i].Score} in the full scan, {page[i].Score} from the list.");
            Assert.True(scores.TryGetValue(page[i].Card.Id, out var score) ? Math.Abs(score - page[i].Score) < Close : page[i].Score - full[^1].Score < Close,
                $"{page[i].Card.Id} at {i} is not where the full scan has it.");
        }
        // The page is not the list replayed: liked-by, new and edited cards moved into it.
        Assert.Contains(page, r => !list.Ids.Take(Ranker.SnapshotSize).Contains(r.Card.Id));
    }

    [Fact]
    public void CardsSeenLatelyAndLeftOutOfTheListComeBackWhenTheirMarksFade()
    {
        var random = new Random(6);
        var (market, model, clock, index) = Venture();
        var investor = market.FindSide("investor")!;
        // Cards created and active weeks ago: nothing in their scores can rise with time but the marks.
        for (var i = 0; i < Cards; i++)
        {
            Add(index, model, market.FindSide("startup")!, random, $"card{i:D5}", clock.Now.AddDays(-40));
        }
        var best = Ranker.Rank(Viewer(index, investor, clock.Now, false), index, new Signals { Swipes = [], Inbox = [], Seen = [] }, []);
        // The viewer saw the best 100 two hours ago: half their scores now, most of them below the list's cut.
        var seen = best.Take(100).Select(r => r.Card.Id).ToHashSet();
        var signals = new Signals { Swipes = [], Inbox = [], Seen = seen.ToDictionary(id => id, _ => clock.Now.AddHours(-2).ToUnixTimeSeconds()) };
        var scan = Ranker.Scan(Viewer(index, investor, clock.Now, false), index, signals, [], ListSize, bound: true);
        Assert.True(seen.Count(id => !scan.Ranked.Any(r => r.Card.Id == id)) > 50);
        var list = new ViewerList("v", clock.Now, scan.Threshold, [.. scan.Kept.Select(k => k.Card.Id)], [.. scan.Kept.Select(k => k.Base)], ViewerList.SwipeDigest(signals));

        // A week later the marks no longer count: those cards lead the full scan again, and the list's order.
        clock.Now = clock.Now.AddDays(7);
        var viewer = Viewer(index, investor, clock.Now, false);
        var (ordered, certain) = ViewerLists.Order(list, viewer, index, signals, [], []);
        var full = Ranker.Rank(viewer, index, signals, []);

        Assert.True(certain >= Ranker.SnapshotSize, $"Only {certain} cards are certain.");
        Assert.Equal(seen.Order(), full.Take(100).Select(r => r.Card.Id).Order());
        Assert.Equal(seen.Order(), ordered.Take(100).Select(r => r.Card.Id).Order());
    }

    [Fact]
    public void TheChangeLogSaysWhenItNoLongerReachesBack()
    {
        var (market, model, clock, index) = Venture();
        var random = new Random(4);
        for (var i = 0; i < 10; i++)
        {
            Add(index, model, market.FindSide("startup")!, random, $"card{i}", clock.Now);
        }
        var since = clock.Now.AddSeconds(1).UtcTicks;
        clock.Now = clock.Now.AddMinutes(1);
        Add(index, model, market.FindSide("startup")!, random, "card3", clock.Now);
        Add(index, model, market.FindSide("startup")!, random, "card3", clock.Now);
        var changed = new List<CandidateCard>();
        Assert.True(index.ChangedSince(since, 10, changed));
        Assert.Equal(["card3"], changed.Select(c => c.Id));

        for (var i = 0; i <= MarketIndex.ChangeLogCapacity; i++)
        {
            Add(index, model, market.FindSide("startup")!, random, $"more{i}", clock.Now);
        }
        Assert.False(index.ChangedSince(since, int.MaxValue, []));
        Assert.False(index.ChangedSince(clock.Now.UtcTicks, 5, []));
    }

    [Fact]
    public void ChangesOnTheViewersOwnSideDoNotCountAgainstTheirList()
    {
        var (market, model, clock, index) = Venture();
        var random = new Random(5);
        var since = clock.Now.UtcTicks;
        // Investors signing in touch their own cards; an investor's list ranks startups only.
        for (var i = 0; i < 20; i++)
        {
            Add(index, model, market.FindSide("investor")!, random, $"investor{i}", clock.Now);
        }
        Add(index, model, market.FindSide("startup")!, random, "startup1", clock.Now);

        var changed = new List<CandidateCard>();
        Assert.True(index.ChangedSince(since, 5, changed, "startup"));
        Assert.Equal(["startup1"], changed.Select(c => c.Id));
        Assert.False(index.ChangedSince(since, 5, [], null));
    }

    [Fact]
    public void ForAListOlderThanTheLoadTheCardsSayWhenTheyChangedInTheStore()
    {
        var (market, model, clock, index) = Venture();
        var side = market.FindSide("startup")!;
        var values = new CardValues(model.Cards(side).Encode(new Dictionary<string, JsonElement>(), null), float.NaN, float.NaN, float.NaN, 0, long.MaxValue, 0, 0, 1, 0, 0, 0);
        foreach (var (id, at) in new[] { ("old", clock.Now.AddHours(-2)), ("recent", clock.Now.AddMinutes(-10)) })
        {
            index.Upsert(new CandidateCard { Id = id, Side = side.Id, OwnerProfileId = "p-" + id, OwnerUserId = "u-" + id, Tags = [], ChangedAt = at.UtcTicks }, values, null, loading: true);
        }
        index.Reloaded();
        clock.Now = clock.Now.AddMinutes(1);
        index.Upsert(new CandidateCard { Id = "live", Side = side.Id, OwnerProfileId = "p-live", OwnerUserId = "u-live", Tags = [], ChangedAt = clock.Now.UtcTicks }, values, null);

        var changed = new List<CandidateCard>();
        Assert.True(index.ChangedSince(clock.Now.AddHours(-1).UtcTicks, 10, changed));
        Assert.Equal(["live", "recent"], changed.Select(c => c.Id).Order());
        // A list built after the load sees only what changed since.
        changed.Clear();
        Assert.True(index.ChangedSince(clock.Now.AddSeconds(-30).UtcTicks, 10, changed));
        Assert.Equal(["live"], changed.Select(c => c.Id));
    }

    /// <summary>An empty venture index on a test clock at 2026-12-01 08:00 UTC.</summary>
    private static (MarketDefinition Market, RankingModel Model, Clock Clock, MarketIndex Index) Venture()
    {
        var market = MarketCatalog.LoadFile(Path.Combine(AppContext.BaseDirectory, "markets", "venture.json"));
        var model = new RankingModel(market);
        var clock = new Clock(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        return (market, model, clock, new MarketIndex(model, 0, clock));
    }

    private static string Owner(string cardId) => "owner-" + cardId;

    private static IEnumerable<string> Pick(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => $"card{random.Next(Cards):D5}").Distinct();

    private static void Add(MarketIndex index, RankingModel model, SideDefinition side, Random random, string id, DateTimeOffset now)
    {
        var market = model.Market;
        string Value(string set) => market.ValueSets[set][random.Next(market.ValueSets[set].Count)];
        var attributes = Json(new { industry = Value("industries"), fundingStage = Value("fundingStages"), location = Value("locations"), fundingAmount = random.Next(100_000, 5_000_000) });
        var preferences = Json(new { industries = new[] { Value("industries"), Value("industries") }, locations = new[] { Value("locations") } });
        var swipesIn = random.Next(0, 40);
        var swipesOut = random.Next(0, 40);
        var card = new CandidateCard { Id = id, Side = side.Id, OwnerProfileId = Owner(id), OwnerUserId = "user-" + id, Tags = [] };
        var values = new CardValues(model.Cards(side).Encode(attributes, preferences), float.NaN, float.NaN, float.NaN, now.UtcTicks, long.MaxValue, 0, 0,
            (float)random.NextDouble(), now.AddDays(-random.Next(60)).UtcTicks, now.AddDays(-random.Next(20)).UtcTicks, 0)
        {
            Behaviour = new Behaviour(random.Next(0, swipesIn + 1), swipesIn, random.Next(0, swipesOut + 1), swipesOut),
        };
        index.Upsert(card, values, null);
    }

    private static Viewer Viewer(MarketIndex index, SideDefinition side, DateTimeOffset now, bool learning)
    {
        var (model, market) = (index.Model, index.Market);
        var (rate, swipes) = index.Received(market.CounterpartOf(side).Id);
        var profile = new ProfileRecord
        {
            Id = "investor", UserId = "viewer", Market = market.Id, Side = side.Id, DisplayName = "Harbour Ventures",
            Attributes = Json(new { industries = new[] { "fintech", "ai" }, fundingStages = new[] { "seed" }, locations = new[] { "Hong Kong" } }),
            Preferences = Json(new { industries = new[] { "fintech", "ai", "climate" }, fundingStages = new[] { "seed", "series-a" }, locations = new[] { "Hong Kong" }, minFunding = 100_000, maxFunding = 3_000_000 }),
            Completeness = 1, CreatedAt = now, UpdatedAt = now,
        };
        var viewer = new Viewer
        {
            Market = market, Side = side, Counterpart = market.CounterpartOf(side), Profile = profile,
            Features = FeatureView.Of(model.Profile(side).Encode(profile.Attributes, profile.Preferences), model.RankedLength),
            Now = now.UtcTicks, Quality = 60,
            Learned = !learning ? null : new LearnedView
            {
                Parameters = index.Learned, Weight = (float)index.Learned.Blend * swipes / (swipes + model.LearningRamp), PriorSwipes = model.LearningPrior,
                CardRate = rate, ViewerRate = rate, ViewerEagerness = 0.2f, ViewerAppeal = -0.1f, Mutual = true,
            },
        };
        viewer.State = model.Recipe.Prepare(viewer);
        return viewer;
    }

    private static Dictionary<string, JsonElement> Json(object value) =>
        JsonSerializer.SerializeToElement(value).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
}

/// <summary>A kept list as the store and Redis hold it: our ids packed, any other id as it is.</summary>
public sealed class ViewerListCodecTests
{
    [Fact]
    public void AListComesBackAsItWasKeptWithOurIdsInAboutHalfTheBytes()
    {
        string[] ids =
        [
            "lst_0191a2b3c4d5e6f70123456789abcdef", "prf_00000000000000000000000000000000", "card00042",
            "lst_0191A2B3C4D5E6F70123456789ABCDEF", "ls_0191a2b3c4d5e6f70123456789abcdef0", "lst_0191a2b3c4d5e6f70123456789abcdeg", "lst-0191a2b3c4d5e6f70123456789abcdef", "",
        ];
        var bases = ids.Select((_, i) => i == 2 ? float.PositiveInfinity : i * 1.25f).ToArray();
        var list = new ViewerList("fp|1", new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero), 61.5, ids, bases, 0xDEADBEEFUL);

        var back = ViewerListCodec.Decode(ViewerListCodec.Encode(list));

        Assert.NotNull(back);
        Assert.Equal(list.Ids, back.Ids);
        Assert.Equal(list.Bases, back.Bases);
        Assert.Equal((list.Fingerprint, list.BuiltAt, list.Threshold, list.Swiped), (back.Fingerprint, back.BuiltAt, back.Threshold, back.Swiped));
        var ours = Enumerable.Range(0, 1000).Select(i => $"lst_{i:x16}{i * 7919L:x16}").ToArray();
        var size = ViewerListCodec.Encode(list with { Ids = ours, Bases = new float[1000] }).Length;
        Assert.InRange(size, 24_000, 24_200);
        Assert.Null(ViewerListCodec.Decode([1, 2, 3]));
    }
}

/// <summary>The feed's order, computed quickly: the same as rounding at every comparison and comparing ids as strings.</summary>
public sealed class FeedOrderTests
{
    [Fact]
    public void CardsSortAsTheirIdsAndRoundedScoresSay()
    {
        var random = new Random(7);
        // Ours, ours sharing the first 20 characters, another kind, upper case, too short, and not ours at all.
        List<string> ids = [.. Enumerable.Range(0, 300).Select(_ => $"lst_{random.NextInt64():x16}{random.NextInt64():x16}")];
        ids.AddRange(Enumerable.Range(0, 40).Select(i => $"lst_0193a1b2c3d4e5f6{i:x16}"));
        ids.AddRange(Enumerable.Range(0, 40).Select(i => $"prf_0193a1b2c3d4e5f6{i:x16}"));
        ids.AddRange(["LST_0193a1b2c3d4e5f60000000000000001", "lst_0193A1B2C3D4E5F60000000000000001", "lst_0193", "card00042", "card00043", "", "lst-0193a1b2c3d4e5f60000000000000001"]);
        var cards = ids.Distinct().Select(id => new CandidateCard { Id = id, Side = "s", OwnerProfileId = "p", OwnerUserId = "u", Tags = [] }).ToList();

        foreach (var a in cards)
        {
            foreach (var b in cards.Take(60))
            {
                Assert.Equal(Math.Sign(string.CompareOrdinal(a.Id, b.Id)), Math.Sign(CandidateCard.CompareIds(a, b)));
            }
        }

        // Scores on a coarse grid, so most cards tie to the thousandth with others.
        var scored = cards.Select(c => (Card: c, Score: random.Next(20) * 0.5 + random.Next(3) * 1e-5)).ToList();
        var expected = scored.ToList();
        expected.Sort((a, b) => Math.Round(a.Score, 3) != Math.Round(b.Score, 3)
            ? Math.Round(b.Score, 3).CompareTo(Math.Round(a.Score, 3))
            : string.CompareOrdinal(b.Card.Id, a.Card.Id));
        var byRow = scored.Select(s => s.Card).ToArray();
        var ordered = Ranker.InFeedOrder(byRow, [.. scored.Select((s, row) => (row, s.Score))], scored.Count);
        Assert.Equal(expected.Select(e => e.Card.Id), ordered.Select(s => s.Card.Id));
        Assert.Equal(expected.Select(e => e.Score), ordered.Select(s => s.Score));
        // The first few only (selected, then sorted): the same as the whole order's start, with ties at the cut.
        foreach (var take in (int[])[1, 7, 25, 100, scored.Count - 1])
        {
            Assert.Equal(expected.Take(take).Select(e => e.Card.Id), Ranker.InFeedOrder(byRow, [.. scored.Select((s, row) => (row, s.Score))], take).Select(s => s.Card.Id));
        }
    }
}
