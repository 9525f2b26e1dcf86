namespace CloudTemple.Networking.Ipam;

/// <summary>A subnet carved from a pool of an address space: the prefix addresses are allocated from.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record Subnet
{
    /// <summary>Creates a subnet description (stores create these; callers read them).</summary>
    /// <param name="space">The address space's name.</param>
    /// <param name="prefix">The subnet's CIDR.</param>
    /// <param name="pool">The pool it was carved from.</param>
    /// <param name="reservedAddresses">The reserved-address policy.</param>
    public Subnet(string space, Ipv4Prefix prefix, Ipv4Prefix pool, ReservedAddressPolicy reservedAddresses)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(space);
        ArgumentNullException.ThrowIfNull(reservedAddresses);
        Space = space;
        Prefix = prefix;
        Pool = pool;
        ReservedAddresses = reservedAddresses;
    }

    /// <summary>The address space's name.</summary>
    public string Space { get; }

    /// <summary>The subnet's CIDR.</summary>
    public Ipv4Prefix Prefix { get; }

    /// <summary>The pool it was carved from.</summary>
    public Ipv4Prefix Pool { get; }

    /// <summary>The reserved-address policy.</summary>
    public ReservedAddressPolicy ReservedAddresses { get; }

    /// <summary>The name (for example "prod-web"), unique within the space, or null.</summary>
    public string? Name { get; init; }

    /// <summary>The request key it was carved under (see <see cref="SubnetRequest.RequestKey"/>), or null.</summary>
    public string? RequestKey { get; init; }

    /// <summary>Address ranges inside the subnet that are never allocated.</summary>
    public IReadOnlyList<Ipv4AddressRange> Exclusions { get; init; } = [];

    /// <summary>When the subnet was carved.</summary>
    public DateTimeOffset CarvedAt { get; init; }

    /// <summary>The gateway (first host address) when the policy reserves it, else null.</summary>
    public Ipv4Address? Gateway =>
        ReservedAddresses.ReservesGateway && Prefix.Count > 2 ? new Ipv4Address(Prefix.Network.Value + 1) : null;

    /// <summary>Whether the address can never be allocated in this subnet (reserved by policy or excluded).</summary>
    /// <param name="address">An address inside the subnet.</param>
    /// <returns><see langword="true"/> when it is reserved or excluded.</returns>
    public bool IsReservedOrExcluded(Ipv4Address address) =>
        ReservedAddresses.IsReserved(address.Value - Prefix.Network.Value, Prefix.Count)
        || Exclusions.Any(range => range.Contains(address));

    /// <summary>Why an address can never be allocated in this subnet: its reserved role, or the exclusion range holding it.</summary>
    /// <param name="address">An address inside the subnet.</param>
    /// <returns>The reason, such as <c>gateway (policy Default)</c> or <c>excluded by range 10.0.0.2-10.0.0.9</c>; <see langword="null"/> when it can be allocated.</returns>
    public string? ReservationOf(Ipv4Address address)
    {
        if (ReservedAddresses.RoleOf(address.Value - Prefix.Network.Value, Prefix.Count) is { } role)
        {
            return $"{role} (policy {ReservedAddresses.Name})";
        }

        foreach (var range in Exclusions)
        {
            if (range.Contains(address))
            {
                return $"excluded by range {range}";
            }
        }

        return null;
    }

    /// <summary>
    /// The addresses automatic allocation may hand out: the whole prefix less the addresses its policy
    /// reserves and its exclusion ranges, as disjoint ranges in address order. Every store starts a new
    /// subnet's free space from this, so that they agree on it.
    /// </summary>
    /// <returns>The ranges (empty when nothing can be allocated).</returns>
    public IReadOnlyList<Ipv4AddressRange> AllocatableRanges()
    {
        ulong size = Prefix.Count;
        long first = Prefix.Network.Value;
        long last = Prefix.Last.Value;
        if (ReservedAddresses.ReservedCount(size) > 0)
        {
            first += ReservedAddresses.ReservedAtStart;
            last -= ReservedAddresses.ReservedAtEnd;
        }

        var ranges = new List<Ipv4AddressRange>();
        long next = first;
        foreach (var exclusion in Exclusions.OrderBy(e => e.First))
        {
            long from = exclusion.First.Value;
            if (from > next && next <= last)
            {
                ranges.Add(Range(next, Math.Min(from - 1, last)));
            }

            next = Math.Max(next, exclusion.Last.Value + 1L);
        }

        if (next <= last)
        {
            ranges.Add(Range(next, last));
        }

        return ranges;

        static Ipv4AddressRange Range(long a, long b) => new(new Ipv4Address((uint)a), new Ipv4Address((uint)b));
    }

    /// <summary>How many addresses can never be allocated (reserved by policy or excluded), each counted once.</summary>
    /// <returns><see cref="Ipv4Prefix.Count"/> less the size of <see cref="AllocatableRanges"/>.</returns>
    public ulong UnallocatableCount()
    {
        ulong free = 0;
        foreach (var range in AllocatableRanges())
        {
            free += range.Count;
        }

        return Prefix.Count - free;
    }

    /// <inheritdoc/>
    public bool Equals(Subnet? other) =>
        other is not null && Space == other.Space && Prefix == other.Prefix && Pool == other.Pool
        && ReservedAddresses.Equals(other.ReservedAddresses) && Name == other.Name && RequestKey == other.RequestKey
        && Exclusions.SequenceEqual(other.Exclusions) && CarvedAt == other.CarvedAt;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Space, Prefix);
}
