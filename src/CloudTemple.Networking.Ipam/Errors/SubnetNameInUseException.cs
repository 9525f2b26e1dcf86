namespace CloudTemple.Networking.Ipam;

/// <summary>A subnet name is taken by another subnet of the same address space (names are unique within a space).</summary>
public sealed class SubnetNameInUseException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="space">The address space.</param>
    /// <param name="name">The name.</param>
    /// <param name="existing">The subnet that has the name.</param>
    /// <param name="requested">The subnet that was to be carved with it.</param>
    public SubnetNameInUseException(string space, string name, Ipv4Prefix existing, Ipv4Prefix requested)
        : base($"Subnet name '{name}' is taken by {existing} in address space '{space}'; {requested} cannot have it too.")
    {
        Space = space;
        Name = name;
        Existing = existing;
        Requested = requested;
    }

    /// <summary>The address space.</summary>
    public string Space { get; }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The subnet that has the name.</summary>
    public Ipv4Prefix Existing { get; }

    /// <summary>The subnet that was to be carved with it.</summary>
    public Ipv4Prefix Requested { get; }
}
