namespace CloudTemple.Networking.Ipam;

/// <summary>An address was asked for (or excluded) outside the subnet named.</summary>
public sealed class AddressOutsideSubnetException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="address">The address.</param>
    /// <param name="subnet">The subnet it is not in.</param>
    public AddressOutsideSubnetException(Ipv4Address address, Ipv4Prefix subnet)
        : base($"{address} is outside subnet {subnet} ({subnet.First} - {subnet.Last}).")
    {
        Address = address;
        Subnet = subnet;
    }

    /// <summary>The address.</summary>
    public Ipv4Address Address { get; }

    /// <summary>The subnet it is not in.</summary>
    public Ipv4Prefix Subnet { get; }
}
