using Microsoft.Extensions.DependencyInjection;
using Pairwise.Ranking;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Ranking;

/// <summary>
/// First pages come from the viewer's kept list (ADR 22): the same order a full scan of every
/// card gives, after swipes, seen marks, a new card and an undone pass; a page writes nothing, and
/// the cards the app says it showed cost one small write.
/// </summary>
public sealed class FeedListTests
{
    [Theory]
    [OnEachEngine]
    public async Task AKeptListGivesTheOrderOfAFullScan(Engine engine)
    {
        using var app = new PairwiseApp(engine, new()
        {
            ["Pairwise:Ranking:ListSize"] = "300",
            ["Pairwise:Tokens:AccessTokenLifetime"] = "1.00:00:00",
        });
        await app.Services.GetRequiredService<Pairwise.Cli.Seeder>().SeedAsync("venture", 600, 0, "startup", 11, null, CancellationToken.None);
        await app.Services.GetRequiredService<IndexMaintainer>().LoadAllAsync(CancellationToken.None);
        var (investor, _) = await InvestorAsync(app, industries: ["fintech", "ai", "climate"], stages: ["seed", "series-a"], locations: ["Hong Kong", "Singapore"]);
        await SettleAsync(app);
        // The seeded cards were applied a minute before the list is built: from then on only changes count.
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        var first = await FeedAsync(investor);
        Assert.Equal("live", first.GetProperty("source").GetString());
        await SeenAsync(investor, Ids(first));
        await FlushSeenAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        // The viewer passes on three, likes two; a fitting startup arrives; two hours pass.
        var shown = Ids(first);
        foreach (var card in shown.Take(3))
        {
            await SwipeAsync(investor, card, "pass");
        }
        foreach (var card in shown.Skip(3).Take(2))
        {
            await SwipeAsync(investor, card, "like");
        }
        await StartupAsync(app, "Fresh", "fintech", "seed", "Hong Kong");
        app.Clock.Advance(TimeSpan.FromHours(2));
        await SettleAsync(app);

        var expected = await FullScanAsync(app, investor);
        var (source, pages) = await FirstTwoHundredAsync(investor);
        Assert.Equal("list", source);
        AssertSameOrder(expected, pages);
        Assert.DoesNotContain(shown[0], pages.Select(p => p.Id));
        foreach (var chunk in pages.Select(p => p.Id).Chunk(100))
        {
            await SeenAsync(investor, chunk);
        }
        await FlushSeenAsync(app);
        app.Clock.Advance(Signals.SeenGrace);


        // The best card not yet shown is passed, the list rebuilt without it ("recommendations now"),
        // and the pass undone: the card is back where the full scan puts it.
        var shownSoFar = pages.Select(p => p.Id).Concat(shown).ToHashSet();
        var unseen = (await FullScanAsync(app, investor)).First(e => !shownSoFar.Contains(e.Id)).Id;
        await SwipeAsync(investor, unseen, "pass");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await Expect.Status(await investor.Client.PostAsync("/v1/markets/venture/feed/refresh", null), HttpStatusCode.Accepted);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await Expect.Status(await investor.Client.DeleteAsync($"/v1/listings/{unseen}/swipe"), HttpStatusCode.NoContent);
        await SettleAsync(app);
        expected = await FullScanAsync(app, investor);
        (_, pages) = await FirstTwoHundredAsync(investor);
        AssertSameOrder(expected, pages);
        Assert.Contains(unseen, pages.Select(p => p.Id));
    }

    [Theory]
    [OnEachEngine]
    public async Task AFeedPageWritesNothingAndShownCardsOneSmallItem(Engine engine)
    {
        CountingStore? store = null;
        using var app = new PairwiseApp(engine, new(), services: CountingStore.Around(s => store = s));
        for (var i = 0; i < 12; i++)
        {
            await StartupAsync(app, $"Startup {i}", i % 2 == 0 ? "fintech" : "ai", "seed", "Hong Kong");
        }
        var (investor, _) = await InvestorAsync(app);
        await SettleAsync(app);
        await FeedAsync(investor);
        await FlushSeenAsync(app);
        store!.WriteLog.Clear();

        var pages = new List<List<string>>();
        for (var page = 0; page < 3; page++)
        {
            pages.Add(Ids(await FeedAsync(investor)));
            await FlushSeenAsync(app);
        }
        Assert.Empty(store.WriteLog);
        Assert.Equal(10, pages[0].Count);
        Assert.All(pages, p => Assert.Equal(pages[0], p));

        await SeenAsync(investor, pages[0]);
        await FlushSeenAsync(app);
        var write = Assert.Single(store.WriteLog);
        Assert.StartsWith("put SEEN#", write.Write, StringComparison.Ordinal);
        Assert.Equal(1, write.Units);
    }

    private static Task FlushSeenAsync(PairwiseApp app) => app.Services.GetRequiredService<SeenWriter>().FlushAsync(CancellationToken.None);

    /// <summary>The investor's order as scoring every card in process gives it, with the feed's own signals.</summary>
    private static async Task<List<(string Id, double Score)>> FullScanAsync(PairwiseApp app, UserSession user)
    {
        var viewers = app.Services.GetRequiredService<Viewers>();
        var index = app.Services.GetRequiredService<CandidateIndexes>().For("venture")!;
        var request = new FeedRequest(user.UserId, "venture", null, null, null, null, null);
        var (profile, side, _, _) = await viewers.ResolveViewerAsync(request, index.Market, CancellationToken.None);
        var viewer = await viewers.PrepareAsync(side!, profile!.Record, request, index, CancellationToken.None);
        var signals = await viewers.SignalsAsync(profile.Record.Id, CancellationToken.None);
        var own = await viewers.ExcludedOwnersAsync(user.UserId, "venture", await viewers.HiddenFromAsync(user.UserId, CancellationToken.None), CancellationToken.None);
        return [.. Ranker.Rank(viewer!, index, signals, own).Select(r => (r.Card.Id, Math.Round(r.Score, 4)))];
    }

    /// <summary>Pages through a first page's order (four pages of 50) as the app would.</summary>
    private static async Task<(string Source, List<(string Id, double Score)> Items)> FirstTwoHundredAsync(UserSession user)
    {
        var items = new List<(string, double)>();
        var feed = await FeedAsync(user, query: "limit=50");
        var source = feed.GetProperty("source").GetString()!;
        while (true)
        {
            items.AddRange(feed.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("listing").GetProperty("id").GetString()!, i.GetProperty("score").GetDouble())));
            if (feed.GetProperty("nextCursor").GetString() is not { } cursor)
            {
                return (source, items);
            }
            feed = await FeedAsync(user, query: $"limit=50&cursor={Uri.EscapeDataString(cursor)}");
        }
    }

    /// <summary>The same scores in the same order, and the same cards up to ties (equal scores may come in another order, and at the end be other cards).</summary>
    private static void AssertSameOrder(List<(string Id, double Score)> expected, List<(string Id, double Score)> actual)
    {
        const double Close = 1e-3;
        Assert.Equal(expected.Count, actual.Count);
        var scores = expected.ToDictionary(e => e.Id, e => e.Score);
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.True(Math.Abs(expected[i].Score - actual[i].Score) < Close, $"At {i}: {expected[i]} in the full scan, {actual[i]} in the feed; the feed's first: {string.Join(", ", actual.Take(5))}; the scan's: {string.Join(", ", expected.Take(5))}.");
            Assert.True(scores.TryGetValue(actual[i].Id, out var score) ? Math.Abs(score - actual[i].Score) < Close : actual[i].Score - expected[^1].Score < Close,
                $"{actual[i].Id} at {i} is not where the full scan has it.");
        }
    }
}
