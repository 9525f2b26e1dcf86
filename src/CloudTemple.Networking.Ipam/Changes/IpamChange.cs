namespace CloudTemple.Networking.Ipam;

/// <summary>One change of IPAM state, as published on <see cref="IpamService.Changes"/>.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
/// <param name="Kind">What happened.</param>
/// <param name="Space">The address space's name.</param>
/// <param name="Prefix">The pool or subnet concerned, or null for space-level changes.</param>
/// <param name="Allocation">The allocation for address changes, else null.</param>
/// <param name="At">When it happened.</param>
public sealed record IpamChange(IpamChangeKind Kind, string Space, Ipv4Prefix? Prefix, AddressAllocation? Allocation, DateTimeOffset At);
