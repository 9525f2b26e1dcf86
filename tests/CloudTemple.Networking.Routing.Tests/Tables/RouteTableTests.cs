using Microsoft.Extensions.Time.Testing;

namespace CloudTemple.Networking.Routing.Tests.Tables;

public class RouteTableTests
{
    private static Ipv4Prefix P(string text) => Ipv4Prefix.Parse(text);

    private static Ipv4Address A(string text) => Ipv4Address.Parse(text);

    private static RouteTable TableWithWebNetwork()
    {
        var table = new RouteTable("main");
        table.Add(Route.Connected(P("10.0.1.0/24"), "web"));
        return table;
    }

    [Fact]
    public void Lowest_metric_wins_for_one_prefix()
    {
        var table = TableWithWebNetwork();
        table.Add(Route.Via(P("192.0.2.0/24"), A("10.0.1.2"), metric: 20));
        table.Add(Route.Via(P("192.0.2.0/24"), A("10.0.1.3"), metric: 10));
        Assert.Equal(A("10.0.1.3"), table.Lookup(A("192.0.2.9"))!.NextHops[0]);
    }

    [Fact]
    public void Connected_beats_static_at_equal_prefix_and_metric()
    {
        var table = TableWithWebNetwork();
        var staticRoute = Route.Via(P("10.0.2.0/24"), A("10.0.1.2"));
        table.Add(staticRoute);
        table.Add(Route.Connected(P("10.0.2.0/24"), "db"));
        Assert.Equal(RouteKind.Connected, table.Lookup(A("10.0.2.5"))!.Kind);
        Assert.Equal(2, table.GetRoutes(P("10.0.2.0/24")).Count);
    }

    [Fact]
    public void Ties_are_broken_by_kind_then_next_hop_whatever_the_order_of_insertion()
    {
        var first = TableWithWebNetwork();
        var second = TableWithWebNetwork();
        Route[] routes =
        [
            Route.Unreachable(P("203.0.113.0/24")),
            Route.Via(P("203.0.113.0/24"), A("10.0.1.9")),
            Route.Blackhole(P("203.0.113.0/24")),
            Route.Via(P("203.0.113.0/24"), A("10.0.1.4")),
        ];
        first.AddRange(routes);
        second.AddRange(routes.Reverse());
        Assert.Equal(Route.Via(P("203.0.113.0/24"), A("10.0.1.4")), first.Lookup(A("203.0.113.1")));
        Assert.Equal(first.Lookup(A("203.0.113.1")), second.Lookup(A("203.0.113.1")));
    }

    [Fact]
    public void Removing_the_best_route_promotes_the_next_one()
    {
        var table = TableWithWebNetwork();
        var best = Route.Via(P("0.0.0.0/0"), A("10.0.1.2"), 1);
        table.Add(best);
        table.Add(Route.ExternalGateway(Ipv4Prefix.Any, 5));
        Assert.True(table.Remove(best));
        Assert.Equal(RouteKind.ExternalGateway, table.Lookup(A("8.8.8.8"))!.Kind);
    }

    [Fact]
    public void A_duplicate_route_is_refused_and_nothing_changes()
    {
        var table = TableWithWebNetwork();
        var route = Route.Via(P("192.0.2.0/24"), A("10.0.1.2"));
        table.Add(route);
        long version = table.Version;
        var error = Assert.Throws<DuplicateRouteException>(() =>
            table.AddRange([Route.Blackhole(P("198.51.100.0/24")), Route.Via(P("192.0.2.0/24"), A("10.0.1.2"))]));
        Assert.Equal(route, error.Existing);
        Assert.Equal("main", error.TableName);
        Assert.IsAssignableFrom<NetworkingException>(error);
        Assert.Null(table.Lookup(A("198.51.100.1")));
        Assert.Equal(2, table.Count);
        Assert.Equal(version, table.Version);
    }

    [Fact]
    public void A_next_hop_outside_every_connected_route_is_refused_and_nothing_changes()
    {
        var table = TableWithWebNetwork();
        var error = Assert.Throws<NextHopUnreachableException>(() =>
            table.AddRange([Route.Blackhole(P("198.51.100.0/24")), Route.Via(P("192.0.2.0/24"), A("10.9.9.9"))]));
        Assert.Equal(A("10.9.9.9"), error.NextHop);
        Assert.Null(error.ConnectedRoute);
        Assert.Null(table.Lookup(A("198.51.100.1")));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_connected_route_in_the_same_batch_makes_a_next_hop_reachable()
    {
        var table = new RouteTable("main");
        table.AddRange([Route.Via(P("192.0.2.0/24"), A("10.0.7.1")), Route.Connected(P("10.0.7.0/24"), "app")]);
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Removing_a_connected_route_that_a_next_hop_needs_is_refused()
    {
        var table = TableWithWebNetwork();
        var dependent = Route.Via(P("192.0.2.0/24"), A("10.0.1.2"));
        table.Add(dependent);
        var connected = Route.Connected(P("10.0.1.0/24"), "web");
        var error = Assert.Throws<NextHopUnreachableException>(() => table.Remove(connected));
        Assert.Equal(connected, error.ConnectedRoute);
        Assert.Equal(dependent, error.Route);
        Assert.Equal(RouteKind.Connected, table.Lookup(A("10.0.1.2"))!.Kind);

        table.Add(Route.Connected(P("10.0.0.0/16"), "wide"));
        Assert.True(table.Remove(connected)); // the /16 still reaches 10.0.1.2
    }

    [Fact]
    public void A_prefix_with_host_bits_is_a_bad_prefix_that_names_the_network_meant()
    {
        var error = Assert.Throws<InvalidRoutePrefixException>(() => Route.Parse("10.0.0.1/8 via 10.0.1.2"));
        Assert.Equal(P("10.0.0.0/8"), error.Suggestion);
        Assert.Contains("10.0.0.0/8", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidRoutePrefixException>(() => Route.Parse("10.0.0.0/33 via 10.0.1.2"));
    }

    [Fact]
    public void A_flow_lookup_returns_the_route_and_the_next_hop()
    {
        var table = TableWithWebNetwork();
        table.Add(Route.Multipath(P("0.0.0.0/0"), [A("10.0.1.2"), A("10.0.1.3")]));
        table.Add(Route.Blackhole(P("192.0.2.0/24")));
        var flow = new FlowKey(A("10.0.1.7"), A("8.8.8.8"), 17, 5353, 53);
        var decision = table.Lookup(flow);
        Assert.True(decision.Forwards);
        Assert.Contains(decision.NextHop, decision.Route!.NextHops);

        var local = table.Lookup(flow with { Destination = A("10.0.1.9") });
        Assert.Equal(A("10.0.1.9"), local.NextHop);
        Assert.False(table.Lookup(flow with { Destination = A("192.0.2.1") }).Forwards);
        Assert.False(new RouteTable("empty").Lookup(flow).IsMatch);
    }

    [Fact]
    public async Task The_change_feed_delivers_every_change_in_order()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var table = new RouteTable("main", timeProvider: clock);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var feed = table.Changes.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        var first = feed.MoveNextAsync(); // subscribes

        var connected = Route.Connected(P("10.0.1.0/24"), "web");
        table.Add(connected);
        var hole = Route.Blackhole(P("192.0.2.0/24"));
        table.Add(hole);
        table.Remove(hole);

        Assert.True(await first);
        var entries = new List<Changes.ChangeFeedEntry<RouteChange>> { feed.Current };
        while (entries.Count < 3 && await feed.MoveNextAsync())
        {
            entries.Add(feed.Current);
        }

        var changes = entries.Select(e => e.Change).ToList();
        Assert.Equal([RouteChangeKind.Added, RouteChangeKind.Added, RouteChangeKind.Removed], changes.Select(c => c.Kind));
        Assert.Equal([connected, hole, hole], changes.Select(c => c.Route));
        Assert.Equal([1L, 2L, 3L], entries.Select(e => e.Sequence));
        Assert.Equal(3, table.Version);
        Assert.All(changes, c => Assert.Equal(clock.GetUtcNow(), c.Timestamp));
        Assert.All(changes, c => Assert.True(c.IsActive));
    }

    [Fact]
    public async Task A_slow_subscriber_loses_the_oldest_changes_and_sees_the_gap()
    {
        var table = new RouteTable("main", new VpcRoutingOptions { ChangeFeedCapacity = 2 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var feed = table.Changes.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        var first = feed.MoveNextAsync();
        table.Add(Route.Blackhole(P("192.0.2.0/24")));
        Assert.True(await first); // change 1 delivered at once
        for (int i = 0; i < 5; i++)
        {
            table.Add(Route.Blackhole(new Ipv4Prefix(new Ipv4Address(0xC6336400u + (uint)(i << 8)), 24)));
        }

        Assert.True(await feed.MoveNextAsync());
        Assert.Equal(5, feed.Current.Sequence); // 2, 3, 4 were dropped
        Assert.True(await feed.MoveNextAsync());
        Assert.Equal(6, feed.Current.Sequence);
        Assert.Equal(3, table.Changes.DroppedCount);
    }

    [Fact]
    public void Routes_print_in_ip_route_syntax_and_parse_back()
    {
        string[] texts =
        [
            "default via 10.0.1.1",
            "10.0.0.0/8 via 10.0.1.1 metric 5",
            "10.0.1.0/24 dev web",
            "10.8.0.0/16 nexthop via 10.0.1.2 nexthop via 10.0.1.3",
            "blackhole 192.0.2.0/24",
            "unreachable 198.51.100.7/32 metric 3",
            "default external-gateway metric 100",
        ];
        foreach (var text in texts)
        {
            Assert.Equal(text, Route.Parse(text).ToString());
        }

        Assert.Equal("10.1.2.3/32 via 10.0.1.1", Route.Parse("10.1.2.3 via 10.0.1.1").ToString());
        Assert.Equal("10.0.0.0/8 via 10.0.1.1 metric 0", Route.Parse("10.0.0.0/8   via 10.0.1.1 metric 0").ToString(includeZeroMetric: true));
        Assert.False(Route.TryParse("10.0.0.0/8 via", out _));
        Assert.False(Route.TryParse("10.0.0.0/8 via 10.0.1.1 metric x", out _));
        Assert.False(Route.TryParse("blackhole 10.0.0.0/8 via 10.0.1.1", out _));
        Assert.False(Route.TryParse("10.0.0.0/8", out _));
    }
}
