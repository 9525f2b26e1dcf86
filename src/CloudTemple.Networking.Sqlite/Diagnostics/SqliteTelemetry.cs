using System.Diagnostics;

namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// The names under which the SQLite stores report: one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="System.Diagnostics.ActivitySource"/>, both <c>CloudTemple.Networking.Sqlite</c>
/// (docs/observability.md lists their instruments and spans).
/// </summary>
/// <remarks>Thread-safe (constants).</remarks>
public static class SqliteTelemetry
{
    /// <summary>The name of the Meter (<c>AddMeter(SqliteTelemetry.MeterName)</c> in OpenTelemetry).</summary>
    public const string MeterName = "CloudTemple.Networking.Sqlite";

    /// <summary>The name of the ActivitySource (<c>AddSource(SqliteTelemetry.ActivitySourceName)</c> in OpenTelemetry).</summary>
    public const string ActivitySourceName = "CloudTemple.Networking.Sqlite";

    /// <summary>The source of the transaction spans.</summary>
    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(SqliteTelemetry).Assembly.GetName().Version?.ToString());
}
