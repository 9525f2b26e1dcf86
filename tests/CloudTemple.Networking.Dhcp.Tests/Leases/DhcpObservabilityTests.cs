using System.Diagnostics;
using CloudTemple.Networking.Dhcp.Protocol;
using CloudTemple.Networking.Testing;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using static CloudTemple.Networking.Dhcp.Tests.Leases.EngineHarness;

namespace CloudTemple.Networking.Dhcp.Tests.Leases;

public class DhcpObservabilityTests
{
    [Fact]
    public async Task The_lease_feed_reports_bound_released_declined_and_expired_leases()
    {
        using var h = new EngineHarness();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<DhcpLeaseEvent>();
        var sequences = new List<long>();
        var feed = h.Engine.Changes.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var first = feed.MoveNextAsync(); // subscribes

        var a = h.Acquire(Mac(1))!;
        Assert.True(await first);
        events.Add(feed.Current.Change);
        sequences.Add(feed.Current.Sequence);
        h.Send(Message(DhcpMessageType.Release, Mac(1), ciaddr: a.YourAddress, serverId: ServerAddress));
        var b = h.Acquire(Mac(2))!;
        h.Send(Message(DhcpMessageType.Decline, Mac(2), requested: b.YourAddress, serverId: ServerAddress));
        var c = h.Acquire(Mac(3))!;
        h.Advance(TimeSpan.FromHours(2));
        h.Reclaim();
        for (int i = 0; i < 5; i++)
        {
            Assert.True(await feed.MoveNextAsync());
            events.Add(feed.Current.Change);
            sequences.Add(feed.Current.Sequence);
        }

        await feed.DisposeAsync();
        Assert.Equal(
            [(DhcpLeaseEventKind.Bound, a.YourAddress), (DhcpLeaseEventKind.Released, a.YourAddress), (DhcpLeaseEventKind.Bound, b.YourAddress),
             (DhcpLeaseEventKind.Declined, b.YourAddress), (DhcpLeaseEventKind.Bound, c.YourAddress), (DhcpLeaseEventKind.Expired, c.YourAddress)],
            events.Select(e => (e.Kind, e.Lease.Address)));
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], sequences);
    }

    [Fact]
    public async Task The_feed_capacity_comes_from_the_options_and_a_slow_subscriber_sees_the_gap_and_the_drops_are_counted()
    {
        using var meters = new TestMeterFactory();
        using var h = new EngineHarness(o => o.ChangeFeedCapacity = 1, meterFactory: meters);
        using var dropped = new MetricCollector<long>(meters, DhcpTelemetry.MeterName, "cloudtemple.dhcp.changes.dropped");
        Assert.Equal(1, h.Engine.Changes.Capacity);
        await using var feed = h.Engine.Changes.WatchAsync().GetAsyncEnumerator();
        var first = feed.MoveNextAsync();
        h.Acquire(Mac(1));
        Assert.True(await first);
        h.Acquire(Mac(2));
        h.Acquire(Mac(3)); // replaces the entry of Mac(2) in the buffer of one
        Assert.True(await feed.MoveNextAsync());
        Assert.Equal(3, feed.Current.Sequence);
        Assert.Equal(1, h.Engine.Changes.DroppedCount);
        Assert.Equal(1, dropped.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task Disposing_the_engine_completes_the_lease_feed()
    {
        var h = new EngineHarness();
        await using var feed = h.Engine.Changes.WatchAsync().GetAsyncEnumerator();
        var next = feed.MoveNextAsync();
        h.Dispose();
        Assert.False(await next);
    }

    [Fact]
    public void The_meter_counts_messages_by_type_drops_by_reason_and_lease_events()
    {
        using var meters = new TestMeterFactory();
        using var received = new MetricCollector<long>(meters, DhcpTelemetry.MeterName, "cloudtemple.dhcp.messages.received");
        using var sent = new MetricCollector<long>(meters, DhcpTelemetry.MeterName, "cloudtemple.dhcp.messages.sent");
        using var dropped = new MetricCollector<long>(meters, DhcpTelemetry.MeterName, "cloudtemple.dhcp.messages.dropped");
        using var leases = new MetricCollector<long>(meters, DhcpTelemetry.MeterName, "cloudtemple.dhcp.leases.changed");
        using var duration = new MetricCollector<double>(meters, DhcpTelemetry.MeterName, "cloudtemple.dhcp.message.duration");

        using var h = new EngineHarness(meterFactory: meters);
        h.Acquire(Mac(1));
        h.Send([1, 2, 3]);
        h.Send(Message(DhcpMessageType.Request, Mac(9), requested: Ipv4Address.Parse("10.0.0.120")));

        Assert.Equal(1, Count(received, "cloudtemple.dhcp.message_type", "DISCOVER"));
        Assert.Equal(2, Count(received, "cloudtemple.dhcp.message_type", "REQUEST"));
        Assert.Equal(1, Count(sent, "cloudtemple.dhcp.message_type", "OFFER"));
        Assert.Equal(1, Count(sent, "cloudtemple.dhcp.message_type", "ACK"));
        Assert.Equal(1, Count(dropped, "cloudtemple.dhcp.drop_reason", "Malformed"));
        Assert.Equal(1, Count(dropped, "cloudtemple.dhcp.drop_reason", "UnknownClient"));
        Assert.Equal(1, Count(leases, "cloudtemple.dhcp.lease_event", "offered"));
        Assert.Equal(1, Count(leases, "cloudtemple.dhcp.lease_event", "acked"));
        Assert.Equal(
            [("DISCOVER", "replied"), ("REQUEST", "replied"), ("NONE", "dropped"), ("REQUEST", "dropped")],
            duration.GetMeasurementSnapshot().Select(m => ((string)m.Tags["cloudtemple.dhcp.message_type"]!, (string)m.Tags["cloudtemple.dhcp.result"]!)));
        Assert.Equal("s", duration.Instrument!.Unit);
    }

    [Fact]
    public void Each_message_is_one_span_with_its_type_result_reply_and_drop_reason()
    {
        using var h = new EngineHarness();
        using var spans = new ActivityRecorder(DhcpTelemetry.ActivitySourceName);
        var ack = h.Acquire(Mac(1))!;
        h.Send([1, 2, 3]);

        var recorded = spans.Activities;
        Assert.Equal(["dhcp.process_message", "dhcp.process_message", "dhcp.process_message"], recorded.Select(a => a.OperationName));
        Assert.All(recorded, a => Assert.Equal(ActivityKind.Server, a.Kind));
        Assert.Equal(
            [("DISCOVER", "replied", "OFFER"), ("REQUEST", "replied", "ACK"), ("NONE", "dropped", null)],
            recorded.Select(a => ((string?)a.GetTagItem("cloudtemple.dhcp.message_type"), (string?)a.GetTagItem("cloudtemple.dhcp.result"), (string?)a.GetTagItem("cloudtemple.dhcp.reply_type"))));
        Assert.Equal(ack.YourAddress.ToString(), recorded[1].GetTagItem("cloudtemple.dhcp.address"));
        Assert.Equal("10.0.0.0/24", recorded[1].GetTagItem("cloudtemple.dhcp.subnet"));
        Assert.Equal("12345678", recorded[1].GetTagItem("cloudtemple.dhcp.transaction_id"));
        Assert.Equal("Malformed", recorded[2].GetTagItem("cloudtemple.dhcp.drop_reason"));
    }

    private static long Count(MetricCollector<long> collector, string tag, string value) =>
        collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags[tag], value)).Sum(m => m.Value);
}
