using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>The logger and the instruments of one store (a standalone Meter when the host gives no factory).</summary>
internal sealed partial class PostgreSqlDiagnostics
{
    public const string LoggerCategory = "CloudTemple.Networking.PostgreSql";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _failed;

    public PostgreSqlDiagnostics(ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
    {
        Logger = loggerFactory?.CreateLogger(LoggerCategory) ?? NullLogger.Instance;
        var meter = meterFactory?.Create(PostgreSqlTelemetry.MeterName) ?? new Meter(PostgreSqlTelemetry.MeterName);
        _duration = meter.CreateHistogram<double>(
            "cloudtemple.postgresql.transaction.duration", "s", "Duration of store transactions, retries included, by cloudtemple.postgresql.operation (and error.type when they fail).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _retried = meter.CreateCounter<long>("cloudtemple.postgresql.transactions.retried", "{retry}", "Transactions run again after a transient failure, by cloudtemple.postgresql.operation and error.type.");
        _failed = meter.CreateCounter<long>("cloudtemple.postgresql.transactions.failed", "{transaction}", "Transactions that failed for good (PostgreSqlStoreException), by cloudtemple.postgresql.operation and error.type.");
    }

    /// <summary>Shared by the stores made without a logger or meter factory.</summary>
    public static PostgreSqlDiagnostics Default { get; } = new(null, null);

    public ILogger Logger { get; }

    public static PostgreSqlDiagnostics For(ILoggerFactory? loggerFactory, IMeterFactory? meterFactory) =>
        loggerFactory is null && meterFactory is null ? Default : new(loggerFactory, meterFactory);

    /// <summary>Starts the span of one transaction (null when nobody listens).</summary>
    public static Activity? Start(string operation)
    {
        var activity = PostgreSqlTelemetry.Source.StartActivity("postgresql.transaction", ActivityKind.Client);
        activity?.SetTag("cloudtemple.postgresql.operation", operation);
        activity?.SetTag("db.system.name", "postgresql");
        return activity;
    }

    public void Retrying(Activity? activity, string operation, int attempt, int maxAttempts, TimeSpan delay, Exception error)
    {
        string errorType = ErrorType(error);
        _retried.Add(1, new("cloudtemple.postgresql.operation", operation), new("error.type", errorType));
        activity?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            ["cloudtemple.postgresql.attempt"] = attempt,
            ["error.type"] = errorType,
            ["cloudtemple.postgresql.retry_delay"] = delay.TotalSeconds,
        }));
        LogRetry(Logger, error, operation, attempt, maxAttempts, errorType, (long)delay.TotalMilliseconds);
    }

    public void Completed(Activity? activity, string operation, int attempts, long started)
    {
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("cloudtemple.postgresql.operation", operation));
        activity?.SetTag("cloudtemple.postgresql.attempts", attempts);
    }

    public void Failed(Activity? activity, string operation, int attempts, long started, Exception error, bool storeFailure)
    {
        string errorType = ErrorType(error);
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new("cloudtemple.postgresql.operation", operation), new("error.type", errorType));
        activity?.SetTag("cloudtemple.postgresql.attempts", attempts);
        activity?.SetTag("error.type", errorType);
        activity?.SetStatus(ActivityStatusCode.Error, error.Message);
        if (storeFailure)
        {
            _failed.Add(1, new("cloudtemple.postgresql.operation", operation), new("error.type", errorType));
            LogFailure(Logger, error, operation, attempts, errorType);
        }
    }

    // The SQLSTATE says more than the exception type (40001 serialization failure, 23505 unique violation, 08006 connection failure).
    private static string ErrorType(Exception error) => error switch
    {
        Npgsql.PostgresException pg => pg.SqlState,
        OperationCanceledException => "cancelled",
        _ => error.GetType().Name,
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "PostgreSQL store operation {Operation} failed transiently on attempt {Attempt} of {MaxAttempts} ({ErrorType}); retrying in {DelayMilliseconds} ms")]
    private static partial void LogRetry(ILogger logger, Exception error, string operation, int attempt, int maxAttempts, string errorType, long delayMilliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "PostgreSQL store operation {Operation} failed after {Attempts} attempts ({ErrorType})")]
    private static partial void LogFailure(ILogger logger, Exception error, string operation, int attempts, string errorType);
}
