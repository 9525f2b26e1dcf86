namespace CloudTemple.Networking.Ipam.Tests.Subnets;

/// <summary>
/// The edges of the reserved-address presets: the first and last addresses that are reserved and the first
/// ones that are not, the smallest subnet each preset accepts, and how presets are named and compared.
/// </summary>
public class ReservedAddressBoundaryTests
{
    [Fact]
    public void Ovn_reserves_only_the_network_and_broadcast_addresses_of_a_slash_30()
    {
        var ovn = ReservedAddressPolicy.Ovn;

        Assert.True(ovn.IsReserved(0, 4));
        Assert.False(ovn.IsReserved(1, 4));
        Assert.False(ovn.IsReserved(2, 4));
        Assert.True(ovn.IsReserved(3, 4));
        Assert.Equal(2, ovn.ReservedCount(4));
        Assert.False(ovn.ReservesGateway);
    }

    [Fact]
    public void Aws_reserves_the_first_four_and_the_last_address()
    {
        var aws = ReservedAddressPolicy.Aws;

        Assert.True(aws.IsReserved(3, 16));
        Assert.False(aws.IsReserved(4, 16));
        Assert.False(aws.IsReserved(14, 16));
        Assert.True(aws.IsReserved(15, 16));
        Assert.Equal("reserved for future use", aws.RoleOf(3, 16));
        Assert.Equal("broadcast address", aws.RoleOf(15, 16));
        Assert.Null(aws.RoleOf(14, 16));
        Assert.Equal(5, aws.ReservedCount(8));
    }

    [Fact]
    public void A_custom_policy_names_each_address_of_its_end_block()
    {
        var policy = new ReservedAddressPolicy("Lab", 1, 3);

        Assert.Equal("reserved", policy.RoleOf(61, 64));
        Assert.Equal("reserved", policy.RoleOf(63, 64));
        Assert.Null(policy.RoleOf(60, 64));
        Assert.False(policy.IsReserved(1, 64));
        Assert.False(policy.ReservesGateway);
        Assert.True(new ReservedAddressPolicy("Two", 2, 0).ReservesGateway);
    }

    [Theory]
    [InlineData(5UL, true)]
    [InlineData(6UL, false)]
    [InlineData(8UL, false)]
    public void Aws_refuses_a_subnet_it_would_use_up(ulong size, bool refused)
    {
        if (refused)
        {
            Assert.Throws<ArgumentException>(() => ReservedAddressPolicy.Aws.ThrowIfTooSmall(size));
        }
        else
        {
            ReservedAddressPolicy.Aws.ThrowIfTooSmall(size);
            Assert.Equal(5, ReservedAddressPolicy.Aws.ReservedCount(size));
        }
    }

    [Fact]
    public void A_slash_31_is_never_refused_and_never_reserved()
    {
        ReservedAddressPolicy.Aws.ThrowIfTooSmall(2);

        Assert.False(ReservedAddressPolicy.Ovn.IsReserved(1, 2));
        Assert.Null(ReservedAddressPolicy.Ovn.RoleOf(0, 2));
    }

    [Fact]
    public void Presets_are_found_by_name_whatever_the_case_and_compare_by_value()
    {
        Assert.Same(ReservedAddressPolicy.Azure, ReservedAddressPolicy.FromName("azure"));
        Assert.Same(ReservedAddressPolicy.None, ReservedAddressPolicy.FromName("NONE"));
        Assert.Equal(new ReservedAddressPolicy("Ovn", 1, 1), ReservedAddressPolicy.Ovn);
        Assert.NotEqual(new ReservedAddressPolicy("Ovn", 1, 2), ReservedAddressPolicy.Ovn);
        Assert.NotEqual(new ReservedAddressPolicy("Ovn", 2, 1), ReservedAddressPolicy.Ovn);
        Assert.NotEqual(new ReservedAddressPolicy("Ovm", 1, 1), ReservedAddressPolicy.Ovn);
        Assert.Equal(new ReservedAddressPolicy("Ovn", 1, 1).GetHashCode(), ReservedAddressPolicy.Ovn.GetHashCode());
        Assert.Equal("Aws (4 + 1)", ReservedAddressPolicy.Aws.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReservedAddressPolicy("Bad", -1, 0));
    }
}
