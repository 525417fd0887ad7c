using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Pairwise.Storage;

/// <summary>
/// Reader connections kept open, each with the statements it has prepared and its page cache.
/// SQLite parses and plans a statement once per connection; a feed page's point reads then cost a
/// bind and a step each, mostly from the connection's cache.
/// (Mapping the file into memory was measured slower: the file grows with every commit, and each
/// reader then maps it again, page faults included.)
/// </summary>
public sealed partial class SqliteItemStore
{
    /// <summary>Idle reader connections kept; more are opened under load and closed when returned.</summary>
    private static readonly int MaxIdleReaders = Math.Max(8, Environment.ProcessorCount * 4);

    /// <summary>
    /// Each reader's page cache, filled as pages are read (SQLite's default is 2 MB, 125 pages of
    /// 16 KB: less than the B-trees' inner pages of a 100,000-card store, so a point read went to
    /// the file for several). At 16 MB a feed page's reads come from the cache: 0.16 reads from the
    /// file per page instead of 17. At most <see cref="MaxIdleReaders"/> × 16 MB (docs/capacity.md).
    /// </summary>
    private const int ReaderCacheKiB = 16 * 1024;

    private readonly ConcurrentBag<Reader> _readers = [];

    private Reader RentReader()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (_readers.TryTake(out var reader))
        {
            return reader;
        }
        var connection = new SqliteConnection(_readerConnectionString);
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = $"PRAGMA cache_size = -{ReaderCacheKiB};";
            setup.ExecuteNonQuery();
        }
        return new Reader(this, connection);
    }

    private void Return(Reader reader)
    {
        if (Volatile.Read(ref _disposed) == 0 && _readers.Count < MaxIdleReaders)
        {
            _readers.Add(reader);
            return;
        }
        reader.Close();
    }

    private void CloseReaders()
    {
        while (_readers.TryTake(out var reader))
        {
            reader.Close();
        }
    }

    /// <summary>A rented reader connection: dispose it to give it back.</summary>
    private sealed class Reader(SqliteItemStore store, SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        /// <summary>The connection's prepared command for <paramref name="sql"/>, without parameters.</summary>
        public SqliteCommand Command(string sql)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                _commands[sql] = command;
            }
            command.Parameters.Clear();
            return command;
        }

        public void Dispose() => store.Return(this);

        public void Close()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }
            _commands.Clear();
            connection.Dispose();
        }
    }
}
