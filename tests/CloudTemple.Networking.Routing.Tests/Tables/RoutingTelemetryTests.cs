using System.Diagnostics;
using CloudTemple.Networking.Testing;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CloudTemple.Networking.Routing.Tests.Tables;

public class RoutingTelemetryTests
{
    private static readonly Route Web = Route.Connected(Ipv4Prefix.Parse("10.0.1.0/24"), "web");
    private static readonly Route Hole = Route.Blackhole(Ipv4Prefix.Parse("192.0.2.0/24"));

    [Fact]
    public void Route_counts_changes_and_refusals_go_to_the_meter_of_the_hosts_factory()
    {
        using var meters = new TestMeterFactory();
        var routing = new VpcRouting(meterFactory: meters);
        using var routes = new MetricCollector<long>(meters, RoutingTelemetry.MeterName, "cloudtemple.routing.routes");
        using var changed = new MetricCollector<long>(meters, RoutingTelemetry.MeterName, "cloudtemple.routing.routes.changed");
        using var rejected = new MetricCollector<long>(meters, RoutingTelemetry.MeterName, "cloudtemple.routing.routes.rejected");
        using var memory = new MetricCollector<long>(meters, RoutingTelemetry.MeterName, "cloudtemple.routing.fib.memory");

        var table = routing.GetOrCreate("vpc").MainTable;
        table.AddRange([Web, Hole]);
        Assert.Throws<DuplicateRouteException>(() => table.Add(Hole));
        Assert.Throws<NextHopUnreachableException>(() => table.Add(Route.Via(Ipv4Prefix.Parse("0.0.0.0/0"), Ipv4Address.Parse("172.16.0.1"))));
        table.Remove(Hole);

        Assert.Equal(1, routes.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(["added", "added", "removed"], changed.GetMeasurementSnapshot().Select(m => (string)m.Tags["cloudtemple.routing.change_kind"]!));
        Assert.Equal(["duplicate", "next_hop_unreachable"], rejected.GetMeasurementSnapshot().Select(m => (string)m.Tags["cloudtemple.routing.reject_reason"]!));
        Assert.Equal(table.ForwardingMemoryBytes, memory.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal("By", memory.Instrument!.Unit);
    }

    [Fact]
    public async Task Feed_drops_are_counted_on_the_meter_and_on_the_feed()
    {
        using var meters = new TestMeterFactory();
        var routing = new VpcRouting(new VpcRoutingOptions { ChangeFeedCapacity = 1 }, meterFactory: meters);
        using var dropped = new MetricCollector<long>(meters, RoutingTelemetry.MeterName, "cloudtemple.routing.changes.dropped");
        var table = routing.GetOrCreate("vpc").MainTable;
        await using var feed = table.Changes.WatchAsync().GetAsyncEnumerator();
        var first = feed.MoveNextAsync();
        table.Add(Web);
        Assert.True(await first);
        table.Add(Hole);
        table.Remove(Hole);
        Assert.True(await feed.MoveNextAsync());
        Assert.Equal(3, feed.Current.Sequence);
        Assert.Equal(RouteChangeKind.Removed, feed.Current.Change.Kind);
        Assert.Equal(1, table.Changes.DroppedCount);
        Assert.Equal(1, dropped.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public void Changes_are_spans_and_a_refused_change_is_an_error_span_and_a_warning()
    {
        var logger = new FakeLogger<VpcRouting>();
        var routing = new VpcRouting(logger: logger);
        using var spans = new ActivityRecorder(RoutingTelemetry.ActivitySourceName);
        var table = routing.GetOrCreate("vpc").MainTable;
        table.AddRange([Web, Hole]);
        Assert.Throws<DuplicateRouteException>(() => table.Add(Hole));
        table.Remove(Hole);

        var recorded = spans.Activities;
        Assert.Equal(["routing.add_routes", "routing.add_routes", "routing.remove_route"], recorded.Select(a => a.OperationName));
        Assert.Equal("main", recorded[0].GetTagItem("cloudtemple.routing.table"));
        Assert.Equal(2, recorded[0].GetTagItem("cloudtemple.routing.route_count"));
        Assert.Equal(ActivityStatusCode.Unset, recorded[0].Status);
        Assert.Equal(ActivityStatusCode.Error, recorded[1].Status);
        Assert.Equal("duplicate", recorded[1].GetTagItem("error.type"));
        Assert.Equal("192.0.2.0/24", recorded[2].GetTagItem("cloudtemple.routing.prefix"));

        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Equal(1, warning.Id.Id);
        Assert.Contains("192.0.2.0/24", warning.Message, StringComparison.Ordinal);
        Assert.Contains("duplicate", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_a_table_or_a_vrf_completes_the_tables_feeds()
    {
        var routing = new VpcRouting();
        var vrf = routing.GetOrCreate("vpc");
        var extra = vrf.CreateTable("extra");
        await using var extraFeed = extra.Changes.WatchAsync().GetAsyncEnumerator();
        await using var mainFeed = vrf.MainTable.Changes.WatchAsync().GetAsyncEnumerator();
        var extraNext = extraFeed.MoveNextAsync();
        var mainNext = mainFeed.MoveNextAsync();

        Assert.True(vrf.RemoveTable("extra"));
        Assert.False(await extraNext);
        Assert.False(mainNext.IsCompleted);
        Assert.True(routing.Remove("vpc"));
        Assert.False(await mainNext);
    }
}
