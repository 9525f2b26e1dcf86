namespace CloudTemple.Networking.Ipam;

/// <summary>A subnet still holding allocations was asked to be released without force.</summary>
public sealed class SubnetNotEmptyException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="space">The address space.</param>
    /// <param name="subnet">The subnet.</param>
    /// <param name="allocated">How many addresses it holds.</param>
    public SubnetNotEmptyException(string space, Ipv4Prefix subnet, ulong allocated)
        : base($"Subnet {subnet} of address space '{space}' still holds {allocated} allocated addresses; release them first or release the subnet with force.")
    {
        Space = space;
        Subnet = subnet;
        Allocated = allocated;
    }

    /// <summary>The address space.</summary>
    public string Space { get; }

    /// <summary>The subnet.</summary>
    public Ipv4Prefix Subnet { get; }

    /// <summary>How many addresses it holds.</summary>
    public ulong Allocated { get; }
}
