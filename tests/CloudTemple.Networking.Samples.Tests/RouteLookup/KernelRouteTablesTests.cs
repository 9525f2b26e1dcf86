namespace CloudTemple.Networking.Samples.Tests.RouteLookup;

/// <summary>RouteLookup's reader on <c>ip route</c> output as iproute2 prints it (the interop test checks it against the kernel itself).</summary>
public class KernelRouteTablesTests
{
    // `ip route show table all` in a namespace with two veths, as iproute2 6.x prints it (trailing spaces included).
    private static readonly string[] TableAll =
    [
        "10.40.0.0/16 via 10.255.0.5 dev v0 table 100 ",
        "default via 10.255.0.254 dev v0 proto static metric 100 ",
        "10.1.0.0/16 via 10.255.0.2 dev v0 src 10.255.0.1 ",
        "throw 10.9.0.0/16 ",
        "10.20.0.0/16 proto static metric 30 ",
        "\tnexthop via 10.255.0.2 dev v0 weight 1 ",
        "\tnexthop via 10.255.0.3 dev v0 weight 2 ",
        "10.50.0.5 via 10.255.0.6 dev v0 mtu lock 1400 ",
        "10.255.0.0/24 dev v0 proto kernel scope link src 10.255.0.1 ",
        "blackhole 192.0.2.0/24 proto static ",
        "unreachable 198.51.100.0/24 metric 7 ",
        "prohibit 203.0.113.0/24 ",
        "local 10.255.0.1 dev v0 table local proto kernel scope host src 10.255.0.1 ",
        "broadcast 10.255.0.255 dev v0 table local proto kernel scope link src 10.255.0.1 ",
        "local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 ",
        "fe80::/64 dev v0 proto kernel metric 256 pref medium",
        "multicast ff00::/8 dev v0 table local proto kernel metric 256 pref medium",
    ];

    private static readonly KernelRouteTables Tables = KernelRouteTables.Load(TableAll, "routes.txt");

    [Theory]
    [InlineData("10.20.7.7", "10.20.0.0/16 proto static metric 30 nexthop via 10.255.0.2 dev v0 weight 1 nexthop via 10.255.0.3 dev v0 weight 2")]
    [InlineData("10.255.0.1", "local 10.255.0.1 dev v0 proto kernel scope host src 10.255.0.1")]
    [InlineData("10.255.0.255", "broadcast 10.255.0.255 dev v0 proto kernel scope link src 10.255.0.1")]
    [InlineData("10.255.0.7", "10.255.0.0/24 dev v0 proto kernel scope link src 10.255.0.1")]
    [InlineData("127.1.2.3", "local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1")]
    [InlineData("10.1.255.255", "10.1.0.0/16 via 10.255.0.2 dev v0 src 10.255.0.1")]
    [InlineData("10.50.0.5", "10.50.0.5 via 10.255.0.6 dev v0 mtu lock 1400")]
    [InlineData("10.50.0.6", "default via 10.255.0.254 dev v0 proto static metric 100")]
    [InlineData("192.0.2.9", "blackhole 192.0.2.0/24 proto static")]
    [InlineData("198.51.100.200", "unreachable 198.51.100.0/24 metric 7")]
    [InlineData("203.0.113.1", "prohibit 203.0.113.0/24")]
    public void Each_address_gets_the_route_the_kernel_prints_for_it(string address, string expected) =>
        Assert.Equal(expected, Tables.Lookup(Ipv4Address.Parse(address)));

    [Fact]
    public void A_throw_route_ends_the_lookup_in_main_without_falling_back_to_its_default_route() =>
        Assert.Null(Tables.Lookup(Ipv4Address.Parse("10.9.1.1")));

    [Fact]
    public void Routes_of_other_tables_are_read_but_not_consulted()
    {
        Assert.Equal("default via 10.255.0.254 dev v0 proto static metric 100", Tables.Lookup(Ipv4Address.Parse("10.40.1.1")));
        Assert.Equal(TableAll.Length - 4, Tables.Count); // two IPv6 routes skipped, two next-hop lines joined
    }

    [Fact]
    public void Without_a_default_route_an_unmatched_address_has_none()
    {
        var main = KernelRouteTables.Load(["10.0.0.0/8 dev eth0 proto kernel scope link src 10.0.0.1"], "main.txt");

        Assert.Null(main.Lookup(Ipv4Address.Parse("11.0.0.1")));
    }

    [Fact]
    public void Oneline_output_and_hand_written_lines_read_the_same()
    {
        var tables = KernelRouteTables.Load(
        [
            "# hand-written",
            "10.20.0.0/16 proto static metric 30 \\\tnexthop via 10.255.0.2 dev v0 weight 1 \\\tnexthop via 10.255.0.3 dev v0 weight 2",
            "",
            "10.1.2.3/8 via 10.255.0.9   # host bits are cleared, as ip route add does",
            "0.0.0.0/0 via 10.255.0.254",
        ],
            "hand.txt");

        Assert.Equal("10.20.0.0/16 proto static metric 30 nexthop via 10.255.0.2 dev v0 weight 1 nexthop via 10.255.0.3 dev v0 weight 2", tables.Lookup(Ipv4Address.Parse("10.20.0.1")));
        Assert.Equal("10.0.0.0/8 via 10.255.0.9", tables.Lookup(Ipv4Address.Parse("10.99.0.1")));
        Assert.Equal("default via 10.255.0.254", tables.Lookup(Ipv4Address.Parse("1.1.1.1")));
    }

    [Theory]
    [InlineData("10.0.0.0/33 dev eth0", "routes.txt:2: '10.0.0.0/33' is not an IPv4 prefix")]
    [InlineData("10.0.0.0/8 via 10.0.0.1 colour blue", "routes.txt:2: unexpected 'colour'.")]
    [InlineData("10.0.0.0/8 metric -1 dev eth0", "routes.txt:2: metric '-1' is not a number")]
    [InlineData("10.0.0.0/8 proto static", "routes.txt:2: expected 'via ADDRESS', 'dev NAME' or 'nexthop' lines after the prefix.")]
    [InlineData("10.0.0.0/8 via", "routes.txt:2: 'via' needs a value.")]
    [InlineData("10.0.0.0/8 encap mpls 100 via 10.0.0.1", "routes.txt:2: routes with 'encap'")]
    [InlineData("default via 10.0.0.1", "routes.txt:2: Route 'default via 10.0.0.1' already exists in table 'main'")]
    public void A_malformed_line_is_named_with_its_number(string line, string message)
    {
        var error = Assert.Throws<FormatException>(() => KernelRouteTables.Load(["default via 10.0.0.1", line], "routes.txt"));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
