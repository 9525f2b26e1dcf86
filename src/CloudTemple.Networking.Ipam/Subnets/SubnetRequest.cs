namespace CloudTemple.Networking.Ipam;

/// <summary>
/// A request to carve a subnet: either an explicit CIDR, or the next free prefix of a length
/// (smallest fitting hole first) inside one pool or any pool of the space.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record SubnetRequest
{
    private SubnetRequest(string space, Ipv4Prefix? prefix, int length, Ipv4Prefix? pool)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(space);
        Space = space;
        Prefix = prefix;
        Length = length;
        Pool = pool;
    }

    /// <summary>The address space's name.</summary>
    public string Space { get; }

    /// <summary>The explicit CIDR, or null for a next-free request.</summary>
    public Ipv4Prefix? Prefix { get; }

    /// <summary>The prefix length of the subnet.</summary>
    public int Length { get; }

    /// <summary>The pool to carve from, or null for any pool of the space.</summary>
    public Ipv4Prefix? Pool { get; }

    /// <summary>
    /// A name, unique within the space (for example "prod-web"), or null: names are optional, and
    /// any number of subnets may have none. Carving a second subnet with a name in use throws
    /// <see cref="SubnetNameInUseException"/>; find a subnet by name with <see cref="IIpamStore.GetSubnetByNameAsync"/>.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>
    /// A key that makes the carve idempotent, unique within the space, or null. Repeating a request
    /// with the same key returns the subnet carved the first time, as long as it exists (so that a
    /// host restarting runs "the next /24 for web" again and gets the same subnet); a request that
    /// does not match that subnet (another length, CIDR, pool, name, policy or exclusions) throws
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public string? RequestKey { get; init; }

    /// <summary>The reserved-address policy, or null for the space's default.</summary>
    public ReservedAddressPolicy? ReservedAddresses { get; init; }

    /// <summary>Address ranges never to allocate; each must lie inside the subnet.</summary>
    public IReadOnlyList<Ipv4AddressRange> Exclusions { get; init; } = [];

    /// <summary>Carve exactly <paramref name="prefix"/>.</summary>
    /// <param name="space">The address space's name.</param>
    /// <param name="prefix">The CIDR, /8 to /32, inside a pool of the space.</param>
    /// <returns>The request.</returns>
    public static SubnetRequest Explicit(string space, Ipv4Prefix prefix)
    {
        ThrowIfBadLength(prefix.Length);
        return new(space, prefix, prefix.Length, null);
    }

    /// <summary>Carve the next free /<paramref name="length"/>, choosing the smallest hole that fits.</summary>
    /// <param name="space">The address space's name.</param>
    /// <param name="length">The prefix length, 8 to 32.</param>
    /// <param name="pool">One pool of the space to carve from, or null for any.</param>
    /// <returns>The request.</returns>
    public static SubnetRequest NextFree(string space, int length, Ipv4Prefix? pool = null)
    {
        ThrowIfBadLength(length);
        return new(space, null, length, pool);
    }

    private static void ThrowIfBadLength(int length)
    {
        // A /8 subnet is 16 M addresses (a 2 MiB bitmap); larger subnets are not allocated address by address.
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 32);
    }
}
