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

    /// <summary>Replaces every item with those of a backup file, after checking it is a healthy Pairwise store.</summary>
    public async Task RestoreAsync(string file, CancellationToken cancellationToken = default)
    {
        using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(file), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        source.Open();
        using (var check = source.CreateCommand())
        {
            check.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'items'";
            if (Convert.ToInt64(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 1)
            {
                throw new InvalidDataException($"{file} is not a Pairwise backup (it has no items table).");
            }
            check.CommandText = "PRAGMA quick_check";
            if (check.ExecuteScalar() as string != "ok")
            {
                throw new InvalidDataException($"{file} is damaged (quick_check failed).");
            }
        }
        await EnqueueAsync(_ =>
        {
            // The destination must have no statements of its own in flight.
            _put?.Dispose();
            _read?.Dispose();
            (_put, _read) = (null, null);
            source.BackupDatabase(_writer);
            return (true, true);
        }, alone: true, cancellationToken);
    }
}
