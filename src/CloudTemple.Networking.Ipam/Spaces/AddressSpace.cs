namespace CloudTemple.Networking.Ipam;

/// <summary>
/// An address space: the addresses of one VPC (a VRF). Its pools and subnets never overlap each
/// other, while two spaces may use the same prefixes freely.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record AddressSpace
{
    /// <summary>Creates a space definition.</summary>
    /// <param name="name">A unique name, for example the VPC id.</param>
    /// <param name="pools">The CIDRs subnets are carved from (may be empty: add pools later).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public AddressSpace(string name, IEnumerable<Ipv4Prefix> pools)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(pools);
        Name = name;
        Pools = [.. pools];
    }

    /// <summary>The unique name, for example the VPC id.</summary>
    public string Name { get; }

    /// <summary>The pool CIDRs, in the order they were added.</summary>
    public IReadOnlyList<Ipv4Prefix> Pools { get; init; }

    /// <summary>
    /// How long a released address stays out of next-free and random allocation, so that stale ARP
    /// caches and policies do not reach its next owner. <see cref="TimeSpan.Zero"/> reuses at once.
    /// </summary>
    public TimeSpan ReuseHold { get; init; }

    /// <summary>The reserved-address policy of subnets carved without one (<see cref="ReservedAddressPolicy.Default"/> when null).</summary>
    public ReservedAddressPolicy? DefaultReservedAddresses { get; init; }

    /// <inheritdoc/>
    public bool Equals(AddressSpace? other) =>
        other is not null && Name == other.Name && Pools.SequenceEqual(other.Pools) && ReuseHold == other.ReuseHold
        && Equals(DefaultReservedAddresses, other.DefaultReservedAddresses);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Pools.Count, ReuseHold);
}
