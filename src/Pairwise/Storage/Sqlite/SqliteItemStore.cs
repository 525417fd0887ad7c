using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

using Pairwise.Platform;

namespace Pairwise.Storage;

/// <summary>
/// The embedded engine: one SQLite file in WAL mode with synchronous=FULL, so a write is on disk
/// before it is acknowledged. Writes are queued to one writer loop, which alone uses the writer
/// connection (SQLite has a single writer anyway; queuing in-process is cheaper than busy-waiting
/// on the file lock). The loop takes every write waiting, up to <see cref="MaxGroup"/>, and
/// commits them together: one BEGIN IMMEDIATE transaction, one commit, one fsync (group commit).
/// Each write runs in its own savepoint, so a failed condition or error undoes that write only
/// and is answered to its caller only; every caller is answered after the commit that holds its
/// write. Conditions are checked and applied atomically even when another process shares the
/// file. Reads use kept reader connections with prepared statements and run concurrently with writes.
/// </summary>
public sealed partial class SqliteItemStore : IItemStore, IBulkLoadingStore, IBackupStore, IDisposable
{
    private const string Columns = "pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, data, version, counter, expires_at";
    private const string Live = "(expires_at IS NULL OR expires_at > $now)";

    // Sorts after every character our keys use; the upper bound of a begins_with range.
    private const string MaxChar = "\U0010FFFF";

    /// <summary>
    /// The page size of a new file (an existing one keeps its own). Items are stored in a WITHOUT
    /// ROWID table, whose pages keep a row inline only up to about a quarter of a page: at SQLite's
    /// default 4 KB, a listing or profile of a kilobyte spilled into an overflow page of its own,
    /// read with a system call on every point read and mostly empty on disk. At 16 KB rows up to
    /// ~4 KB stay inline: a 100,000-card market's file is 40 % smaller and its feed pages cheaper
    /// (docs/benchmarks.md).
    /// </summary>
    public const int PageSize = 16384;

    /// <summary>This file's page size: <see cref="PageSize"/>, or what an older file was made with.</summary>
    private readonly long _pageSize;

    private readonly string _connectionString;
    private readonly string _readerConnectionString;
    private readonly TimeProvider _time;
    private readonly SqliteConnection _writer;

    public SqliteItemStore(string path, TimeProvider time)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        // Readers are kept open by the store itself (SqliteItemStore.Readers.cs), with their statements.
        _readerConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
        _time = time;
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, $"""
            PRAGMA page_size = {PageSize};
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA busy_timeout = 30000;
            CREATE TABLE IF NOT EXISTS items (
                pk TEXT NOT NULL,
                sk TEXT NOT NULL,
                gsi1pk TEXT, gsi1sk TEXT,
                gsi2pk TEXT, gsi2sk TEXT,
                data BLOB NOT NULL,
                version INTEGER NOT NULL,
                counter INTEGER NOT NULL,
                expires_at INTEGER,
                PRIMARY KEY (pk, sk)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS items_gsi1 ON items (gsi1pk, gsi1sk, pk, sk) WHERE gsi1pk IS NOT NULL;
            CREATE INDEX IF NOT EXISTS items_gsi2 ON items (gsi2pk, gsi2sk, pk, sk) WHERE gsi2pk IS NOT NULL;
            CREATE INDEX IF NOT EXISTS items_expiry ON items (expires_at) WHERE expires_at IS NOT NULL;
            PRAGMA user_version = 1;
            """);
        _pageSize = Scalar(_writer, "PRAGMA page_size");
        StartCheckpoints();
        _loop = Task.Factory.StartNew(RunWriter, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public string DatabasePath => _writer.DataSource;

    public Task<Item?> GetAsync(ItemKey key, CancellationToken cancellationToken = default)
    {
        StoreRules.ValidateKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = RentReader();
        return Task.FromResult(ReadItem(connection, key, Now()));
    }

    public Task<IReadOnlyList<Item>> GetManyAsync(IReadOnlyCollection<ItemKey> keys, CancellationToken cancellationToken = default)
    {
        if (keys.Count > StoreRules.MaxBatchGetKeys)
        {
            throw new StoreRuleException($"At most {StoreRules.MaxBatchGetKeys} keys per batch.", nameof(keys));
        }
        foreach (var key in keys)
        {
            StoreRules.ValidateKey(key);
        }
        var found = new List<Item>(keys.Count);
        if (keys.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<Item>>(found);
        }
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = RentReader();
        var now = Now();
        foreach (var key in keys.Distinct())
        {
            if (ReadItem(connection, key, now) is { } item)
            {
                found.Add(item);
            }
        }
        return Task.FromResult<IReadOnlyList<Item>>(found);
    }

    public async Task<bool> PutAsync(Item item, Condition condition = default, CancellationToken cancellationToken = default)
    {
        StoreRules.ValidateItem(item);
        var result = await WriteAsync([new WriteOperation.Put(item, condition)], cancellationToken);
        return result.Committed;
    }

    public async Task<bool> DeleteAsync(ItemKey key, Condition condition = default, CancellationToken cancellationToken = default)
    {
        StoreRules.ValidateKey(key);
        var result = await WriteAsync([new WriteOperation.Delete(key, condition)], cancellationToken);
        return result.Committed;
    }

    public Task<long> AddAsync(ItemKey key, long delta, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        StoreRules.ValidateKey(key);
        return EnqueueAsync(now => (ApplyAdd(key, delta, expiresAt, now), true), alone: false, cancellationToken);
    }

    public Task<TransactionResult> TransactAsync(IReadOnlyList<WriteOperation> operations, CancellationToken cancellationToken = default)
    {
        StoreRules.ValidateTransaction(operations);
        return WriteAsync(operations, cancellationToken);
    }

    public Task<Page> QueryAsync(Query query, CancellationToken cancellationToken = default)
    {
        StoreRules.ValidateQuery(query);
        cancellationToken.ThrowIfCancellationRequested();
        var (pkColumn, skColumn) = query.Index switch
        {
            ItemIndex.Gsi1 => ("gsi1pk", "gsi1sk"),
            ItemIndex.Gsi2 => ("gsi2pk", "gsi2sk"),
            _ => ("pk", "sk"),
        };
        var onIndex = query.Index != ItemIndex.Table;
        var cursor = query.Cursor is null ? null : StoreCursor.Decode(query.Cursor, query.Index);

        using var connection = RentReader();
        var parameters = new List<SqliteParameter>(8) { new("$qpk", query.Pk), new("$now", Now()) };
        var sql = new StringBuilder($"SELECT {Columns} FROM items WHERE {pkColumn} = $qpk AND {Live}");

        var condition = query.SortKey;
        switch (condition.Operator)
        {
            case SortKeyOperator.Equal: sql.Append(CultureInfo.InvariantCulture, $" AND {skColumn} = $v"); break;
            case SortKeyOperator.BeginsWith:
                sql.Append(CultureInfo.InvariantCulture, $" AND {skColumn} >= $v AND {skColumn} < $upper AND substr({skColumn}, 1, $length) = $v");
                parameters.Add(new("$upper", condition.Value + MaxChar));
                parameters.Add(new("$length", condition.Value.Length));
                break;
            case SortKeyOperator.Between: sql.Append(CultureInfo.InvariantCulture, $" AND {skColumn} BETWEEN $v AND $upper"); parameters.Add(new("$upper", condition.UpperValue)); break;
            case SortKeyOperator.LessThan: sql.Append(CultureInfo.InvariantCulture, $" AND {skColumn} < $v"); break;
            case SortKeyOperator.LessOrEqual: sql.Append(CultureInfo.InvariantCulture, $" AND {skColumn} <= $v"); break;
            case SortKeyOperator.GreaterThan: sql.Append(CultureInfo.InvariantCulture, $" AND {skColumn} > $v"); break;
            case SortKeyOperator.GreaterOrEqual: sql.Append(CultureInfo.InvariantCulture, $" AND {skColumn} >= $v"); break;
            default: break;
        }
        if (condition.Operator != SortKeyOperator.Any)
        {
            parameters.Add(new("$v", condition.Value));
        }

        var after = query.Descending ? "<" : ">";
        if (cursor is not null)
        {
            sql.Append(onIndex ? $" AND ({skColumn}, pk, sk) {after} ($csk, $cpk, $csk2)" : $" AND sk {after} $csk");
            parameters.Add(new("$csk", cursor.SortKey));
            if (onIndex)
            {
                parameters.Add(new("$cpk", cursor.Pk));
                parameters.Add(new("$csk2", cursor.Sk));
            }
        }
        var direction = query.Descending ? "DESC" : "ASC";
        sql.Append(onIndex ? $" ORDER BY {skColumn} {direction}, pk {direction}, sk {direction}" : $" ORDER BY sk {direction}");
        sql.Append(" LIMIT $limit");
        parameters.Add(new("$limit", query.Limit + 1));
        var command = connection.Command(sql.ToString());
        command.Parameters.AddRange(parameters);

        var items = new List<Item>(Math.Min(query.Limit, 64));
        var bytes = 0;
        var more = false;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var item = ToItem(reader);
                var size = StoreRules.SizeOf(item);
                if (items.Count == query.Limit || (items.Count > 0 && bytes + size > StoreRules.MaxPageBytes))
                {
                    more = true;
                    break;
                }
                bytes += size;
                items.Add(item);
            }
        }
        string? next = null;
        if (more)
        {
            var last = items[^1];
            next = (onIndex
                ? new StoreCursor(query.Index == ItemIndex.Gsi1 ? last.Gsi1Sk! : last.Gsi2Sk!, last.Pk, last.Sk)
                : new StoreCursor(last.Sk)).Encode();
        }
        return Task.FromResult(new Page(items, next));
    }

    public Task<int> PurgeExpiredAsync(int limit, CancellationToken cancellationToken = default) =>
        EnqueueAsync(now =>
        {
            using var command = _writer.CreateCommand();
            command.CommandText = """
                DELETE FROM items WHERE (pk, sk) IN (
                    SELECT pk, sk FROM items WHERE expires_at IS NOT NULL AND expires_at <= $now LIMIT $limit)
                """;
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$limit", limit);
            return (command.ExecuteNonQuery(), true);
        }, alone: false, cancellationToken);

    public override string ToString() => DatabasePath;

    /// <summary>Writes already queued are committed first; then the writer connection closes.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _queue.Writer.TryComplete();
        _work.Set();
        _loop.Wait();
        StopCheckpoints();
        _work.Dispose();
        CloseReaders();
        _put?.Dispose();
        _read?.Dispose();
        _writer.Dispose();
    }

    private Task<TransactionResult> WriteAsync(IReadOnlyList<WriteOperation> operations, CancellationToken cancellationToken) =>
        EnqueueAsync(now =>
        {
            var result = ApplyOperations(operations, now);
            return (result, result.Committed);
        }, alone: false, cancellationToken);

    /// <summary>Checks every condition, then applies every operation; inside the request's savepoint, on the writer loop.</summary>
    private TransactionResult ApplyOperations(IReadOnlyList<WriteOperation> operations, long now)
    {
        for (var i = 0; i < operations.Count; i++)
        {
            var condition = operations[i] switch
            {
                WriteOperation.Put put => put.Condition,
                WriteOperation.Delete delete => delete.Condition,
                WriteOperation.Check check => check.Condition,
                _ => Condition.None,
            };
            if (condition.Kind != ConditionKind.None && !condition.IsSatisfiedBy(ReadForWrite(operations[i].Key, now)))
            {
                return TransactionResult.FailedAt(i);
            }
        }
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case WriteOperation.Put put: ApplyPut(put.Item); break;
                case WriteOperation.Delete delete: ApplyDelete(delete.Key); break;
                case WriteOperation.Add add: ApplyAdd(add.Key, add.Delta, null, now); break;
                default: break;
            }
        }
        return TransactionResult.Success;
    }

    // The writer's statements are prepared once and reused (only the writer loop runs them).
    private SqliteCommand? _put;
    private SqliteCommand? _read;
    private SqliteTransaction? _transaction;

    private void ApplyPut(Item item)
    {
        if (_put is null)
        {
            _put = _writer.CreateCommand();
            _put.CommandText = $"INSERT OR REPLACE INTO items ({Columns}) VALUES ($pk, $sk, $g1p, $g1s, $g2p, $g2s, $data, $version, $counter, $expires)";
            foreach (var name in (string[])["$pk", "$sk", "$g1p", "$g1s", "$g2p", "$g2s", "$data", "$version", "$counter", "$expires"])
            {
                _put.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            _put.Prepare();
        }
        _put.Transaction = _transaction;
        var values = _put.Parameters;
        values[0].Value = item.Pk;
        values[1].Value = item.Sk;
        values[2].Value = (object?)item.Gsi1Pk ?? DBNull.Value;
        values[3].Value = (object?)item.Gsi1Sk ?? DBNull.Value;
        values[4].Value = (object?)item.Gsi2Pk ?? DBNull.Value;
        values[5].Value = (object?)item.Gsi2Sk ?? DBNull.Value;
        values[6].Value = item.Data;
        values[7].Value = item.Version;
        values[8].Value = item.Counter;
        values[9].Value = item.ExpiresAt is { } at ? at.ToUnixTimeMilliseconds() : DBNull.Value;
        _put.ExecuteNonQuery();
    }

    /// <summary>The current item at a key, read inside the write transaction (for conditions).</summary>
    private Item? ReadForWrite(ItemKey key, long now)
    {
        if (_read is null)
        {
            _read = _writer.CreateCommand();
            _read.CommandText = $"SELECT {Columns} FROM items WHERE pk = $pk AND sk = $sk AND {Live}";
            _read.Parameters.Add(new SqliteParameter { ParameterName = "$pk" });
            _read.Parameters.Add(new SqliteParameter { ParameterName = "$sk" });
            _read.Parameters.Add(new SqliteParameter { ParameterName = "$now" });
            _read.Prepare();
        }
        _read.Transaction = _transaction;
        _read.Parameters[0].Value = key.Pk;
        _read.Parameters[1].Value = key.Sk;
        _read.Parameters[2].Value = now;
        using var reader = _read.ExecuteReader();
        return reader.Read() ? ToItem(reader) : null;
    }

    private void ApplyDelete(ItemKey key)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = "DELETE FROM items WHERE pk = $pk AND sk = $sk";
        command.Parameters.AddWithValue("$pk", key.Pk);
        command.Parameters.AddWithValue("$sk", key.Sk);
        command.ExecuteNonQuery();
    }

    private long ApplyAdd(ItemKey key, long delta, DateTimeOffset? expiresAt, long now)
    {
        using var command = _writer.CreateCommand();
        // An expired item counts as absent: the counter starts again from the delta.
        command.CommandText = $"""
            INSERT INTO items ({Columns}) VALUES ($pk, $sk, NULL, NULL, NULL, NULL, x'', 0, $delta, $expires)
            ON CONFLICT (pk, sk) DO UPDATE SET
                counter = CASE WHEN {Live} THEN counter + $delta ELSE $delta END,
                gsi1pk = CASE WHEN {Live} THEN gsi1pk END, gsi1sk = CASE WHEN {Live} THEN gsi1sk END,
                gsi2pk = CASE WHEN {Live} THEN gsi2pk END, gsi2sk = CASE WHEN {Live} THEN gsi2sk END,
                data = CASE WHEN {Live} THEN data ELSE x'' END,
                version = CASE WHEN {Live} THEN version ELSE 0 END,
                expires_at = CASE WHEN {Live} THEN expires_at ELSE $expires END
            RETURNING counter
            """;
        command.Parameters.AddWithValue("$pk", key.Pk);
        command.Parameters.AddWithValue("$sk", key.Sk);
        command.Parameters.AddWithValue("$delta", delta);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$expires", expiresAt is { } at ? at.ToUnixTimeMilliseconds() : DBNull.Value);
        return (long)command.ExecuteScalar()!;
    }

}
