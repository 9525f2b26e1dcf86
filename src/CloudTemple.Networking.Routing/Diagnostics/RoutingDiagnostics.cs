using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudTemple.Networking.Routing;

/// <summary>
/// The instruments of the routing Meter and the logger, shared by the tables of one <see cref="VpcRouting"/>;
/// tables made without one share <see cref="Default"/> (a standalone Meter, no logging).
/// </summary>
internal sealed class RoutingDiagnostics
{
    public RoutingDiagnostics(IMeterFactory? meterFactory, ILogger? logger)
    {
        var meter = meterFactory?.Create(RoutingTelemetry.MeterName)
            ?? new Meter(RoutingTelemetry.MeterName, typeof(RoutingTelemetry).Assembly.GetName().Version?.ToString());
        Logger = logger ?? NullLogger.Instance;
        Routes = meter.CreateUpDownCounter<long>("cloudtemple.routing.routes", "{route}", "Routes in the route tables.");
        RoutesChanged = meter.CreateCounter<long>("cloudtemple.routing.routes.changed", "{route}", "Routes added or removed, by cloudtemple.routing.change_kind.");
        RoutesRejected = meter.CreateCounter<long>("cloudtemple.routing.routes.rejected", "{route}", "Route changes refused by validation, by cloudtemple.routing.reject_reason.");
        ChangesDropped = meter.CreateCounter<long>("cloudtemple.routing.changes.dropped", "{change}", "Change-feed entries dropped because a subscriber fell behind.");
        ForwardingMemory = meter.CreateUpDownCounter<long>("cloudtemple.routing.fib.memory", "By", "Memory held by the compiled forwarding tables.");
    }

    /// <summary>The diagnostics of tables created without a <see cref="VpcRouting"/> (or with one made without a meter factory).</summary>
    public static RoutingDiagnostics Default { get; } = new(null, null);

    public ILogger Logger { get; }

    public UpDownCounter<long> Routes { get; }

    public Counter<long> RoutesChanged { get; }

    public Counter<long> RoutesRejected { get; }

    public Counter<long> ChangesDropped { get; }

    public UpDownCounter<long> ForwardingMemory { get; }

    public void ChangeDropped() => ChangesDropped.Add(1);

    public void Rejected(Route route, string table, string reason)
    {
        RoutesRejected.Add(1, new KeyValuePair<string, object?>("cloudtemple.routing.reject_reason", reason));
        RoutingLog.RouteRejected(Logger, route, table, reason);
    }
}
