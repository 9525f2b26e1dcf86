using CloudTemple.Networking.Dhcp.Protocol;

namespace CloudTemple.Networking.Dhcp.Tests.Protocol;

/// <summary>
/// RFC 3442 section 1: each route is a width octet (0 to 32), the significant octets of the destination
/// (ceil(width / 8)), then the four octets of the router. A malformed option is ignored as a whole.
/// </summary>
public class ClasslessStaticRouteDecodingTests
{
    [Fact]
    public void The_examples_of_rfc_3442_decode_to_their_routes()
    {
        byte[] value = [16, 10, 17, 10, 0, 0, 1, 0, 10, 0, 0, 1, 24, 10, 27, 129, 10, 0, 0, 9];

        Assert.True(ClasslessStaticRoute.TryDecode(value, out var routes));

        Assert.Equal(
            [
                new ClasslessStaticRoute(Ipv4Prefix.Parse("10.17.0.0/16"), Ipv4Address.Parse("10.0.0.1")),
                new ClasslessStaticRoute(Ipv4Prefix.Any, Ipv4Address.Parse("10.0.0.1")),
                new ClasslessStaticRoute(Ipv4Prefix.Parse("10.27.129.0/24"), Ipv4Address.Parse("10.0.0.9")),
            ],
            routes);
    }

    [Theory]
    [InlineData(32, "192.0.2.7/32", new byte[] { 32, 192, 0, 2, 7, 10, 0, 0, 1 })]
    [InlineData(25, "192.0.2.128/25", new byte[] { 25, 192, 0, 2, 128, 10, 0, 0, 1 })]
    [InlineData(9, "10.128.0.0/9", new byte[] { 9, 10, 128, 10, 0, 0, 1 })]
    [InlineData(1, "128.0.0.0/1", new byte[] { 1, 128, 10, 0, 0, 1 })]
    public void A_width_that_is_not_a_multiple_of_eight_takes_the_octet_it_starts(int width, string prefix, byte[] value)
    {
        Assert.True(ClasslessStaticRoute.TryDecode(value, out var routes));

        var route = Assert.Single(routes);
        Assert.Equal(width, route.Destination.Length);
        Assert.Equal(Ipv4Prefix.Parse(prefix), route.Destination);
        Assert.Equal(Ipv4Address.Parse("10.0.0.1"), route.Router);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(25)]
    [InlineData(9)]
    [InlineData(0)]
    public void Encoding_takes_as_many_octets_as_decoding_reads(int width)
    {
        ClasslessStaticRoute[] routes =
        [
            new(Ipv4Prefix.Containing(Ipv4Address.Parse("203.0.113.255"), width), Ipv4Address.Parse("192.0.2.1")),
            new(Ipv4Prefix.Parse("10.0.0.0/8"), Ipv4Address.Parse("192.0.2.2")),
        ];
        int length = ClasslessStaticRoute.GetEncodedLength(routes);
        var bytes = new byte[length + 3];

        Assert.Equal(length, ClasslessStaticRoute.Encode(routes, bytes));
        Assert.Equal(1 + ((width + 7) / 8) + 4 + 1 + 1 + 4, length);
        Assert.True(ClasslessStaticRoute.TryDecode(bytes.AsSpan(0, length), out var decoded));
        Assert.Equal(routes, decoded);
    }

    [Fact]
    public void A_destination_shorter_than_the_routes_is_refused()
    {
        ClasslessStaticRoute[] routes = [new(Ipv4Prefix.Parse("10.0.0.0/8"), Ipv4Address.Parse("192.0.2.2"))];

        Assert.Throws<ArgumentException>(() => ClasslessStaticRoute.Encode(routes, new byte[5]));
        Assert.Equal(6, ClasslessStaticRoute.Encode(routes, new byte[6]));
    }

    [Fact]
    public void A_width_above_32_makes_the_option_malformed()
    {
        Assert.False(ClasslessStaticRoute.TryDecode([33, 10, 0, 0, 0, 10, 0, 0, 1], out var routes));
        Assert.Null(routes);
    }

    [Theory]
    [InlineData(new byte[] { 24, 10, 0, 0, 10, 0, 0 })]
    [InlineData(new byte[] { 24, 10, 0 })]
    [InlineData(new byte[] { 0, 10, 0, 0, 1, 8 })]
    [InlineData(new byte[] { 32 })]
    public void A_route_cut_short_makes_the_option_malformed(byte[] value)
    {
        Assert.False(ClasslessStaticRoute.TryDecode(value, out _));
    }

    [Fact]
    public void An_empty_option_has_no_routes()
    {
        Assert.True(ClasslessStaticRoute.TryDecode([], out var routes));
        Assert.Empty(routes);
    }
}
