namespace CloudTemple.Networking.Ipam;

/// <summary>A specific address was asked for that the subnet reserves by policy or excludes.</summary>
public sealed class AddressReservedException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="address">The address.</param>
    /// <param name="subnet">The subnet.</param>
    /// <param name="reason">Why it is reserved, for example "gateway (policy Default)" or "excluded by 10.0.0.10-10.0.0.20".</param>
    public AddressReservedException(Ipv4Address address, Ipv4Prefix subnet, string reason)
        : base($"{address} is reserved in subnet {subnet}: {reason}.")
    {
        Address = address;
        Subnet = subnet;
        Reason = reason;
    }

    /// <summary>The address.</summary>
    public Ipv4Address Address { get; }

    /// <summary>The subnet.</summary>
    public Ipv4Prefix Subnet { get; }

    /// <summary>Why it is reserved.</summary>
    public string Reason { get; }
}
