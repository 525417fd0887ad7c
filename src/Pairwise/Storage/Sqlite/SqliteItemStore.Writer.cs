using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Pairwise.Platform;

namespace Pairwise.Storage;

/// <summary>
/// The writer loop: the only code that uses the writer connection. It takes every write waiting in
/// the queue and commits them together, each in its own savepoint; work on the whole file
/// (bulk loads, backups, restores) runs alone between two groups.
/// </summary>
public sealed partial class SqliteItemStore
{
    /// <summary>The most writes one commit holds.</summary>
    public const int MaxGroup = 256;

    private const string Savepoint = "write";

    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ManualResetEventSlim _work = new(false, spinCount: 0);
    private readonly Task _loop;
    private long _commits;
    private long _committedWrites;
    private int _queued;
    private int _disposed;

    /// <summary>
    /// Commits made by the writer loop and the writes they answered (kept or refused by their
    /// condition), since the store opened; writes per commit is the mean group size.
    /// </summary>
    public GroupCommitCounts GroupCommits => new(Interlocked.Read(ref _commits), Interlocked.Read(ref _committedWrites));

    /// <summary>Requests waiting in the queue for the writer loop (not yet taken into a group).</summary>
    public int QueuedWrites => Volatile.Read(ref _queued);

    /// <summary>
    /// Queues work for the writer loop and waits for its outcome. <paramref name="apply"/> returns
    /// the caller's answer and whether its writes are kept (false rolls back to its savepoint).
    /// Alone, it runs outside any group: by itself, with no transaction open.
    /// </summary>
    private async Task<T> EnqueueAsync<T>(Func<long, (T Outcome, bool Keep)> apply, bool alone, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var request = new Request<T>(apply, alone);
        using (cancellationToken.UnsafeRegister(static (state, token) => ((Request)state!).Cancel(token), request))
        {
            Interlocked.Increment(ref _queued);
            var accepted = _queue.Writer.TryWrite(request);
            if (accepted)
            {
                _work.Set();
            }
            else
            {
                Interlocked.Decrement(ref _queued);
            }
            ObjectDisposedException.ThrowIf(!accepted, this);
            return await request.Task;
        }
    }

    private void RunWriter()
    {
        var reader = _queue.Reader;
        var group = new List<Request>(MaxGroup);
        while (WaitForWork(reader))
        {
            Request? alone = null;
            while (group.Count < MaxGroup && reader.TryRead(out var request))
            {
                Interlocked.Decrement(ref _queued);
                if (!request.TryTake())
                {
                    continue; // cancelled while queued: not written
                }
                if (request.Alone)
                {
                    alone = request;
                    break;
                }
                group.Add(request);
            }
            if (group.Count > 0)
            {
                CommitGroup(group);
                group.Clear();
            }
            if (alone is not null)
            {
                RunAlone(alone);
            }
        }
    }

    /// <summary>
    /// The loop has its own thread: it sleeps there while the queue is empty, without spinning
    /// first (a spinning writer takes a core from the requests on a small machine). False once
    /// the queue is closed and empty.
    /// </summary>
    private bool WaitForWork(ChannelReader<Request> reader)
    {
        while (!reader.TryPeek(out _))
        {
            if (reader.Completion.IsCompleted)
            {
                return false;
            }
            _work.Reset();
            // A write queued between the peek and the reset set the event before it was reset: look again.
            if (!reader.TryPeek(out _) && !reader.Completion.IsCompleted)
            {
                _work.Wait();
            }
        }
        return true;
    }

    /// <summary>
    /// One transaction for the whole group, each request in its own savepoint. A request whose
    /// error made SQLite roll back the whole transaction (a full disk, an I/O error) fails alone,
    /// and the rest of the group is tried again without it.
    /// </summary>
    private void CommitGroup(List<Request> group)
    {
        while (TryCommit(group))
        {
            group.RemoveAll(request => request.Answered);
        }
    }

    /// <summary>
    /// True when a request lost the transaction (it is answered; the others are to be tried again);
    /// false when every request is answered: after the commit, or with the exception that kept the
    /// group from committing.
    /// </summary>
    private bool TryCommit(List<Request> group)
    {
        if (group.Count == 0)
        {
            return false;
        }
        SqliteTransaction? transaction = null;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            transaction = _writer.BeginTransaction();
            _transaction = transaction;
            var now = Now();
            for (var i = 0; i < group.Count; i++)
            {
                transaction.Save(Savepoint);
                try
                {
                    if (!group[i].Apply(now))
                    {
                        transaction.Rollback(Savepoint);
                    }
                }
                catch (Exception e)
                {
                    // This request fails (a constraint, a bad value); what it wrote is undone, the others go on.
                    group[i].Fail(e);
                    if (!InTransaction())
                    {
                        Abandon(transaction);
                        return true;
                    }
                    transaction.Rollback(Savepoint);
                }
                transaction.Release(Savepoint);
            }
            transaction.Commit();
        }
        catch (Exception e)
        {
            // Nothing of the group is on disk: every request not yet answered gets the exception.
            Abandon(transaction);
            foreach (var request in group)
            {
                request.Fail(e);
            }
            return false;
        }
        finally
        {
            _transaction = null;
        }
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _committedWrites, group.Count);
        Telemetry.StoreCommitSize.Record(group.Count);
        Telemetry.StoreCommitDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        foreach (var request in group)
        {
            request.Succeed();
        }
        return false;
    }

    private void RunAlone(Request request)
    {
        try
        {
            request.Apply(Now());
            request.Succeed();
        }
        catch (Exception e)
        {
            request.Fail(e);
        }
        finally
        {
            _transaction = null;
        }
    }

    /// <summary>Whether the writer is inside a transaction (some errors make SQLite roll back the whole of it).</summary>
    private bool InTransaction() => SQLitePCL.raw.sqlite3_get_autocommit(_writer.Handle) == 0;

    private static void Abandon(SqliteTransaction? transaction)
    {
        try
        {
            transaction?.Dispose();
        }
        catch (SqliteException)
        {
            // SQLite had already rolled it back; the connection has no transaction either way now.
        }
    }

    /// <summary>A write waiting for the loop: queued, then taken by the loop or cancelled by its caller, never both.</summary>
    private abstract class Request(bool alone)
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Cancelled = 2;
        private int _state;

        public bool Alone { get; } = alone;

        /// <summary>Whether the caller has its answer (a failure can come before the group commits).</summary>
        public abstract bool Answered { get; }

        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        public void Cancel(CancellationToken token)
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
            {
                Canceled(token);
            }
        }

        /// <summary>Runs the work on the writer connection; false when its writes are not to be kept.</summary>
        public abstract bool Apply(long now);

        /// <summary>Answers the caller with the outcome of <see cref="Apply"/> (once its commit has returned).</summary>
        public abstract void Succeed();

        public abstract void Fail(Exception exception);

        protected abstract void Canceled(CancellationToken token);
    }

    private sealed class Request<T>(Func<long, (T Outcome, bool Keep)> apply, bool alone) : Request(alone)
    {
        private readonly TaskCompletionSource<T> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _outcome = default!;

        public Task<T> Task => _answer.Task;

        public override bool Answered => _answer.Task.IsCompleted;

        public override bool Apply(long now)
        {
            (_outcome, var keep) = apply(now);
            return keep;
        }

        public override void Succeed() => _answer.TrySetResult(_outcome);

        public override void Fail(Exception exception) => _answer.TrySetException(exception);

        protected override void Canceled(CancellationToken token) => _answer.TrySetCanceled(token);
    }
}

/// <summary>Commits made by a store's writer loop and the writes they answered.</summary>
public readonly record struct GroupCommitCounts(long Commits, long Writes);
