namespace CloudTemple.Networking.Ipam;

/// <summary>Every address of the subnet is reserved, allocated or in its reuse hold.</summary>
public sealed class SubnetExhaustedException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="space">The address space.</param>
    /// <param name="subnet">The exhausted subnet.</param>
    /// <param name="utilization">Its counts when the request failed.</param>
    public SubnetExhaustedException(string space, Ipv4Prefix subnet, IpamUtilization utilization)
        : base($"Subnet {subnet} of address space '{space}' has no free address: {utilization.Allocated} allocated, {utilization.Reserved} reserved or excluded, {utilization.Held} in reuse hold.")
    {
        Space = space;
        Subnet = subnet;
        Utilization = utilization;
    }

    /// <summary>The address space.</summary>
    public string Space { get; }

    /// <summary>The exhausted subnet.</summary>
    public Ipv4Prefix Subnet { get; }

    /// <summary>Its counts when the request failed.</summary>
    public IpamUtilization Utilization { get; }
}
