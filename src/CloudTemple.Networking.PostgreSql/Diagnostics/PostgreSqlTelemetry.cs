using System.Diagnostics;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// The names under which the PostgreSQL stores report: one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="System.Diagnostics.ActivitySource"/>, both <c>CloudTemple.Networking.PostgreSql</c>
/// (docs/observability.md lists their instruments and spans). Npgsql's own source and meter (<c>Npgsql</c>) come on top.
/// </summary>
/// <remarks>Thread-safe (constants).</remarks>
public static class PostgreSqlTelemetry
{
    /// <summary>The name of the Meter (<c>AddMeter(PostgreSqlTelemetry.MeterName)</c> in OpenTelemetry).</summary>
    public const string MeterName = "CloudTemple.Networking.PostgreSql";

    /// <summary>The name of the ActivitySource (<c>AddSource(PostgreSqlTelemetry.ActivitySourceName)</c> in OpenTelemetry).</summary>
    public const string ActivitySourceName = "CloudTemple.Networking.PostgreSql";

    /// <summary>The source of the transaction spans.</summary>
    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(PostgreSqlTelemetry).Assembly.GetName().Version?.ToString());
}
