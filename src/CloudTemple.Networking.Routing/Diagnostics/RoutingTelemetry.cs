using System.Diagnostics;

namespace CloudTemple.Networking.Routing;

/// <summary>
/// The names under which routing reports: one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="System.Diagnostics.ActivitySource"/>, both <c>CloudTemple.Networking.Routing</c>
/// (docs/observability.md lists their instruments and spans). Nothing is measured on the lookup path.
/// </summary>
/// <remarks>Thread-safe (constants).</remarks>
public static class RoutingTelemetry
{
    /// <summary>The name of the Meter (<c>AddMeter(RoutingTelemetry.MeterName)</c> in OpenTelemetry).</summary>
    public const string MeterName = "CloudTemple.Networking.Routing";

    /// <summary>The name of the ActivitySource (<c>AddSource(RoutingTelemetry.ActivitySourceName)</c> in OpenTelemetry).</summary>
    public const string ActivitySourceName = "CloudTemple.Networking.Routing";

    /// <summary>The source of the route-change spans.</summary>
    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(RoutingTelemetry).Assembly.GetName().Version?.ToString());
}
