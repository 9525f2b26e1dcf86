using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// Runs store operations as SQLite transactions on one file, over a few long-lived connections (pragmas set
/// once per connection, statements prepared once). Writes are group-committed: every write queued while a
/// transaction runs goes into the next <c>BEGIN IMMEDIATE</c> transaction (the database's single write lock,
/// taken before the first read so that a decision is never made on stale data), each in its own savepoint,
/// and each caller completes only after that transaction has committed. Reads are deferred transactions over
/// a WAL snapshot. Retries busy/locked with a bound.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. The stores of one process on one file with the same options share one instance
/// (<see cref="Acquire"/>), so lease saves and address allocations share commits and disk syncs.
/// Within a batch the writes run one after the other, each seeing the previous ones, exactly as serial
/// transactions would; a write that throws is rolled back to its savepoint and fails alone. A database
/// error inside a batch rolls the batch back and runs its writes again one transaction each, so that only
/// the failing write reports it. Another process, or a connection opened elsewhere, is excluded by
/// <c>BEGIN IMMEDIATE</c> alone.
/// </para>
/// <para>
/// Each operation is one span in its caller's trace (attempts, an event per retry, the size of the group
/// commit it was part of), timed on the Meter; retries and failures are logged (<see cref="SqliteDiagnostics"/>).
/// </para>
/// <para>
/// A write cancelled while queued is not run; once its batch has started it runs, and its caller waits for
/// the commit (as a single transaction would).
/// </para>
/// </remarks>
internal sealed class SqliteDatabase
{
    public const int Busy = 5;
    public const int Locked = 6;

    private const int MaxBatch = 256;
    private const int MaxIdleConnections = 8;

    private static readonly Dictionary<string, SqliteDatabase> Shared = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriterGates = new(StringComparer.Ordinal);
    private static long s_transactions;

    private readonly string _key;
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly int _maxAttempts;
    private readonly SemaphoreSlim _writerGate;
    private readonly ConcurrentBag<SqlSession> _idle = [];
    private readonly ConcurrentQueue<PendingWrite> _writes = new();
    private int _references;
    private int _draining;
    private volatile bool _disposed;
    private volatile SqliteDiagnostics _diagnostics = SqliteDiagnostics.Default;

    private SqliteDatabase(SqliteStoreOptions options, string key)
    {
        _key = key;
        Path = System.IO.Path.GetFullPath(options.Path);
        _maxAttempts = options.MaxAttempts;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // the instance keeps its own connections, with their prepared statements
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
        // FULL: in WAL mode every commit syncs the log, so an acknowledged allocation or lease survives a
        // power loss, not only a process crash (NORMAL would keep the last commits only in the OS cache).
        _pragmas = $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = FULL;";
        // Instances with different options on one file still queue their writers in the process, so that
        // they do not poll SQLite's busy handler against each other (it sleeps up to 100 ms between tries).
        _writerGate = WriterGates.GetOrAdd(Path, _ => new SemaphoreSlim(1, 1));
    }

    public string Path { get; }

    /// <summary>The instance for these options, shared with the other stores of the process using the same; give it back with <see cref="Release"/>.</summary>
    public static SqliteDatabase Acquire(SqliteStoreOptions options, SqliteDiagnostics? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string key = string.Join('|', System.IO.Path.GetFullPath(options.Path), options.BusyTimeout.Ticks, options.MaxAttempts);
        lock (Shared)
        {
            if (!Shared.TryGetValue(key, out var database))
            {
                database = new SqliteDatabase(options, key);
                Shared.Add(key, database);
            }

            database._references++;
            if (diagnostics is { IsDefault: false } && database._diagnostics.IsDefault)
            {
                database._diagnostics = diagnostics;
            }

            return database;
        }
    }

    /// <summary>Gives back a reference; the last one closes the connections. Queued writes still complete.</summary>
    public void Release()
    {
        lock (Shared)
        {
            if (--_references > 0)
            {
                return;
            }

            Shared.Remove(_key);
            _disposed = true;
        }

        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction, possibly with other writes; completes after the commit.</summary>
    public async ValueTask<T> WriteAsync<T>(string operation, Func<SqlSession, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var activity = SqliteDiagnostics.Start(operation, "write");
        long started = Stopwatch.GetTimestamp();
        var pending = new PendingWrite<T>(operation, work) { Activity = activity };
        using var registration = cancellationToken.Register(static (state, token) => ((PendingWrite)state!).TryCancel(token), pending);
        _writes.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        try
        {
            var result = await pending.Result.ConfigureAwait(false);
            _diagnostics.Completed(activity, operation, "write", pending.Attempts, started);
            activity?.SetTag("cloudtemple.sqlite.commit.writes", pending.BatchWrites);
            return result;
        }
        catch (Exception e) when (_diagnostics.Failed(activity, operation, "write", pending.Attempts, started, e))
        {
            throw; // never reached: the filter records the failure and lets it pass untouched
        }
    }

    /// <summary>Runs <paramref name="work"/> in one read transaction (a consistent snapshot).</summary>
    /// <param name="operation">The operation's name, for errors.</param>
    /// <param name="work">The reads.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <param name="snapshot">False when <paramref name="work"/> runs a single statement, which SQLite runs on a snapshot of its own.</param>
    public async ValueTask<T> ReadAsync<T>(string operation, Func<SqlSession, T> work, CancellationToken cancellationToken, bool snapshot = true)
    {
        using var activity = SqliteDiagnostics.Start(operation, "read");
        long started = Stopwatch.GetTimestamp();
        int attempt = 1;
        try
        {
            for (; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                SqlSession? session = null;
                try
                {
                    // Inside the try: a file that cannot be opened is a SqliteStoreException naming it, like any other failure.
                    session = Rent();
                    if (snapshot)
                    {
                        session.Run("BEGIN;");
                    }

                    var result = work(session);
                    if (snapshot)
                    {
                        session.Run("COMMIT;");
                    }

                    Return(session);
                    _diagnostics.Completed(activity, operation, "read", attempt, started);
                    return result;
                }
                catch (Exception e)
                {
                    ReturnAfterFailure(session);
                    if (e is not SqliteException sqlite)
                    {
                        throw;
                    }

                    if (!IsTransient(sqlite) || attempt >= _maxAttempts)
                    {
                        throw new SqliteStoreException(Path, operation, attempt, sqlite);
                    }

                    var delay = Backoff(attempt);
                    _diagnostics.Retrying(Path, "read", attempt, _maxAttempts, delay, sqlite, writes: 0);
                    SqliteDiagnostics.RetryEvent(activity, attempt, sqlite, delay);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (_diagnostics.Failed(activity, operation, "read", attempt, started, e))
        {
            throw; // never reached: the filter records the failure and lets it pass untouched
        }
    }

    /// <summary>Runs a statement outside any transaction (journal mode cannot change inside one), retrying busy.</summary>
    public async ValueTask<string?> PragmaAsync(string operation, string sql, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            SqlSession? session = null;
            try
            {
                session = Rent();
                string? result = session.Scalar(sql);
                Return(session);
                return result;
            }
            catch (SqliteException e)
            {
                ReturnAfterFailure(session);
                if (!IsTransient(e) || attempt >= _maxAttempts)
                {
                    var failure = new SqliteStoreException(Path, operation, attempt, e);
                    _diagnostics.Failed(null, operation, "pragma", attempt, Stopwatch.GetTimestamp(), failure);
                    throw failure;
                }

                var delay = Backoff(attempt);
                _diagnostics.Retrying(Path, "pragma", attempt, _maxAttempts, delay, e, writes: 0);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public static bool IsTransient(SqliteException e) => (e.SqliteErrorCode & 0xff) is Busy or Locked;

    private SqlSession Rent()
    {
        if (_idle.TryTake(out var session))
        {
            return session;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
            return new SqlSession(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Return(SqlSession session)
    {
        if (_disposed || _idle.Count >= MaxIdleConnections)
        {
            session.Dispose();
            return;
        }

        _idle.Add(session);
        if (_disposed && _idle.TryTake(out var late))
        {
            late.Dispose();
        }
    }

    private void ReturnAfterFailure(SqlSession? session)
    {
        if (session is null)
        {
            return;
        }

        if (session.TryRollback())
        {
            Return(session);
        }
        else
        {
            session.Dispose();
        }
    }

    // The single writer of the instance: whatever queued while the previous transaction ran goes into the next.
    private async Task DrainAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _writes.TryDequeue(out var pending))
            {
                if (pending.TryStart())
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref _draining, 0);
                // A write queued after the last look but before the flag dropped would otherwise wait for the next one.
                if (_writes.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            await CommitAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        for (int attempt = 1; ; attempt++)
        {
            SqliteException failure;
            await _writerGate.WaitAsync().ConfigureAwait(false);
            SqlSession? session = null;
            try
            {
                session = Rent();
                RunBatch(session, batch);
                Return(session);
                _diagnostics.Committed(batch.Count);
                foreach (var pending in batch)
                {
                    pending.Attempts = attempt;
                    pending.BatchWrites = batch.Count;
                    pending.Complete();
                }

                return;
            }
            catch (SqliteException e)
            {
                ReturnAfterFailure(session);
                failure = e;
            }
            catch (Exception e)
            {
                // Not a database error outside the writes (they catch their own): nothing can be committed.
                ReturnAfterFailure(session);
                batch.ForEach(p => p.Fail(e));
                return;
            }
            finally
            {
                _writerGate.Release();
            }

            if (IsTransient(failure) && attempt < _maxAttempts)
            {
                var delay = Backoff(attempt);
                _diagnostics.Retrying(Path, "write", attempt, _maxAttempts, delay, failure, batch.Count);
                foreach (var pending in batch)
                {
                    SqliteDiagnostics.RetryEvent(pending.Activity, attempt, failure, delay);
                }

                await Task.Delay(delay).ConfigureAwait(false);
                continue;
            }

            if (!IsTransient(failure) && batch.Count > 1)
            {
                // Find the culprit: each write on its own, so that the others still succeed.
                foreach (var pending in batch)
                {
                    await CommitAsync([pending]).ConfigureAwait(false);
                }

                return;
            }

            foreach (var pending in batch)
            {
                pending.Attempts = attempt;
                pending.Fail(new SqliteStoreException(Path, pending.Operation, attempt, failure));
            }

            return;
        }
    }

    private static void RunBatch(SqlSession session, List<PendingWrite> batch)
    {
        session.Run("BEGIN IMMEDIATE;");
        session.Transaction = Interlocked.Increment(ref s_transactions);
        foreach (var pending in batch)
        {
            if (batch.Count == 1)
            {
                // Alone: no savepoint needed, a write that threw rolls the transaction back.
                if (!pending.Run(session))
                {
                    session.Run("ROLLBACK;");
                    session.Transaction = 0;
                    return;
                }

                continue;
            }

            session.Run("SAVEPOINT write;");
            if (pending.Run(session))
            {
                session.Run("RELEASE write;");
            }
            else
            {
                // The write threw: undo what it did, keep the others.
                session.Run("ROLLBACK TO write;");
                session.Run("RELEASE write;");
            }
        }

        session.Run("COMMIT;");
        session.Transaction = 0;
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt);

    /// <summary>A queued write: queued, then started by the writer (or cancelled), then completed after its commit.</summary>
    private abstract class PendingWrite(string operation)
    {
        private const int Queued = 0;
        private const int Started = 1;
        private const int Cancelled = 2;
        private int _state;

        public string Operation { get; } = operation;

        /// <summary>The caller's span, when someone listens.</summary>
        public Activity? Activity { get; init; }

        /// <summary>The attempt that committed (or failed) the write; written by the writer before completion.</summary>
        public int Attempts { get; set; } = 1;

        /// <summary>How many writes the committing transaction held.</summary>
        public int BatchWrites { get; set; } = 1;

        public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;

        public void TryCancel(CancellationToken token)
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
            {
                Cancel(token);
            }
        }

        /// <summary>Runs the work; false when it threw anything but a database error (kept for <see cref="Complete"/>), which rethrows.</summary>
        public abstract bool Run(SqlSession session);

        public abstract void Complete();

        public abstract void Fail(Exception error);

        protected abstract void Cancel(CancellationToken token);
    }

    private sealed class PendingWrite<T>(string operation, Func<SqlSession, T> work) : PendingWrite(operation)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Result => _completion.Task;

        public override bool Run(SqlSession session)
        {
            _error = null;
            try
            {
                _result = work(session);
                return true;
            }
            catch (Exception e) when (e is not SqliteException)
            {
                _error = e;
                return false;
            }
        }

        public override void Complete()
        {
            if (_error is null)
            {
                _completion.TrySetResult(_result!);
            }
            else
            {
                _completion.TrySetException(_error);
            }
        }

        public override void Fail(Exception error) => _completion.TrySetException(error);

        protected override void Cancel(CancellationToken token) => _completion.TrySetCanceled(token);
    }
}
