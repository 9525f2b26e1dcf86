namespace CloudTemple.Networking.Ipam;

/// <summary>An address held by an owner.</summary>
/// <remarks>
/// Immutable and thread-safe. Equality compares <see cref="Metadata"/> by content, so that an
/// allocation read back from a durable store equals the one that was returned when it was made.
/// </remarks>
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
    /// <inheritdoc/>
    public bool Equals(AddressAllocation? other) =>
        other is not null && Space == other.Space && Subnet == other.Subnet && Address == other.Address
        && Owner == other.Owner && RequestKey == other.RequestKey && AllocatedAt == other.AllocatedAt
        && SameMetadata(Metadata, other.Metadata);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Space, Address, Owner);

    private static bool SameMetadata(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        ReferenceEquals(a, b)
        || (a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out string? value) && string.Equals(value, pair.Value, StringComparison.Ordinal)));
}
