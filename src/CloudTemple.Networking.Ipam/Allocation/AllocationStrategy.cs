namespace CloudTemple.Networking.Ipam;

/// <summary>How an address is chosen inside a subnet.</summary>
public enum AllocationStrategy
{
    /// <summary>The first free address after the last one handed out by this strategy, wrapping around (a rotating cursor).</summary>
    NextFree,

    /// <summary>The first free address at or after a uniformly random position, wrapping around: concurrent allocators rarely collide.</summary>
    Random,

    /// <summary>Exactly the requested address (for example a DHCP reservation or a fixed IP).</summary>
    Specific,
}
