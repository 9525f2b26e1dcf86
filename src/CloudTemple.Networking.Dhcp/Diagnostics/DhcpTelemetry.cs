using System.Diagnostics;

namespace CloudTemple.Networking.Dhcp;

/// <summary>
/// The names under which the DHCP server reports: one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="System.Diagnostics.ActivitySource"/>, both <c>CloudTemple.Networking.Dhcp</c>
/// (docs/observability.md lists their instruments and spans).
/// </summary>
/// <remarks>Thread-safe (constants).</remarks>
public static class DhcpTelemetry
{
    /// <summary>The name of the Meter (<c>AddMeter(DhcpTelemetry.MeterName)</c> in OpenTelemetry).</summary>
    public const string MeterName = "CloudTemple.Networking.Dhcp";

    /// <summary>The name of the ActivitySource (<c>AddSource(DhcpTelemetry.ActivitySourceName)</c> in OpenTelemetry).</summary>
    public const string ActivitySourceName = "CloudTemple.Networking.Dhcp";

    /// <summary>The source of the message and reclaim spans.</summary>
    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(DhcpTelemetry).Assembly.GetName().Version?.ToString());
}
