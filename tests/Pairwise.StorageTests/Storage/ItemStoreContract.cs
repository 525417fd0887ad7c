using System.Text;
using Microsoft.Extensions.Time.Testing;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Tests.Storage;

/// <summary>
/// The semantics every item store engine must have. Each engine runs this same suite through a
/// subclass that says how to make a fresh, empty store on a given clock.
/// </summary>
public abstract class ItemStoreContract : IAsyncDisposable
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private IItemStore? _store;

    protected IItemStore Store => _store ??= CreateStore(Clock);

    protected abstract IItemStore CreateStore(TimeProvider clock);

    public virtual ValueTask DisposeAsync()
    {
        (_store as IDisposable)?.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private static Item NewItem(string pk, string sk, string data = "{}", long version = 1) =>
        new() { Pk = pk, Sk = sk, Data = Encoding.UTF8.GetBytes(data), Version = version };

    private static string Text(Item item) => Encoding.UTF8.GetString(item.Data);

    [Fact]
    public async Task AnItemReadsBackAsItWasWritten()
    {
        var item = new Item
        {
            Pk = "P#1", Sk = "S#1", Gsi1Pk = "G1", Gsi1Sk = "g1", Gsi2Pk = "G2", Gsi2Sk = "g2",
            Data = Encoding.UTF8.GetBytes("{\"name\":\"喬\"}"), Version = 7, Counter = 3,
            ExpiresAt = Clock.GetUtcNow().AddDays(1),
        };
        Assert.True(await Store.PutAsync(item));

        var read = await Store.GetAsync(item.Key);

        Assert.NotNull(read);
        Assert.Equal(item with { Data = read.Data }, read);
        Assert.Equal(item.Data, read.Data);
    }

    [Fact]
    public async Task AnAbsentItemIsNull() => Assert.Null(await Store.GetAsync(new ItemKey("P#none", "S")));

    [Fact]
    public async Task APutReplacesTheWholeItem()
    {
        await Store.PutAsync(NewItem("P", "S", "{\"a\":1}") with { Gsi1Pk = "G", Gsi1Sk = "g", Counter = 5 });
        await Store.PutAsync(NewItem("P", "S", "{\"b\":2}", version: 2));

        var read = await Store.GetAsync(new ItemKey("P", "S"));

        Assert.Equal("{\"b\":2}", Text(read!));
        Assert.Null(read!.Gsi1Pk);
        Assert.Equal(0, read.Counter);
        Assert.Empty((await Store.QueryAsync(new Query { Index = ItemIndex.Gsi1, Pk = "G" })).Items);
    }

    [Fact]
    public async Task NotExistsHoldsOnlyForAnAbsentItem()
    {
        Assert.True(await Store.PutAsync(NewItem("P", "S", "{\"first\":true}"), Condition.NotExists));
        Assert.False(await Store.PutAsync(NewItem("P", "S", "{\"second\":true}"), Condition.NotExists));
        Assert.Equal("{\"first\":true}", Text((await Store.GetAsync(new ItemKey("P", "S")))!));
    }

    [Fact]
    public async Task ExistsHoldsOnlyForAPresentItem()
    {
        Assert.False(await Store.PutAsync(NewItem("P", "S"), Condition.Exists));
        Assert.Null(await Store.GetAsync(new ItemKey("P", "S")));
        await Store.PutAsync(NewItem("P", "S"));
        Assert.True(await Store.PutAsync(NewItem("P", "S", version: 2), Condition.Exists));
    }

    [Fact]
    public async Task AStaleVersionLosesAndTheCurrentOneWins()
    {
        await Store.PutAsync(NewItem("P", "S", "{\"v\":1}", version: 1));

        Assert.True(await Store.PutAsync(NewItem("P", "S", "{\"v\":2}", version: 2), Condition.VersionIs(1)));
        Assert.False(await Store.PutAsync(NewItem("P", "S", "{\"stale\":true}", version: 2), Condition.VersionIs(1)));

        var read = await Store.GetAsync(new ItemKey("P", "S"));
        Assert.Equal(2, read!.Version);
        Assert.Equal("{\"v\":2}", Text(read));
    }

    [Fact]
    public async Task AVersionConditionOnAnAbsentItemFails() =>
        Assert.False(await Store.PutAsync(NewItem("P", "S"), Condition.VersionIs(0)));

    [Fact]
    public async Task DeletesHonourTheirCondition()
    {
        await Store.PutAsync(NewItem("P", "S", version: 3));

        Assert.False(await Store.DeleteAsync(new ItemKey("P", "S"), Condition.VersionIs(2)));
        Assert.NotNull(await Store.GetAsync(new ItemKey("P", "S")));
        Assert.True(await Store.DeleteAsync(new ItemKey("P", "S"), Condition.VersionIs(3)));
        Assert.Null(await Store.GetAsync(new ItemKey("P", "S")));
        Assert.True(await Store.DeleteAsync(new ItemKey("P", "S")));
        Assert.False(await Store.DeleteAsync(new ItemKey("P", "S"), Condition.Exists));
    }

    [Fact]
    public async Task ACounterStartsAtItsFirstDeltaAndAddsAtomically()
    {
        var key = new ItemKey("C", "likes");
        Assert.Equal(5, await Store.AddAsync(key, 5));

        await Parallel.ForAsync(0, 100, async (_, token) => await Store.AddAsync(key, 1, cancellationToken: token));

        Assert.Equal(105, (await Store.GetAsync(key))!.Counter);
        Assert.Equal(95, await Store.AddAsync(key, -10));
    }

    [Fact]
    public async Task ACounterKeepsTheRestOfItsItem()
    {
        await Store.PutAsync(NewItem("C", "x", "{\"keep\":1}", version: 4));
        await Store.AddAsync(new ItemKey("C", "x"), 2);

        var read = await Store.GetAsync(new ItemKey("C", "x"));
        Assert.Equal("{\"keep\":1}", Text(read!));
        Assert.Equal(4, read!.Version);
        Assert.Equal(2, read.Counter);
    }

    [Fact]
    public async Task ATransactionWritesEverythingWhenEveryConditionHolds()
    {
        await Store.PutAsync(NewItem("T", "old", version: 1));

        var result = await Store.TransactAsync(
        [
            new WriteOperation.Put(NewItem("T", "a"), Condition.NotExists),
            new WriteOperation.Delete(new ItemKey("T", "old"), Condition.VersionIs(1)),
            new WriteOperation.Add(new ItemKey("T", "count"), 1),
        ]);

        Assert.True(result.Committed);
        Assert.NotNull(await Store.GetAsync(new ItemKey("T", "a")));
        Assert.Null(await Store.GetAsync(new ItemKey("T", "old")));
        Assert.Equal(1, (await Store.GetAsync(new ItemKey("T", "count")))!.Counter);
    }

    [Fact]
    public async Task ATransactionWithOneFailedConditionWritesNothing()
    {
        await Store.PutAsync(NewItem("T", "taken"));
        await Store.PutAsync(NewItem("T", "doomed"));

        var result = await Store.TransactAsync(
        [
            new WriteOperation.Put(NewItem("T", "new"), Condition.NotExists),
            new WriteOperation.Delete(new ItemKey("T", "doomed")),
            new WriteOperation.Add(new ItemKey("T", "count"), 1),
            new WriteOperation.Put(NewItem("T", "taken"), Condition.NotExists),
        ]);

        Assert.False(result.Committed);
        Assert.Equal(3, result.FailedOperation);
        Assert.Null(await Store.GetAsync(new ItemKey("T", "new")));
        Assert.NotNull(await Store.GetAsync(new ItemKey("T", "doomed")));
        Assert.Null(await Store.GetAsync(new ItemKey("T", "count")));
    }

    [Fact]
    public async Task ACheckInATransactionGuardsWithoutWriting()
    {
        await Store.PutAsync(NewItem("T", "guard", version: 2));

        var failed = await Store.TransactAsync([new WriteOperation.Check(new ItemKey("T", "guard"), Condition.VersionIs(1)), new WriteOperation.Put(NewItem("T", "x"))]);
        var passed = await Store.TransactAsync([new WriteOperation.Check(new ItemKey("T", "guard"), Condition.VersionIs(2)), new WriteOperation.Put(NewItem("T", "y"))]);

        Assert.False(failed.Committed);
        Assert.Equal(0, failed.FailedOperation);
        Assert.True(passed.Committed);
        Assert.Null(await Store.GetAsync(new ItemKey("T", "x")));
        Assert.Equal(2, (await Store.GetAsync(new ItemKey("T", "guard")))!.Version);
    }

    [Fact]
    public async Task ATransactionHasAtMostOneHundredOperationsAndOnePerKey()
    {
        var tooMany = Enumerable.Range(0, 101).Select(i => (WriteOperation)new WriteOperation.Put(NewItem("T", $"k{i}"))).ToList();
        await Assert.ThrowsAsync<Pairwise.Platform.StoreRuleException>(() => Store.TransactAsync(tooMany));
        await Assert.ThrowsAsync<Pairwise.Platform.StoreRuleException>(() => Store.TransactAsync([new WriteOperation.Put(NewItem("T", "k")), new WriteOperation.Add(new ItemKey("T", "k"), 1)]));

        var hundred = tooMany.Take(100).ToList();
        Assert.True((await Store.TransactAsync(hundred)).Committed);
    }

    [Fact]
    public async Task AnItemOverFourHundredKilobytesIsRefused()
    {
        var big = new Item { Pk = "B", Sk = "big", Data = new byte[StoreRules.MaxItemBytes] };
        await Assert.ThrowsAsync<Pairwise.Platform.StoreRuleException>(() => Store.PutAsync(big));
        Assert.True(await Store.PutAsync(big with { Data = new byte[StoreRules.MaxItemBytes - 200] }));
    }

    [Fact]
    public async Task AQueryReturnsAPartitionInSortKeyOrderByUtf8Bytes()
    {
        string[] keys = ["b", "B", "a", "é", "z", "~", "a1", "A", "中", "é2"];
        foreach (var key in keys)
        {
            await Store.PutAsync(NewItem("Q", key));
        }
        await Store.PutAsync(NewItem("Q-other", "a"));
        var expected = keys.Order(Comparer<string>.Create((x, y) => Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)))).ToList();

        var ascending = await Store.QueryAsync(new Query { Pk = "Q" });
        var descending = await Store.QueryAsync(new Query { Pk = "Q", Descending = true });

        Assert.Equal(expected, ascending.Items.Select(i => i.Sk));
        Assert.Equal(Enumerable.Reverse(expected), descending.Items.Select(i => i.Sk));
        Assert.Null(ascending.Cursor);
    }

    [Fact]
    public async Task SortKeyConditionsSelectTheirRange()
    {
        foreach (var key in new[] { "MSG#", "MSG#001", "MSG#002", "MSG#010", "MSG$", "MSF#9", "NOTE#1" })
        {
            await Store.PutAsync(NewItem("R", key));
        }

        async Task<string[]> Keys(SortKeyCondition condition) =>
            [.. (await Store.QueryAsync(new Query { Pk = "R", SortKey = condition })).Items.Select(i => i.Sk)];

        Assert.Equal(["MSG#", "MSG#001", "MSG#002", "MSG#010"], await Keys(SortKeyCondition.BeginsWith("MSG#")));
        Assert.Equal(["MSG#001", "MSG#002"], await Keys(SortKeyCondition.BeginsWith("MSG#00")));
        Assert.Equal(["MSG#002"], await Keys(SortKeyCondition.EqualTo("MSG#002")));
        Assert.Equal(["MSG#001", "MSG#002", "MSG#010"], await Keys(SortKeyCondition.Between("MSG#001", "MSG#010")));
        Assert.Equal(["MSG$", "NOTE#1"], await Keys(SortKeyCondition.GreaterThan("MSG#010")));
        Assert.Equal(["MSG#010", "MSG$", "NOTE#1"], await Keys(SortKeyCondition.GreaterOrEqual("MSG#010")));
        Assert.Equal(["MSF#9", "MSG#"], await Keys(SortKeyCondition.LessThan("MSG#001")));
        Assert.Equal(["MSF#9", "MSG#", "MSG#001"], await Keys(SortKeyCondition.LessOrEqual("MSG#001")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PagesCoverEveryItemOnceInOrder(bool descending)
    {
        var all = Enumerable.Range(0, 250).Select(i => $"ITEM#{i:D4}").ToList();
        foreach (var chunk in all.Chunk(100))
        {
            await Store.TransactAsync([.. chunk.Select(k => new WriteOperation.Put(NewItem("PAGE", k)))]);
        }

        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await Store.QueryAsync(new Query { Pk = "PAGE", Limit = 100, Cursor = cursor, Descending = descending });
            seen.AddRange(page.Items.Select(i => i.Sk));
            cursor = page.Cursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(descending ? Enumerable.Reverse(all) : all, seen);
    }

    [Fact]
    public async Task PagingResumesAfterTheCursorEvenWhenItemsAreAddedBetweenPages()
    {
        foreach (var key in new[] { "b", "d", "f" })
        {
            await Store.PutAsync(NewItem("LIVE", key));
        }
        var first = await Store.QueryAsync(new Query { Pk = "LIVE", Limit = 2 });
        await Store.PutAsync(NewItem("LIVE", "a"));
        await Store.PutAsync(NewItem("LIVE", "e"));

        var second = await Store.QueryAsync(new Query { Pk = "LIVE", Limit = 2, Cursor = first.Cursor });

        Assert.Equal(["b", "d"], first.Items.Select(i => i.Sk));
        Assert.Equal(["e", "f"], second.Items.Select(i => i.Sk));
    }

    [Fact]
    public async Task APageEndsAtOneMegabyteOfData()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.PutAsync(new Item { Pk = "HEAVY", Sk = $"k{i}", Data = new byte[300 * 1024] });
        }

        var first = await Store.QueryAsync(new Query { Pk = "HEAVY", Limit = 10 });
        var second = await Store.QueryAsync(new Query { Pk = "HEAVY", Limit = 10, Cursor = first.Cursor });

        Assert.Equal(3, first.Items.Count);
        Assert.Equal(2, second.Items.Count);
        Assert.Null(second.Cursor);
    }

    [Fact]
    public async Task AnIndexHoldsOnlyItemsWithItsKeysAndPagesThroughEqualSortKeys()
    {
        for (var i = 0; i < 7; i++)
        {
            await Store.PutAsync(NewItem($"USER#{i}", "PROFILE") with { Gsi1Pk = "MARKET#venture", Gsi1Sk = i < 5 ? "same" : $"z{i}" });
        }
        await Store.PutAsync(NewItem("USER#x", "PROFILE"));
        await Store.PutAsync(NewItem("USER#y", "PROFILE") with { Gsi2Pk = "MARKET#venture", Gsi2Sk = "same" });

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Store.QueryAsync(new Query { Index = ItemIndex.Gsi1, Pk = "MARKET#venture", Limit = 2, Cursor = cursor });
            seen.AddRange(page.Items.Select(i => i.Pk));
            cursor = page.Cursor;
        }
        while (cursor is not null);

        Assert.Equal(7, seen.Count);
        Assert.Equal(7, seen.Distinct().Count());
        Assert.Equal(["USER#5", "USER#6"], seen[5..]);
        var onlyGsi2 = await Store.QueryAsync(new Query { Index = ItemIndex.Gsi2, Pk = "MARKET#venture" });
        Assert.Equal("USER#y", Assert.Single(onlyGsi2.Items).Pk);
    }

    [Fact]
    public async Task AnIndexQueryCanSelectAndReverseBySortKey()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.PutAsync(NewItem($"L#{i}", "LISTING") with { Gsi2Pk = "TAG#bike", Gsi2Sk = $"2026-01-0{i + 1}" });
        }

        var page = await Store.QueryAsync(new Query { Index = ItemIndex.Gsi2, Pk = "TAG#bike", SortKey = SortKeyCondition.GreaterOrEqual("2026-01-03"), Descending = true });

        Assert.Equal(["L#4", "L#3", "L#2"], page.Items.Select(i => i.Pk));
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("eyJ4IjoxfQ")]
    [InlineData("")]
    public async Task AForgedCursorIsRejected(string cursor)
    {
        await Store.PutAsync(NewItem("P", "S"));
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.QueryAsync(new Query { Pk = "P", Cursor = cursor, Index = ItemIndex.Gsi1 }));
    }

    [Fact]
    public async Task AnExpiredItemIsGoneForReadsQueriesAndConditions()
    {
        var expiring = NewItem("TTL", "soon") with { ExpiresAt = Clock.GetUtcNow().AddMinutes(10), Gsi1Pk = "G", Gsi1Sk = "x" };
        await Store.PutAsync(expiring);
        await Store.PutAsync(NewItem("TTL", "forever"));
        Assert.NotNull(await Store.GetAsync(expiring.Key));

        Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await Store.GetAsync(expiring.Key));
        Assert.Equal(["forever"], (await Store.QueryAsync(new Query { Pk = "TTL" })).Items.Select(i => i.Sk));
        Assert.Empty((await Store.QueryAsync(new Query { Index = ItemIndex.Gsi1, Pk = "G" })).Items);
        Assert.Empty(await Store.GetManyAsync([expiring.Key]));
        Assert.False(await Store.PutAsync(NewItem("TTL", "soon", version: 2), Condition.Exists));
        Assert.True(await Store.PutAsync(NewItem("TTL", "soon", "{\"new\":1}"), Condition.NotExists));
        Assert.Equal("{\"new\":1}", Text((await Store.GetAsync(expiring.Key))!));
    }

    [Fact]
    public async Task ACounterThatExpiredStartsAgain()
    {
        var key = new ItemKey("RATE", "window");
        await Store.AddAsync(key, 3, Clock.GetUtcNow().AddMinutes(1));
        Assert.Equal(4, await Store.AddAsync(key, 1, Clock.GetUtcNow().AddMinutes(1)));

        Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(1, await Store.AddAsync(key, 1, Clock.GetUtcNow().AddMinutes(1)));
    }

    [Fact]
    public async Task GetManyReturnsTheItemsThatExist()
    {
        await Store.PutAsync(NewItem("M", "1"));
        await Store.PutAsync(NewItem("M", "3"));

        var found = await Store.GetManyAsync([new ItemKey("M", "1"), new ItemKey("M", "2"), new ItemKey("M", "3")]);

        Assert.Equal(["1", "3"], found.Select(i => i.Sk).Order());
        await Assert.ThrowsAsync<Pairwise.Platform.StoreRuleException>(() => Store.GetManyAsync([.. Enumerable.Range(0, 101).Select(i => new ItemKey("M", $"{i}"))]));
    }

    [Fact]
    public async Task TwoWritersRacingOnNotExistsHaveExactlyOneWinner()
    {
        for (var round = 0; round < 20; round++)
        {
            var key = $"RACE#{round}";
            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() => Store.PutAsync(NewItem(key, "MATCH", $"{{\"writer\":{w}}}"), Condition.NotExists))));
            Assert.Equal(1, results.Count(won => won));
        }
    }

    [Fact]
    public async Task WritersRacingOnOneVersionHaveExactlyOneWinner()
    {
        await Store.PutAsync(NewItem("V", "doc", version: 1));

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(w =>
            Task.Run(() => Store.PutAsync(NewItem("V", "doc", $"{{\"writer\":{w}}}", version: 2), Condition.VersionIs(1)))));

        Assert.Equal(1, results.Count(won => won));
    }

    [Fact]
    public async Task RacingTransactionsClaimingTheSameKeyHaveExactlyOneWinner()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(() => Store.TransactAsync(
        [
            new WriteOperation.Put(NewItem("EMAIL#a@b.c", "EMAIL", $"{{\"user\":{w}}}"), Condition.NotExists),
            new WriteOperation.Put(NewItem($"USER#{w}", "USER"), Condition.NotExists),
        ]))));

        Assert.Equal(1, results.Count(r => r.Committed));
        var winner = Array.FindIndex(results, r => r.Committed);
        for (var w = 0; w < 16; w++)
        {
            Assert.Equal(w == winner, await Store.GetAsync(new ItemKey($"USER#{w}", "USER")) is not null);
        }
    }
}
