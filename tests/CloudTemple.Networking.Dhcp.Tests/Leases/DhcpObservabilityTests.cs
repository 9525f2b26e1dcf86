using System.Diagnostics.Metrics;
using CloudTemple.Networking.Dhcp.Protocol;
using static CloudTemple.Networking.Dhcp.Tests.Leases.EngineHarness;

namespace CloudTemple.Networking.Dhcp.Tests.Leases;

[Collection(MetricsListeners.Name)]
public class DhcpObservabilityTests
{
    [Fact]
    public async Task The_lease_feed_reports_bound_released_declined_and_expired_leases()
    {
        using var h = new EngineHarness();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<DhcpLeaseEvent>();
        var feed = h.Engine.WatchLeasesAsync(cancellationToken: stop.Token).GetAsyncEnumerator(stop.Token);
        var first = feed.MoveNextAsync(); // subscribes

        var a = h.Acquire(Mac(1))!;
        Assert.True(await first);
        events.Add(feed.Current);
        h.Send(Message(DhcpMessageType.Release, Mac(1), ciaddr: a.YourAddress, serverId: ServerAddress));
        var b = h.Acquire(Mac(2))!;
        h.Send(Message(DhcpMessageType.Decline, Mac(2), requested: b.YourAddress, serverId: ServerAddress));
        var c = h.Acquire(Mac(3))!;
        h.Advance(TimeSpan.FromHours(2));
        h.Reclaim();
        for (int i = 0; i < 5; i++)
        {
            Assert.True(await feed.MoveNextAsync());
            events.Add(feed.Current);
        }

        await feed.DisposeAsync();
        Assert.Equal(
            [(DhcpLeaseEventKind.Bound, a.YourAddress), (DhcpLeaseEventKind.Released, a.YourAddress), (DhcpLeaseEventKind.Bound, b.YourAddress),
             (DhcpLeaseEventKind.Declined, b.YourAddress), (DhcpLeaseEventKind.Bound, c.YourAddress), (DhcpLeaseEventKind.Expired, c.YourAddress)],
            events.Select(e => (e.Kind, e.Lease.Address)));
    }

    [Fact]
    public void The_meter_counts_packets_by_type_drops_by_reason_and_lease_events()
    {
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DhcpLeaseEngine.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string key = instrument.Name + ":" + string.Join(",", tags.ToArray().Select(t => t.Value));
            lock (counts)
            {
                counts[key] = counts.GetValueOrDefault(key) + value;
            }
        });
        listener.Start();

        using var h = new EngineHarness();
        h.Acquire(Mac(1));
        h.Send([1, 2, 3]);
        h.Send(Message(DhcpMessageType.Request, Mac(9), requested: Ipv4Address.Parse("10.0.0.120")));

        Assert.Equal(1, counts.GetValueOrDefault("dhcp.packets.received:DISCOVER"));
        Assert.Equal(2, counts.GetValueOrDefault("dhcp.packets.received:REQUEST"));
        Assert.Equal(1, counts.GetValueOrDefault("dhcp.packets.sent:OFFER"));
        Assert.Equal(1, counts.GetValueOrDefault("dhcp.packets.sent:ACK"));
        Assert.Equal(1, counts.GetValueOrDefault("dhcp.packets.dropped:Malformed"));
        Assert.Equal(1, counts.GetValueOrDefault("dhcp.packets.dropped:UnknownClient"));
        Assert.Equal(1, counts.GetValueOrDefault("dhcp.leases:offered"));
        Assert.Equal(1, counts.GetValueOrDefault("dhcp.leases:acked"));
    }
}
