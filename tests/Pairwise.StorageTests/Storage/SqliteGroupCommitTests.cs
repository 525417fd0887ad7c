using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Pairwise.Storage;

namespace Pairwise.Tests.Storage;

/// <summary>
/// Group commit on the SQLite engine: concurrent writes share commits, and each caller still gets
/// its own outcome. Most tests stall the writer loop first (a second connection holds the file's
/// write lock while the loop runs a bulk write alone), queue their writes behind it, and then
/// release it: the next group holds every write they queued.
/// </summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private readonly string _folder = TempFolder.Create("group-commit");
    private readonly string _path;
    private readonly SqliteItemStore _store;

    public SqliteGroupCommitTests()
    {
        _path = Path.Combine(_folder, "items.db");
        _store = new SqliteItemStore(_path, TimeProvider.System);
    }

    public void Dispose()
    {
        _store.Dispose();
        TempFolder.Delete(_folder);
    }

    private static Item NewItem(string pk, string sk, string data = "{}", long version = 1) =>
        new() { Pk = pk, Sk = sk, Data = Encoding.UTF8.GetBytes(data), Version = version };

    private static string Text(Item item) => Encoding.UTF8.GetString(item.Data);

    [Fact]
    public async Task CheckpointsRunBesideTheWriterAndTheWalStaysBoundedUnderWritesThatNeverPause()
    {
        // Eight writers without pause until three times the bound has gone through the WAL.
        var wal = _path + "-wal";
        var payload = new string('x', 16000);
        var limit = 2 * SqliteItemStore.WriterCheckpointBytes;
        var writes = 3 * limit / payload.Length;
        long largest = 0, written = 0;
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; Interlocked.Increment(ref written) <= writes; i++)
            {
                Assert.True(await _store.PutAsync(NewItem($"WAL#{w}", $"{i:D6}", payload)));
            }
        })).ToList();
        while (!writers.All(t => t.IsCompleted))
        {
            largest = Math.Max(largest, File.Exists(wal) ? new FileInfo(wal).Length : 0);
            await Task.Delay(10);
        }
        await Task.WhenAll(writers);
        Assert.True(largest < limit, $"The WAL grew to {largest / 1024} KB with {writes * 16 / 1024} MB written.");
        Assert.True(_store.Checkpoints > 0, "The checkpoint loop never ran.");
        Assert.Equal(writes, (await Task.WhenAll(Enumerable.Range(0, 8).Select(w => _store.QueryAllAsync(new Query { Pk = $"WAL#{w}" }).CountAsync().AsTask()))).Sum());
    }

    [Fact]
    public async Task ConcurrentWritersShareCommits()
    {
        var before = _store.GroupCommits;

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(w => Task.Run(() => _store.PutAsync(NewItem($"W#{w}", "S")))));

        var after = _store.GroupCommits;
        Assert.All(results, Assert.True);
        Assert.Equal(100, after.Writes - before.Writes);
        Assert.True(after.Commits - before.Commits < 100, $"{after.Commits - before.Commits} commits for 100 concurrent writes");
        Assert.Equal(100, (await _store.GetManyAsync([.. Enumerable.Range(0, 100).Select(w => new ItemKey($"W#{w}", "S"))])).Count);
    }

    [Fact]
    public async Task WritesQueuedDuringACommitGoTogetherInTheNextAtMostTwoHundredFiftySixAtATime()
    {
        var before = _store.GroupCommits;
        Task<bool>[] writes;
        await using (await StallAsync())
        {
            writes = [.. Enumerable.Range(0, 300).Select(w => _store.PutAsync(NewItem("Q", $"k{w:D3}")))];
            await WaitUntilQueuedAsync(300);
            Assert.DoesNotContain(writes, write => write.IsCompleted);
        }

        Assert.All(await Task.WhenAll(writes), Assert.True);
        var after = _store.GroupCommits;
        Assert.Equal(new GroupCommitCounts(2, 300), new GroupCommitCounts(after.Commits - before.Commits, after.Writes - before.Writes));
        Assert.Equal(300, (await _store.QueryAsync(new Query { Pk = "Q", Limit = 1000 })).Items.Count);
    }

    [Fact]
    public async Task EachConditionalWriterInAGroupGetsItsOwnOutcome()
    {
        const int documents = 10;
        const int writers = 8;
        for (var d = 0; d < documents; d++)
        {
            await _store.PutAsync(NewItem("DOC", $"d{d}", "{\"v\":1}", version: 1));
        }
        var before = _store.GroupCommits;
        var claims = new Dictionary<(int Document, int Writer), Task<TransactionResult>>();
        var guarded = new List<Task<TransactionResult>>();
        var firsts = new List<Task<bool>>();
        await using (await StallAsync())
        {
            for (var w = 0; w < writers; w++)
            {
                for (var d = 0; d < documents; d++)
                {
                    // Every writer claims every document at version 1: one wins each, the others fail at index 1.
                    claims[(d, w)] = _store.TransactAsync(
                    [
                        new WriteOperation.Put(NewItem($"CLAIM#{d}#{w}", "C"), Condition.NotExists),
                        new WriteOperation.Put(NewItem("DOC", $"d{d}", $"{{\"writer\":{w}}}", version: 2), Condition.VersionIs(1)),
                    ]);
                }
                // A check on a key nobody writes fails at index 0 and writes nothing.
                guarded.Add(_store.TransactAsync([new WriteOperation.Check(new ItemKey("NOBODY", $"{w}"), Condition.Exists), new WriteOperation.Put(NewItem("GUARDED", $"{w}"))]));
                firsts.Add(_store.PutAsync(NewItem("FIRST", "ONE", $"{{\"writer\":{w}}}"), Condition.NotExists));
            }
            await WaitUntilQueuedAsync(claims.Count + guarded.Count + firsts.Count);
        }
        await Task.WhenAll(claims.Values);

        var after = _store.GroupCommits;
        Assert.Equal(1, after.Commits - before.Commits);
        for (var d = 0; d < documents; d++)
        {
            var winners = Enumerable.Range(0, writers).Where(w => claims[(d, w)].Result.Committed).ToList();
            var winner = Assert.Single(winners);
            Assert.All(Enumerable.Range(0, writers).Where(w => w != winner), w => Assert.Equal(TransactionResult.FailedAt(1), claims[(d, w)].Result));
            var document = await _store.GetAsync(new ItemKey("DOC", $"d{d}"));
            Assert.Equal(2, document!.Version);
            Assert.Equal($"{{\"writer\":{winner}}}", Text(document));
            for (var w = 0; w < writers; w++)
            {
                Assert.Equal(w == winner, await _store.GetAsync(new ItemKey($"CLAIM#{d}#{w}", "C")) is not null);
            }
        }
        Assert.All(await Task.WhenAll(guarded), result => Assert.Equal(TransactionResult.FailedAt(0), result));
        Assert.Empty((await _store.QueryAsync(new Query { Pk = "GUARDED" })).Items);
        var first = await Task.WhenAll(firsts);
        var firstWriter = Assert.Single(Enumerable.Range(0, writers), w => first[w]);
        Assert.Equal($"{{\"writer\":{firstWriter}}}", Text((await _store.GetAsync(new ItemKey("FIRST", "ONE")))!));
    }

    [Fact]
    public async Task ConcurrentAddsOnOneCounterEachGetTheirOwnNewValue()
    {
        var key = new ItemKey("COUNTER", "c");
        var deltas = Enumerable.Range(1, 200).ToList();
        Task<long>[] grouped;
        await using (await StallAsync())
        {
            grouped = [.. deltas.Take(100).Select(delta => _store.AddAsync(key, delta))];
            await WaitUntilQueuedAsync(100);
        }
        // The rest race freely, across groups.
        var racing = deltas.Skip(100).Select(delta => Task.Run(() => _store.AddAsync(key, delta)));
        var values = await Task.WhenAll([.. grouped, .. racing]);

        Assert.Equal(deltas.Sum(), (await _store.GetAsync(key))!.Counter);
        Assert.Equal(values.Length, values.Distinct().Count());
        // In the order they were applied, each caller's value is the one before plus its own delta.
        var previous = 0L;
        foreach (var (value, delta) in values.Zip(deltas).OrderBy(pair => pair.First))
        {
            Assert.Equal(previous + delta, value);
            previous = value;
        }
    }

    [Fact]
    public async Task AWriteCancelledWhileQueuedIsNotStoredAndTheOthersAre()
    {
        using var cancel = new CancellationTokenSource();
        Task<bool> first, cancelled, last;
        await using (await StallAsync())
        {
            first = _store.PutAsync(NewItem("CANCEL", "first"));
            cancelled = _store.PutAsync(NewItem("CANCEL", "cancelled"), cancellationToken: cancel.Token);
            last = _store.PutAsync(NewItem("CANCEL", "last"));
            await WaitUntilQueuedAsync(3);

            await cancel.CancelAsync();

            // Answered at once, while the loop is still stalled.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
            Assert.False(first.IsCompleted);
        }

        Assert.True(await first);
        Assert.True(await last);
        Assert.Null(await _store.GetAsync(new ItemKey("CANCEL", "cancelled")));
        Assert.Equal(["first", "last"], (await _store.QueryAsync(new Query { Pk = "CANCEL" })).Items.Select(i => i.Sk));
    }

    [Fact]
    public async Task AWriteCancelledOnceItsGroupRunsIsStored()
    {
        using var cancel = new CancellationTokenSource();
        Task<bool> write;
        using (HoldWriteLock())
        {
            write = _store.PutAsync(NewItem("CANCEL", "late"), cancellationToken: cancel.Token);
            await WaitUntilQueuedAsync(0);
            // The loop has taken it into a group and waits for the lock to begin its transaction.
            await Task.Delay(200);
            await cancel.CancelAsync();
            await Task.Delay(50);
            Assert.False(write.IsCompleted);
        }

        Assert.True(await write);
        Assert.NotNull(await _store.GetAsync(new ItemKey("CANCEL", "late")));
    }

    [Fact]
    public async Task AWriteThatFailsInItsGroupIsUndoneAndFailsAlone()
    {
        Execute("CREATE TRIGGER refuse BEFORE INSERT ON items WHEN NEW.pk = 'BAD' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
        var before = _store.GroupCommits;
        Task<bool> good, after;
        Task<TransactionResult> bad;
        await using (await StallAsync())
        {
            good = _store.PutAsync(NewItem("GOOD", "1"));
            // Its first put is applied before the second one fails: the savepoint undoes it.
            bad = _store.TransactAsync([new WriteOperation.Put(NewItem("HALF", "1")), new WriteOperation.Put(NewItem("BAD", "1"))]);
            after = _store.PutAsync(NewItem("GOOD", "2"));
            await WaitUntilQueuedAsync(3);
        }

        Assert.Contains("refused", (await Assert.ThrowsAsync<SqliteException>(() => bad)).Message);
        Assert.True(await good);
        Assert.True(await after);
        Assert.Equal(1, _store.GroupCommits.Commits - before.Commits);
        Assert.Equal(["1", "2"], (await _store.QueryAsync(new Query { Pk = "GOOD" })).Items.Select(i => i.Sk));
        Assert.Null(await _store.GetAsync(new ItemKey("HALF", "1")));
    }

    [Fact]
    public async Task AWriteWhoseErrorRollsBackTheTransactionFailsAloneAndTheRestOfItsGroupCommits()
    {
        Execute("CREATE TRIGGER doom BEFORE INSERT ON items WHEN NEW.pk = 'DOOM' BEGIN SELECT RAISE(ROLLBACK, 'doomed'); END;");
        Task<bool> before, doomed, after;
        Task<long> counted;
        await using (await StallAsync())
        {
            before = _store.PutAsync(NewItem("KEPT", "before"));
            counted = _store.AddAsync(new ItemKey("KEPT", "count"), 5);
            doomed = _store.PutAsync(NewItem("DOOM", "1"));
            after = _store.PutAsync(NewItem("KEPT", "after"));
            await WaitUntilQueuedAsync(4);
        }

        Assert.Contains("doomed", (await Assert.ThrowsAsync<SqliteException>(() => doomed)).Message);
        Assert.True(await before);
        Assert.True(await after);
        Assert.Equal(5, await counted);
        Assert.Equal(5, (await _store.GetAsync(new ItemKey("KEPT", "count")))!.Counter);
        Assert.Equal(["after", "before", "count"], (await _store.QueryAsync(new Query { Pk = "KEPT" })).Items.Select(i => i.Sk));
        Assert.True(await _store.PutAsync(NewItem("KEPT", "later")));
    }

    [Fact]
    public async Task BackupAndPurgeRunBetweenGroupsWhileWritersGoOn()
    {
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await _store.PutAsync(NewItem($"B#{w}", $"{i:D2}"));
            }
        })).ToList();
        var backup = Path.Combine(_folder, "backup.db");
        await _store.BackupAsync(backup);
        Assert.Equal(0, await _store.PurgeExpiredAsync(100));
        await Task.WhenAll(writers);

        using var copy = new SqliteItemStore(backup, TimeProvider.System);
        for (var w = 0; w < 4; w++)
        {
            // One instant: each writer's first writes, in order, and none after.
            var copied = (await copy.QueryAsync(new Query { Pk = $"B#{w}" })).Items.Select(i => i.Sk).ToList();
            Assert.Equal(Enumerable.Range(0, copied.Count).Select(i => $"{i:D2}"), copied);
            Assert.Equal(50, (await _store.QueryAsync(new Query { Pk = $"B#{w}" })).Items.Count);
        }
    }

    [Fact]
    public async Task ANewFileHasLargePagesAndABackupWithSmallPagesStillRestores()
    {
        Assert.Equal(SqliteItemStore.PageSize, PageSizeOf(_path));
        await _store.PutAsync(NewItem("OLD", "kept", new string('x', 3000)));
        var backup = Path.Combine(_folder, "small-pages.db");
        await _store.BackupAsync(backup);
        // As a store made before the page size changed wrote it: SQLite's default 4 KB pages.
        using (var rewrite = new SqliteConnection($"Data Source={backup};Pooling=False"))
        {
            rewrite.Open();
            using var command = rewrite.CreateCommand();
            command.CommandText = "PRAGMA page_size = 4096; VACUUM;";
            command.ExecuteNonQuery();
        }
        Assert.Equal(4096, PageSizeOf(backup));

        using var restored = new SqliteItemStore(Path.Combine(_folder, "restored.db"), TimeProvider.System);
        await restored.PutAsync(NewItem("NEW", "dropped"));
        await restored.RestoreAsync(backup);

        Assert.Equal(new string('x', 3000), Text((await restored.GetAsync(new ItemKey("OLD", "kept")))!));
        Assert.Null(await restored.GetAsync(new ItemKey("NEW", "dropped")));
        Assert.True(await restored.PutAsync(NewItem("NEW", "after")));
        Assert.Equal(SqliteItemStore.PageSize, PageSizeOf(Path.Combine(_folder, "restored.db")));
        Assert.Equal(4096, PageSizeOf(backup));
        Assert.False(File.Exists(Path.Combine(_folder, "restored.db.restoring")));
    }

    private static long PageSizeOf(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// Holds the write lock from a second connection and queues a bulk write behind it, which the
    /// loop runs alone: once it has been taken, every write queued waits for the next group.
    /// Disposing releases the lock.
    /// </summary>
    private async Task<IAsyncDisposable> StallAsync()
    {
        var held = HoldWriteLock();
        var bulk = _store.BulkPutAsync([NewItem("STALL", "STALL")]);
        await WaitUntilQueuedAsync(0);
        return new Stall(held, bulk);
    }

    private sealed class Stall(WriteLock held, Task bulk) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            held.Dispose();
            await bulk;
        }
    }

    private WriteLock HoldWriteLock()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        connection.Open();
        return new WriteLock(connection, connection.BeginTransaction());
    }

    /// <summary>BEGIN IMMEDIATE on a connection of its own; disposing rolls back and closes.</summary>
    private sealed class WriteLock(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
    {
        public void Dispose()
        {
            transaction.Rollback();
            connection.Dispose();
        }
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task WaitUntilQueuedAsync(int count)
    {
        for (var waited = Stopwatch.StartNew(); _store.QueuedWrites != count; await Task.Delay(5))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"{_store.QueuedWrites} writes queued, not {count}");
        }
    }
}
