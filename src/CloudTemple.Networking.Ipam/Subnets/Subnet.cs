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

    /// <summary>A free-form name (for example "prod-web"), or null.</summary>
    public string? Name { get; init; }

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

    /// <inheritdoc/>
    public bool Equals(Subnet? other) =>
        other is not null && Space == other.Space && Prefix == other.Prefix && Pool == other.Pool
        && ReservedAddresses.Equals(other.ReservedAddresses) && Name == other.Name
        && Exclusions.SequenceEqual(other.Exclusions) && CarvedAt == other.CarvedAt;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Space, Prefix);
}
