namespace CloudTemple.Networking.Routing.Tests.Tables;

public class EcmpTests
{
    private static readonly Ipv4Address[] Hops = [.. Enumerable.Range(2, 4).Select(i => new Ipv4Address(0x0A000100u + (uint)i))];

    [Fact]
    public void The_flow_hash_is_a_fixed_function_the_same_on_every_run_and_host()
    {
        // Pinned values: a change here re-routes every ECMP flow of every deployment.
        var flow = new FlowKey(Ipv4Address.Parse("10.0.1.7"), Ipv4Address.Parse("192.0.2.9"), 6, 40000, 443);
        Assert.Equal(PinnedHash, flow.StableHash());
        Assert.Equal(new FlowKey(default, default, 0, 0, 0).StableHash(), new FlowKey(default, default, 0, 0, 0).StableHash());
    }

    private const uint PinnedHash = 2590155738u;

    [Fact]
    public void The_same_flow_always_takes_the_same_next_hop_whatever_the_order_of_the_next_hops()
    {
        var prefix = Ipv4Prefix.Parse("192.0.2.0/24");
        var route = Route.Multipath(prefix, Hops);
        var shuffled = Route.Multipath(prefix, Hops.Reverse());
        for (ushort port = 1000; port < 1500; port++)
        {
            var flow = new FlowKey(Ipv4Address.Parse("10.0.1.7"), Ipv4Address.Parse("192.0.2.9"), 17, port, 53);
            Assert.Equal(route.SelectNextHop(flow), route.SelectNextHop(flow));
            Assert.Equal(route.SelectNextHop(flow), shuffled.SelectNextHop(flow));
        }
    }

    [Fact]
    public void Flows_spread_evenly_over_the_next_hops()
    {
        var route = Route.Multipath(Ipv4Prefix.Any, Hops);
        var counts = new Dictionary<Ipv4Address, int>();
        for (int i = 0; i < 40_000; i++)
        {
            var flow = new FlowKey(new Ipv4Address(0x0A000000u + (uint)(i % 200)), new Ipv4Address(0xC0000200u + (uint)(i / 200)), 6, (ushort)(32768 + i), 443);
            var hop = route.SelectNextHop(flow);
            counts[hop] = counts.GetValueOrDefault(hop) + 1;
        }

        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 9_000, 11_000));
    }
}
