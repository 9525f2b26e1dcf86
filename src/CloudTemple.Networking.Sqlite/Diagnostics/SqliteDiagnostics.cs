using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// The logger and instruments of a database file's stores. The stores of one file share one
/// <see cref="SqliteDatabase"/>, which keeps the diagnostics of the first store given a logger or
/// meter factory (in a host they all come from the same container).
/// </summary>
internal sealed partial class SqliteDiagnostics
{
    public const string LoggerCategory = "CloudTemple.Networking.Sqlite";

    private readonly Histogram<double> _duration;
    private readonly Histogram<long> _batchSize;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _failed;

    private SqliteDiagnostics(ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
    {
        Logger = loggerFactory?.CreateLogger(LoggerCategory) ?? NullLogger.Instance;
        var meter = meterFactory?.Create(SqliteTelemetry.MeterName) ?? new Meter(SqliteTelemetry.MeterName);
        _duration = meter.CreateHistogram<double>(
            "cloudtemple.sqlite.transaction.duration", "s", "Duration of store transactions from the caller's view (queueing for the group commit and retries included), by cloudtemple.sqlite.operation and cloudtemple.sqlite.access (and error.type when they fail).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5] });
        _batchSize = meter.CreateHistogram<long>(
            "cloudtemple.sqlite.commit.writes", "{write}", "Writes committed together in one group-commit transaction.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _retried = meter.CreateCounter<long>("cloudtemple.sqlite.transactions.retried", "{retry}", "Transactions run again after SQLITE_BUSY or SQLITE_LOCKED, by cloudtemple.sqlite.access and error.type.");
        _failed = meter.CreateCounter<long>("cloudtemple.sqlite.transactions.failed", "{transaction}", "Store operations that failed for good (SqliteStoreException), by cloudtemple.sqlite.operation and error.type.");
    }

    /// <summary>Shared by the stores made without a logger or meter factory.</summary>
    public static SqliteDiagnostics Default { get; } = new(null, null);

    public ILogger Logger { get; }

    public bool IsDefault => ReferenceEquals(this, Default);

    public static SqliteDiagnostics For(ILoggerFactory? loggerFactory, IMeterFactory? meterFactory) =>
        loggerFactory is null && meterFactory is null ? Default : new(loggerFactory, meterFactory);

    /// <summary>Starts the span of one operation's transaction (null when nobody listens).</summary>
    public static Activity? Start(string operation, string access)
    {
        var activity = SqliteTelemetry.Source.StartActivity("sqlite.transaction", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("cloudtemple.sqlite.operation", operation);
            activity.SetTag("cloudtemple.sqlite.access", access);
            activity.SetTag("db.system.name", "sqlite");
        }

        return activity;
    }

    /// <summary>A transaction (of <paramref name="writes"/> writes, or a read) will run again.</summary>
    public void Retrying(string path, string access, int attempt, int maxAttempts, TimeSpan delay, SqliteException error, int writes)
    {
        string errorType = ErrorType(error);
        _retried.Add(1, new("cloudtemple.sqlite.access", access), new("error.type", errorType));
        LogRetry(Logger, path, access, writes, attempt, maxAttempts, errorType, (long)delay.TotalMilliseconds);
    }

    public static void RetryEvent(Activity? activity, int attempt, SqliteException error, TimeSpan delay) =>
        activity?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            ["cloudtemple.sqlite.attempt"] = attempt,
            ["error.type"] = ErrorType(error),
            ["cloudtemple.sqlite.retry_delay"] = delay.TotalSeconds,
        }));

    public void Committed(int writes) => _batchSize.Record(writes);

    public void Completed(Activity? activity, string operation, string access, int attempts, long started)
    {
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new("cloudtemple.sqlite.operation", operation), new("cloudtemple.sqlite.access", access));
        activity?.SetTag("cloudtemple.sqlite.attempts", attempts);
    }

    /// <summary>Records a failed operation; false, so that it can run in an exception filter.</summary>
    public bool Failed(Activity? activity, string operation, string access, int attempts, long started, Exception error)
    {
        string errorType = error is SqliteStoreException { InnerException: SqliteException inner } ? ErrorType(inner) : ErrorType(error);
        _duration.Record(
            Stopwatch.GetElapsedTime(started).TotalSeconds,
            new("cloudtemple.sqlite.operation", operation), new("cloudtemple.sqlite.access", access), new("error.type", errorType));
        if (activity is not null)
        {
            activity.SetTag("cloudtemple.sqlite.attempts", error is SqliteStoreException store ? store.Attempts : attempts);
            activity.SetTag("error.type", errorType);
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
        }

        if (error is SqliteStoreException failure)
        {
            _failed.Add(1, new("cloudtemple.sqlite.operation", operation), new("error.type", errorType));
            LogFailure(Logger, failure, operation, failure.Attempts, errorType);
        }

        return false;
    }

    // The primary result code says what happened (SQLITE_BUSY, SQLITE_CONSTRAINT, SQLITE_IOERR, ...).
    private static string ErrorType(Exception error) => error switch
    {
        SqliteException sqlite => "SQLITE_" + (sqlite.SqliteErrorCode & 0xff).ToString(System.Globalization.CultureInfo.InvariantCulture),
        OperationCanceledException => "cancelled",
        _ => error.GetType().Name,
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "SQLite database {Path} was busy for a {Access} transaction of {Writes} writes (attempt {Attempt} of {MaxAttempts}, {ErrorType}); retrying in {DelayMilliseconds} ms")]
    private static partial void LogRetry(ILogger logger, string path, string access, int writes, int attempt, int maxAttempts, string errorType, long delayMilliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "SQLite store operation {Operation} failed after {Attempts} attempts ({ErrorType})")]
    private static partial void LogFailure(ILogger logger, Exception error, string operation, int attempts, string errorType);
}
