namespace CloudTemple.Networking.Ipam;

/// <summary>An address held by an owner.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
/// <param name="Space">The address space's name.</param>
/// <param name="Subnet">The subnet the address belongs to.</param>
/// <param name="Address">The address.</param>
/// <param name="Owner">Who holds it.</param>
/// <param name="RequestKey">The idempotency key of the request that made it, or null.</param>
/// <param name="Metadata">Free-form data given with the request.</param>
/// <param name="AllocatedAt">When it was allocated.</param>
public sealed record AddressAllocation(
    string Space,
    Ipv4Prefix Subnet,
    Ipv4Address Address,
    string Owner,
    string? RequestKey,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset AllocatedAt);
