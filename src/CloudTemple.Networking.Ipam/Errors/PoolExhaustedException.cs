namespace CloudTemple.Networking.Ipam;

/// <summary>No free prefix of the requested length is left in the pools searched.</summary>
public sealed class PoolExhaustedException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="space">The address space.</param>
    /// <param name="length">The prefix length asked for.</param>
    /// <param name="pools">The pools searched.</param>
    public PoolExhaustedException(string space, int length, IReadOnlyList<Ipv4Prefix> pools)
        : base($"No free /{length} is left in {(pools.Count == 1 ? "pool" : "pools")} {(pools.Count == 0 ? "(none)" : string.Join(", ", pools))} of address space '{space}'.")
    {
        Space = space;
        Length = length;
        Pools = pools;
    }

    /// <summary>The address space.</summary>
    public string Space { get; }

    /// <summary>The prefix length asked for.</summary>
    public int Length { get; }

    /// <summary>The pools searched.</summary>
    public IReadOnlyList<Ipv4Prefix> Pools { get; }
}
