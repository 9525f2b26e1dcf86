using System.Data;
using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// Runs one store operation as one transaction, and re-runs the whole transaction on a transient
/// failure (connection lost, serialization failure, deadlock, a unique or exclusion conflict with a
/// concurrent writer), up to <see cref="PostgreSqlStoreOptions.MaxAttempts"/> times. Domain errors
/// (<see cref="NetworkingException"/>) thrown by the body roll back and pass through unchanged.
/// </summary>
/// <remarks>Thread-safe: each run takes its own pooled connection. Each run is one span (attempts, an event per retry), timed, and its retries and failure are logged.</remarks>
internal sealed class TransactionRunner(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options, SchemaMigrator migrator, PostgreSqlDiagnostics diagnostics)
{
    public TransactionRunner(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options, SchemaMigrator migrator)
        : this(dataSource, options, migrator, PostgreSqlDiagnostics.Default)
    {
    }

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public string Schema => options.Schema;

    /// <summary>Runs <paramref name="body"/> in a transaction; the body gets the attempt number (1 first) so that a re-run can look for its own committed work.</summary>
    public Task<T> RunAsync<T>(string operation, Func<NpgsqlConnection, int, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
        => RunCoreAsync(operation, explicitTransaction: true, body, cancellationToken);

    /// <summary>
    /// Runs <paramref name="body"/> without BEGIN/COMMIT round trips: for a body that sends exactly one
    /// statement, or one <see cref="NpgsqlBatch"/> (which PostgreSQL runs as one implicit transaction,
    /// all or nothing, committed before the reply). Same retries as <see cref="RunAsync{T}"/>.
    /// </summary>
    public Task<T> RunSingleAsync<T>(string operation, Func<NpgsqlConnection, int, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
        => RunCoreAsync(operation, explicitTransaction: false, body, cancellationToken);

    private async Task<T> RunCoreAsync<T>(string operation, bool explicitTransaction, Func<NpgsqlConnection, int, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        await migrator.EnsureAsync(this, cancellationToken).ConfigureAwait(false);
        using var activity = PostgreSqlDiagnostics.Start(operation);
        long started = Stopwatch.GetTimestamp();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    T result;
                    if (!explicitTransaction)
                    {
                        result = await body(connection, attempt, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
                        await using (transaction.ConfigureAwait(false))
                        {
                            result = await body(connection, attempt, cancellationToken).ConfigureAwait(false);
                            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        }
                    }

                    diagnostics.Completed(activity, operation, attempt, started);
                    return result;
                }
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested && attempt < options.MaxAttempts)
            {
                var delay = Backoff(attempt);
                diagnostics.Retrying(activity, operation, attempt, options.MaxAttempts, delay, e);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                diagnostics.Failed(activity, operation, attempt, started, e, storeFailure: true);
                throw new PostgreSqlStoreException(operation, attempt, transient: true, e);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidCastException && !cancellationToken.IsCancellationRequested)
            {
                diagnostics.Failed(activity, operation, attempt, started, e, storeFailure: true);
                throw new PostgreSqlStoreException(operation, attempt, transient: false, e);
            }
            catch (Exception e) when (Recorded(activity, operation, attempt, started, e))
            {
                throw; // never reached: the filter records a domain error or a cancellation and lets it pass untouched
            }
        }
    }

    private bool Recorded(Activity? activity, string operation, int attempt, long started, Exception error)
    {
        diagnostics.Failed(activity, operation, attempt, started, error, storeFailure: false);
        return false;
    }

    /// <summary>Whether re-running the whole transaction may succeed.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState switch
        {
            PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected => true,
            // A concurrent writer took the key first: the re-run sees its row and answers accordingly.
            PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ExclusionViolation => true,
            // The backend was terminated (pg_terminate_backend, a restart) or cannot take connections yet.
            PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow => true,
            _ => pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        },
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or SocketException or EndOfStreamException,
        IOException or SocketException => true,
        _ => false,
    };

    private TimeSpan Backoff(int attempt)
    {
        double factor = Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble());
        return options.RetryDelay * factor;
    }
}
