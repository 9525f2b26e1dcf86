using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// Runs store operations as SQLite transactions on one file: writes as <c>BEGIN IMMEDIATE</c> (the
/// database's single write lock, taken before the first read so that a decision is never made on
/// stale data), reads as deferred transactions over a WAL snapshot. Retries busy/locked with a bound.
/// </summary>
/// <remarks>
/// Thread-safe. Writers of one process to one file wait in an async queue before asking SQLite for its
/// lock, so that they do not poll SQLite's busy handler against each other (it sleeps up to 100 ms
/// between tries). The queue orders; the database lock decides: another process, or a connection
/// opened elsewhere, is excluded by <c>BEGIN IMMEDIATE</c> alone.
/// </remarks>
internal sealed class SqliteDatabase
{
    public const int Busy = 5;
    public const int Locked = 6;

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriterQueues = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly int _maxAttempts;
    private readonly SemaphoreSlim _writerQueue;

    public SqliteDatabase(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Path = System.IO.Path.GetFullPath(options.Path);
        _maxAttempts = options.MaxAttempts;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
        // FULL: in WAL mode every commit syncs the log, so an acknowledged allocation or lease survives a
        // power loss, not only a process crash (NORMAL would keep the last commits only in the OS cache).
        _pragmas = $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = FULL;";
        _writerQueue = WriterQueues.GetOrAdd(Path, _ => new SemaphoreSlim(1, 1));
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction; it commits only if <paramref name="work"/> returns.</summary>
    public async ValueTask<T> WriteAsync<T>(string operation, Func<SqlSession, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _writerQueue.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(operation, immediate: true, work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writerQueue.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> in one read transaction (a consistent snapshot).</summary>
    public ValueTask<T> ReadAsync<T>(string operation, Func<SqlSession, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return RunAsync(operation, immediate: false, work, cancellationToken);
    }

    /// <summary>Runs a statement outside any transaction (journal mode cannot change inside one), retrying busy.</summary>
    public async ValueTask<string?> PragmaAsync(string operation, string sql, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = Open();
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                return command.ExecuteScalar()?.ToString();
            }
            catch (SqliteException e) when (IsTransient(e) && attempt < _maxAttempts)
            {
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                throw new SqliteStoreException(Path, operation, attempt, e);
            }
        }
    }

    public static bool IsTransient(SqliteException e) => (e.SqliteErrorCode & 0xff) is Busy or Locked;

    private async ValueTask<T> RunAsync<T>(string operation, bool immediate, Func<SqlSession, T> work, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = Open();
                // Disposing an uncommitted transaction rolls it back: an exception leaves nothing behind.
                using var transaction = connection.BeginTransaction(deferred: !immediate);
                using var session = new SqlSession(connection, transaction);
                var result = work(session);
                transaction.Commit();
                return result;
            }
            catch (SqliteException e) when (IsTransient(e) && attempt < _maxAttempts)
            {
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                throw new SqliteStoreException(Path, operation, attempt, e);
            }
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt);
}
