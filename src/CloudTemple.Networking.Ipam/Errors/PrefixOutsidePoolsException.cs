namespace CloudTemple.Networking.Ipam;

/// <summary>A subnet was asked for outside every pool of the address space (or outside the pool named).</summary>
public sealed class PrefixOutsidePoolsException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="space">The address space.</param>
    /// <param name="requested">The CIDR (or pool) that was asked for.</param>
    /// <param name="pools">The pools of the space.</param>
    public PrefixOutsidePoolsException(string space, Ipv4Prefix requested, IReadOnlyList<Ipv4Prefix> pools)
        : base($"{requested} is not inside a pool of address space '{space}' (pools: {(pools.Count == 0 ? "none" : string.Join(", ", pools))}).")
    {
        Space = space;
        Requested = requested;
        Pools = pools;
    }

    /// <summary>The address space.</summary>
    public string Space { get; }

    /// <summary>The CIDR (or pool) that was asked for.</summary>
    public Ipv4Prefix Requested { get; }

    /// <summary>The pools of the space.</summary>
    public IReadOnlyList<Ipv4Prefix> Pools { get; }
}
