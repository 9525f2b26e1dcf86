namespace CloudTemple.Networking.Ipam;

/// <summary>The answer of <see cref="IIpamStore.AllocateAsync"/>: the allocation, and whether this call made it.</summary>
/// <param name="Allocation">The allocation.</param>
/// <param name="IsNew">False when an idempotent retry (same owner and request key, or a specific address the owner holds) returned an existing allocation.</param>
public readonly record struct AddressAllocationResult(AddressAllocation Allocation, bool IsNew);
