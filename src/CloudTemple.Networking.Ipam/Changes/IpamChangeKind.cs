namespace CloudTemple.Networking.Ipam;

/// <summary>What an <see cref="IpamChange"/> reports.</summary>
public enum IpamChangeKind
{
    /// <summary>An address space was created.</summary>
    SpaceCreated,

    /// <summary>An address space was deleted with everything in it.</summary>
    SpaceDeleted,

    /// <summary>A pool was added to a space.</summary>
    PoolAdded,

    /// <summary>A subnet was carved.</summary>
    SubnetCarved,

    /// <summary>A subnet was released back to its pool.</summary>
    SubnetReleased,

    /// <summary>An address was allocated.</summary>
    AddressAllocated,

    /// <summary>An address was released (by itself, with its owner, or with a forced subnet release).</summary>
    AddressReleased,
}
