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
    DateTimeOffset AllocatedAt)
{
    // Metadata compares by content: an allocation read back from a durable store equals the one it stored.

    /// <inheritdoc/>
    public bool Equals(AddressAllocation? other) =>
        other is not null && Space == other.Space && Subnet == other.Subnet && Address == other.Address
        && Owner == other.Owner && RequestKey == other.RequestKey && AllocatedAt == other.AllocatedAt
        && Metadata.Count == other.Metadata.Count
        && Metadata.All(pair => other.Metadata.TryGetValue(pair.Key, out string? value) && value == pair.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Space, Subnet, Address, Owner, RequestKey, AllocatedAt);
}
