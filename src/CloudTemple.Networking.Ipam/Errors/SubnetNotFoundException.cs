namespace CloudTemple.Networking.Ipam;

/// <summary>No subnet with the given CIDR is carved in the space.</summary>
public sealed class SubnetNotFoundException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="space">The address space.</param>
    /// <param name="subnet">The CIDR that was not found.</param>
    public SubnetNotFoundException(string space, Ipv4Prefix subnet)
        : base($"No subnet {subnet} is carved in address space '{space}'.")
    {
        Space = space;
        Subnet = subnet;
    }

    /// <summary>The address space.</summary>
    public string Space { get; }

    /// <summary>The CIDR that was not found.</summary>
    public Ipv4Prefix Subnet { get; }
}
