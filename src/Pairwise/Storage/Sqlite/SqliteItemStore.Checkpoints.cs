using Microsoft.Data.Sqlite;

namespace Pairwise.Storage;

/// <summary>
/// Checkpoints mostly off the writer. By default SQLite checkpoints inside the commit that grows
/// the WAL past 1,000 pages: that commit copies the pages into the database file and waits for its
/// fsync, and every write queued behind it waits too (a message send's p99 was those stalls). Here a
/// loop on a connection of its own checkpoints every half second in PASSIVE mode, which blocks
/// neither the writer nor readers; when writes pause, the WAL starts over. Under writes that never
/// pause the WAL cannot start over from that loop (new frames keep arriving while it copies), so the
/// writer still checkpoints, at <see cref="WriterCheckpointBytes"/>: by then the loop has copied
/// nearly all of it, and the writer's checkpoint copies the rest and lets the WAL start over.
/// </summary>
public sealed partial class SqliteItemStore
{
    /// <summary>How often the WAL is copied into the database file.</summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The WAL's length at which the writer checkpoints itself (SQLite's default is 1,000 pages: 4 MB of 4 KB pages).</summary>
    public const long WriterCheckpointBytes = 16 * 1024 * 1024;

    private readonly CancellationTokenSource _stopCheckpoints = new();
    private Task _checkpoints = Task.CompletedTask;
    private long _checkpointed;

    /// <summary>Checkpoints the background loop has completed since the store opened.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpointed);

    private void StartCheckpoints()
    {
        Execute(_writer, $"PRAGMA wal_autocheckpoint = {WriterCheckpointBytes / _pageSize};");
        _checkpoints = Task.Run(() => CheckpointLoopAsync(_stopCheckpoints.Token));
    }

    private async Task CheckpointLoopAsync(CancellationToken stop)
    {
        using var connection = new SqliteConnection(_readerConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(CheckpointInterval, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            try
            {
                command.ExecuteNonQuery();
                Interlocked.Increment(ref _checkpointed);
            }
            catch (SqliteException)
            {
                // Busy (another process checkpoints, or a restore runs): the next round tries again.
            }
        }
    }

    /// <summary>Stops the loop; the last connection to close checkpoints the rest.</summary>
    private void StopCheckpoints()
    {
        _stopCheckpoints.Cancel();
        _checkpoints.Wait();
        _stopCheckpoints.Dispose();
    }
}
