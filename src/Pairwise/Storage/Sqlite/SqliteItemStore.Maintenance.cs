using Microsoft.Data.Sqlite;

namespace Pairwise.Storage;

/// <summary>
/// Bulk loading, online backup and restore: what operators do to the whole file. Each runs on the
/// writer loop alone, between two groups of writes.
/// </summary>
public sealed partial class SqliteItemStore
{
    public int MaxBulkBatch => 5000;

    /// <summary>
    /// For bulk loads (seeding): commits stop waiting for the disk until the scope ends — still
    /// atomic and consistent (WAL), but a crash may lose the latest batches, which a re-run writes
    /// again. The server never uses it.
    /// </summary>
    public IDisposable BulkLoad()
    {
        ExecuteAlone("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144;");
        return new Scope(() => ExecuteAlone("PRAGMA synchronous = FULL; PRAGMA cache_size = -2000; PRAGMA wal_checkpoint(FULL);"));
    }

    private void ExecuteAlone(string sql) =>
        EnqueueAsync(_ =>
        {
            Execute(_writer, sql);
            return (true, true);
        }, alone: true, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Writes many new items in one transaction, without conditions — for bulk loads only (the
    /// seeder), where the 100-item transactions of the contract would rewrite the same index pages
    /// thousands of times.
    /// </summary>
    public async Task BulkPutAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken = default)
    {
        foreach (var item in items)
        {
            StoreRules.ValidateItem(item);
        }
        await EnqueueAsync(_ =>
        {
            using var transaction = _writer.BeginTransaction();
            _transaction = transaction;
            foreach (var item in items)
            {
                ApplyPut(item);
            }
            transaction.Commit();
            return (true, true);
        }, alone: true, cancellationToken);
    }

    private sealed class Scope(Action end) : IDisposable
    {
        public void Dispose() => end();
    }

    /// <summary>
    /// An online backup (SQLite's backup API) to <paramref name="file"/>: a consistent snapshot of
    /// one instant, taken while writers go on (they wait only while the pages are copied).
    /// </summary>
    public async Task BackupAsync(string file, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(file);
        var temporary = full + ".partial";
        File.Delete(temporary);
        using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ToString()))
        {
            destination.Open();
            await EnqueueAsync(_ =>
            {
                _writer.BackupDatabase(destination);
                return (true, true);
            }, alone: true, cancellationToken);
            // One self-contained file: no WAL beside it.
            Execute(destination, "PRAGMA journal_mode = DELETE;");
        }
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>
    /// Replaces every item with those of a backup file, after checking it is a healthy Pairwise
    /// store. A backup with another page size than this store's (one taken before the page size
    /// changed, or from a store that kept its old one) is first rewritten to this store's page
    /// size (<c>VACUUM INTO</c> a temporary file beside the store): SQLite's backup copies pages as
    /// they are, and a file in WAL mode keeps its page size.
    /// </summary>
    public async Task RestoreAsync(string file, CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(file);
        var rewritten = DatabasePath + ".restoring";
        var rewrite = false;
        try
        {
            using (var check = Open(path, SqliteOpenMode.ReadOnly))
            {
                Validate(check, file);
                if (Scalar(check, "PRAGMA page_size") != _pageSize)
                {
                    rewrite = true;
                    File.Delete(rewritten);
                    using var vacuum = check.CreateCommand();
                    vacuum.CommandText = $"PRAGMA page_size = {_pageSize}; VACUUM INTO $file;";
                    vacuum.Parameters.AddWithValue("$file", rewritten);
                    vacuum.ExecuteNonQuery();
                }
            }
            using var source = Open(rewrite ? rewritten : path, SqliteOpenMode.ReadOnly);
            await ReplaceAllWithAsync(source, cancellationToken);
        }
        finally
        {
            if (rewrite)
            {
                File.Delete(rewritten);
            }
        }
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Validate(SqliteConnection source, string file)
    {
        if (Scalar(source, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'items'") != 1)
        {
            throw new InvalidDataException($"{file} is not a Pairwise backup (it has no items table).");
        }
        using var check = source.CreateCommand();
        check.CommandText = "PRAGMA quick_check";
        if (check.ExecuteScalar() as string != "ok")
        {
            throw new InvalidDataException($"{file} is damaged (quick_check failed).");
        }
    }

    /// <summary>Copies every page of <paramref name="source"/> over this store's file, alone in the writer loop.</summary>
    private Task<bool> ReplaceAllWithAsync(SqliteConnection source, CancellationToken cancellationToken) =>
        EnqueueAsync(_ =>
        {
            // The destination must have no statements of its own in flight.
            _put?.Dispose();
            _read?.Dispose();
            (_put, _read) = (null, null);
            source.BackupDatabase(_writer);
            return (true, true);
        }, alone: true, cancellationToken);
}
