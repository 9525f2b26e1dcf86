namespace CloudTemple.Networking.Core.Tests.Addressing;

public class Ipv4PrefixTests
{
    [Fact]
    public void Parse_refuses_host_bits_and_names_the_network_meant()
    {
        var error = Assert.Throws<FormatException>(() => Ipv4Prefix.Parse("10.0.0.1/24"));
        Assert.Contains("host bits", error.Message);
        Assert.Contains("10.0.0.0/24", error.Message);
    }

    [Fact]
    public void Normalizing_parse_clears_host_bits()
    {
        Assert.Equal(Ipv4Prefix.Parse("10.0.0.0/24"), Ipv4Prefix.Parse("10.0.0.1/24", Ipv4PrefixParseMode.NormalizeHostBits));
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/08")]
    [InlineData("10.0.0/8")]
    [InlineData("010.0.0.0/8")]
    [InlineData("256.0.0.0/8")]
    [InlineData(" 10.0.0.0/8")]
    [InlineData("")]
    public void Malformed_text_is_refused(string text)
    {
        Assert.False(Ipv4Prefix.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Ipv4Prefix.Parse(text));
    }

    [Fact]
    public void Constructor_refuses_host_bits()
    {
        var error = Assert.Throws<ArgumentException>(() => new Ipv4Prefix(Ipv4Address.Parse("192.168.1.1"), 16));
        Assert.Contains("192.168.0.0/16", error.Message);
    }

    [Fact]
    public void Edges_of_the_address_space()
    {
        var all = Ipv4Prefix.Parse("0.0.0.0/0");
        Assert.Equal(1UL << 32, all.Count);
        Assert.Equal(Ipv4Address.Broadcast, all.Last);
        Assert.True(all.Contains(Ipv4Prefix.Parse("255.255.255.255/32")));
        Assert.Throws<InvalidOperationException>(() => all.Supernet());
        var host = Ipv4Prefix.Parse("255.255.255.255/32");
        Assert.Equal(1UL, host.Count);
        Assert.Equal(host.First, host.Last);
    }

    [Fact]
    public void GetSubnet_indexes_in_address_order()
    {
        var vpc = Ipv4Prefix.Parse("10.0.0.0/16");
        Assert.Equal(Ipv4Prefix.Parse("10.0.3.0/24"), vpc.GetSubnet(24, 3));
        Assert.Equal(256UL, vpc.SubnetCount(24));
        Assert.Throws<ArgumentOutOfRangeException>(() => vpc.GetSubnet(24, 256));
        Assert.Throws<ArgumentOutOfRangeException>(() => vpc.GetSubnet(8, 0));
    }

    [Fact]
    public void Sorting_orders_by_network_then_length()
    {
        var sorted = new[] { "10.0.1.0/24", "10.0.0.0/24", "10.0.0.0/16" }.Select(Ipv4Prefix.Parse).Order().Select(p => p.ToString());
        Assert.Equal(["10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24"], sorted);
    }

    [Fact]
    public void Ipv6_networks_are_refused_with_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Ipv4Prefix.FromIPNetwork(System.Net.IPNetwork.Parse("2001:db8::/32")));
        Assert.Contains("not an IPv4 address", error.Message);
    }
}
