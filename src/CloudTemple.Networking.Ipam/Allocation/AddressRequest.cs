namespace CloudTemple.Networking.Ipam;

/// <summary>A request for one address of a subnet, on behalf of an owner.</summary>
/// <remarks>
/// Repeating a request with the same <see cref="Owner"/> and <see cref="RequestKey"/> returns the
/// allocation made the first time, as long as it is held (idempotent retries). Immutable and thread-safe.
/// </remarks>
public sealed record AddressRequest
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private AddressRequest(string space, Ipv4Prefix subnet, string owner, AllocationStrategy strategy, Ipv4Address address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(space);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        Space = space;
        Subnet = subnet;
        Owner = owner;
        Strategy = strategy;
        Address = address;
    }

    /// <summary>The address space's name.</summary>
    public string Space { get; }

    /// <summary>The subnet to allocate from.</summary>
    public Ipv4Prefix Subnet { get; }

    /// <summary>Who holds the address (for example a port id, a DHCP client id or a MAC address).</summary>
    public string Owner { get; }

    /// <summary>How the address is chosen.</summary>
    public AllocationStrategy Strategy { get; }

    /// <summary>The requested address when <see cref="Strategy"/> is <see cref="AllocationStrategy.Specific"/>.</summary>
    public Ipv4Address Address { get; }

    /// <summary>A key that makes retries idempotent (unique per owner), or null.</summary>
    public string? RequestKey { get; init; }

    /// <summary>Free-form data kept with the allocation (for example a VM name).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = NoMetadata;

    /// <summary>The next free address after the subnet's cursor.</summary>
    /// <param name="space">The address space's name.</param>
    /// <param name="subnet">The subnet.</param>
    /// <param name="owner">The owner.</param>
    /// <returns>The request.</returns>
    public static AddressRequest NextFree(string space, Ipv4Prefix subnet, string owner) =>
        new(space, subnet, owner, AllocationStrategy.NextFree, default);

    /// <summary>A free address chosen at random.</summary>
    /// <param name="space">The address space's name.</param>
    /// <param name="subnet">The subnet.</param>
    /// <param name="owner">The owner.</param>
    /// <returns>The request.</returns>
    public static AddressRequest Random(string space, Ipv4Prefix subnet, string owner) =>
        new(space, subnet, owner, AllocationStrategy.Random, default);

    /// <summary>Exactly <paramref name="address"/>.</summary>
    /// <param name="space">The address space's name.</param>
    /// <param name="subnet">The subnet.</param>
    /// <param name="address">The address.</param>
    /// <param name="owner">The owner.</param>
    /// <returns>The request.</returns>
    public static AddressRequest Specific(string space, Ipv4Prefix subnet, Ipv4Address address, string owner) =>
        new(space, subnet, owner, AllocationStrategy.Specific, address);
}
