namespace CloudTemple.Networking.Dhcp;

/// <summary>
/// The IPAM subnet behind a DHCP subnet could hand out an address that lies outside the DHCP dynamic range,
/// so DHCP and IPAM would disagree about who owns it. Exclude the address in IPAM or widen the DHCP range.
/// </summary>
public sealed class DhcpPoolMismatchException : NetworkingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="space">The IPAM address space.</param>
    /// <param name="subnet">The subnet.</param>
    /// <param name="address">An address that IPAM may allocate but the DHCP range does not contain.</param>
    /// <param name="poolStart">The first address of the DHCP range.</param>
    /// <param name="poolEnd">The last address of the DHCP range.</param>
    public DhcpPoolMismatchException(string space, Ipv4Prefix subnet, Ipv4Address address, Ipv4Address poolStart, Ipv4Address poolEnd)
        : base($"IPAM subnet {subnet} of address space '{space}' can allocate {address}, which lies outside the DHCP range {poolStart}-{poolEnd}; exclude it in IPAM or widen the DHCP range.")
    {
        Space = space;
        Subnet = subnet;
        Address = address;
    }

    /// <summary>The IPAM address space.</summary>
    public string Space { get; }

    /// <summary>The subnet.</summary>
    public Ipv4Prefix Subnet { get; }

    /// <summary>The first address that IPAM may allocate outside the DHCP range.</summary>
    public Ipv4Address Address { get; }
}
