namespace CloudTemple.Networking.Routing.Tests.Routes;

/// <summary>
/// The order of the routes of one prefix: the lowest metric first, then the route kind (connected before
/// next hop before the rest), then the next hops and the network, so that the order is total and stable.
/// </summary>
public class RoutePrecedenceTests
{
    private static readonly Ipv4Prefix Prefix = Ipv4Prefix.Parse("192.0.2.0/24");

    private static int Sign(Route? x, Route? y) => Math.Sign(RoutePrecedence.Instance.Compare(x, y));

    [Fact]
    public void The_lower_metric_comes_first_whatever_the_kind()
    {
        var blackhole = Route.Blackhole(Prefix, metric: 1);
        var connected = Route.Connected(Prefix, "lan", metric: 2);

        Assert.Equal(-1, Sign(blackhole, connected));
        Assert.Equal(1, Sign(connected, blackhole));
    }

    [Fact]
    public void At_equal_metric_connected_comes_before_next_hop_and_next_hop_before_blackhole()
    {
        var connected = Route.Connected(Prefix, "lan", metric: 5);
        var via = Route.Via(Prefix, Ipv4Address.Parse("10.0.0.1"), metric: 5);
        var blackhole = Route.Blackhole(Prefix, metric: 5);

        Assert.Equal(-1, Sign(connected, via));
        Assert.Equal(1, Sign(via, connected));
        Assert.Equal(-1, Sign(via, blackhole));
        Assert.Equal(1, Sign(blackhole, via));
    }

    [Fact]
    public void At_equal_metric_and_kind_the_next_hops_decide()
    {
        var low = Route.Via(Prefix, Ipv4Address.Parse("10.0.0.1"), metric: 5);
        var high = Route.Via(Prefix, Ipv4Address.Parse("10.0.0.2"), metric: 5);

        Assert.Equal(-1, Sign(low, high));
        Assert.Equal(1, Sign(high, low));
    }

    [Fact]
    public void At_equal_next_hops_the_network_name_decides_ordinally()
    {
        var a = Route.Connected(Prefix, "B-net", metric: 5);
        var b = Route.Connected(Prefix, "a-net", metric: 5);

        Assert.Equal(-1, Sign(a, b));
        Assert.Equal(1, Sign(b, a));
    }

    [Fact]
    public void Equal_routes_compare_equal_and_null_comes_last()
    {
        var route = Route.Via(Prefix, Ipv4Address.Parse("10.0.0.1"), metric: 5);

        Assert.Equal(0, Sign(route, route));
        Assert.Equal(0, Sign(route, Route.Via(Prefix, Ipv4Address.Parse("10.0.0.1"), metric: 5)));
        Assert.Equal(-1, Sign(route, null));
        Assert.Equal(1, Sign(null, route));
        Assert.Equal(0, Sign(null, null));
    }
}
