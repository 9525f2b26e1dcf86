using System.Diagnostics.Metrics;

namespace CloudTemple.Networking.Routing;

/// <summary>The <c>CloudTemple.Networking.Routing</c> meter and its instruments (nothing on the lookup path).</summary>
internal static class RoutingTelemetry
{
    public const string MeterName = "CloudTemple.Networking.Routing";

    public static readonly Meter Meter = new(MeterName, typeof(RoutingTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly UpDownCounter<long> Routes =
        Meter.CreateUpDownCounter<long>("cloudtemple.routing.routes", "{route}", "Routes in all route tables.");

    public static readonly Counter<long> Changes =
        Meter.CreateCounter<long>("cloudtemple.routing.route.changes", "{change}", "Routes added or removed (tag: kind).");

    public static readonly Counter<long> Rejected =
        Meter.CreateCounter<long>("cloudtemple.routing.route.rejected", "{change}", "Changes refused by validation (tag: reason).");

    public static readonly Counter<long> FeedDropped =
        Meter.CreateCounter<long>("cloudtemple.routing.change_feed.dropped", "{change}", "Changes dropped because a change-feed subscriber was too slow.");

    public static readonly UpDownCounter<long> ForwardingMemory =
        Meter.CreateUpDownCounter<long>("cloudtemple.routing.fib.memory", "By", "Memory held by the compiled forwarding tables.");
}
