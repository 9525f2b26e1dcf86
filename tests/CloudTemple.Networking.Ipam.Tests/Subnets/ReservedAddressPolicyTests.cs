namespace CloudTemple.Networking.Ipam.Tests.Subnets;

public class ReservedAddressPolicyTests
{
    [Theory]
    [InlineData("None", 0, 0)]
    [InlineData("Default", 2, 1)]
    [InlineData("Aws", 4, 1)]
    [InlineData("azure", 4, 1)]
    [InlineData("OVN", 1, 1)]
    public void Presets_reserve_the_documented_number_of_addresses(string name, int atStart, int atEnd)
    {
        var policy = ReservedAddressPolicy.FromName(name);
        Assert.Equal(atStart, policy.ReservedAtStart);
        Assert.Equal(atEnd, policy.ReservedAtEnd);
        Assert.Equal(atStart + atEnd, policy.ReservedCount(256));
    }

    [Fact]
    public void Roles_name_each_reserved_address()
    {
        Assert.Equal("network address", ReservedAddressPolicy.Aws.RoleOf(0, 256));
        Assert.Equal("VPC router", ReservedAddressPolicy.Aws.RoleOf(1, 256));
        Assert.Equal("DNS server", ReservedAddressPolicy.Aws.RoleOf(2, 256));
        Assert.Equal("broadcast address", ReservedAddressPolicy.Aws.RoleOf(255, 256));
        Assert.Null(ReservedAddressPolicy.Aws.RoleOf(4, 256));
        Assert.Equal("gateway", ReservedAddressPolicy.Default.RoleOf(1, 256));
        Assert.Null(ReservedAddressPolicy.Ovn.RoleOf(1, 256));
    }

    [Theory]
    [InlineData(2UL)]
    [InlineData(1UL)]
    public void Point_to_point_and_host_subnets_reserve_nothing(ulong size)
    {
        Assert.Equal(0, ReservedAddressPolicy.Aws.ReservedCount(size));
        Assert.False(ReservedAddressPolicy.Default.IsReserved(0, size));
    }

    [Fact]
    public void A_policy_that_leaves_nothing_to_allocate_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ReservedAddressPolicy.Aws.ReservedCount(4));
        Assert.Throws<ArgumentException>(() => ReservedAddressPolicy.FromName("gcp"));
        Assert.Equal(3, ReservedAddressPolicy.Default.ReservedCount(4));
    }

    [Fact]
    public void A_custom_policy_reserves_what_it_says()
    {
        var policy = new ReservedAddressPolicy("Lab", 10, 2);
        Assert.True(policy.IsReserved(9, 64));
        Assert.False(policy.IsReserved(10, 64));
        Assert.True(policy.IsReserved(62, 64));
        Assert.Equal("reserved", policy.RoleOf(0, 64));
        Assert.True(policy.ReservesGateway);
    }

    [Fact]
    public void Address_ranges_parse_and_count()
    {
        var range = Ipv4AddressRange.Parse("10.0.0.10-10.0.0.19");
        Assert.Equal(10UL, range.Count);
        Assert.True(range.Contains(Ipv4Address.Parse("10.0.0.19")));
        Assert.False(range.Contains(Ipv4Address.Parse("10.0.0.20")));
        Assert.Equal("10.0.0.10-10.0.0.19", range.ToString());
        Assert.Equal(1UL, Ipv4AddressRange.Parse("10.0.0.7").Count);
        Assert.Throws<FormatException>(() => Ipv4AddressRange.Parse("10.0.0.9-10.0.0.1"));
        Assert.Throws<ArgumentException>(() => new Ipv4AddressRange(Ipv4Address.Parse("10.0.0.9"), Ipv4Address.Parse("10.0.0.1")));
    }
}
