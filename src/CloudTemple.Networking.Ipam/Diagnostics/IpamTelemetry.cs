using System.Diagnostics;

namespace CloudTemple.Networking.Ipam;

/// <summary>
/// The names under which IPAM reports: one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="System.Diagnostics.ActivitySource"/>, both <c>CloudTemple.Networking.Ipam</c>
/// (docs/observability.md lists their instruments and spans).
/// </summary>
/// <remarks>Thread-safe (constants).</remarks>
public static class IpamTelemetry
{
    /// <summary>The name of the Meter (<c>AddMeter(IpamTelemetry.MeterName)</c> in OpenTelemetry).</summary>
    public const string MeterName = "CloudTemple.Networking.Ipam";

    /// <summary>The name of the ActivitySource (<c>AddSource(IpamTelemetry.ActivitySourceName)</c> in OpenTelemetry).</summary>
    public const string ActivitySourceName = "CloudTemple.Networking.Ipam";

    /// <summary>The source of the IPAM operation spans.</summary>
    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(IpamTelemetry).Assembly.GetName().Version?.ToString());
}
