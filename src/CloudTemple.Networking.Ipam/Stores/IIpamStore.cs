namespace CloudTemple.Networking.Ipam;

/// <summary>
/// Where IPAM state lives. Each method is one atomic operation: it either completes entirely or
/// changes nothing and throws, so that two processes sharing one durable store can never hand out
/// the same address or carve overlapping subnets.
/// </summary>
/// <remarks>
/// <para>
/// Implementations must be thread-safe. A SQL implementation runs each method as one transaction:
/// for example <see cref="AllocateAsync"/> is "lock the subnet row (<c>SELECT ... FOR UPDATE</c>),
/// choose a free address, insert the allocation (unique on space + address, and on owner + request
/// key), update the counters", and <see cref="CarveSubnetAsync"/> locks the space row. Counters
/// kept per subnet, pool and space make the utilization queries O(1).
/// </para>
/// <para>
/// Times are passed in (<c>now</c>) rather than read by the store, so that every clock is the
/// caller's <see cref="TimeProvider"/>. The reuse hold of released addresses is the space's
/// <see cref="AddressSpace.ReuseHold"/>: next-free and random allocation skip an address until
/// <c>releasedAt + ReuseHold</c>; a specific request may take it earlier (an explicit choice).
/// </para>
/// <para>
/// Domain errors are the <see cref="IpamException"/> types; every implementation throws the same
/// type for the same situation (the conformance suite checks this).
/// </para>
/// </remarks>
public interface IIpamStore
{
    /// <summary>Creates an address space with its pools.</summary>
    /// <param name="space">The definition; its pools must not overlap each other.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored definition.</returns>
    /// <exception cref="AddressSpaceExistsException">The name is taken.</exception>
    /// <exception cref="PrefixOverlapException">Two pools overlap.</exception>
    ValueTask<AddressSpace> CreateSpaceAsync(AddressSpace space, CancellationToken cancellationToken);

    /// <summary>
    /// Creates an address space unless it exists; returns the stored definition when it exists with the
    /// same definition (name, pools in order, reuse hold, default policy). Atomic, so that hosts starting
    /// at once on one durable store all succeed and agree.
    /// </summary>
    /// <param name="space">The definition; its pools must not overlap each other.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored definition.</returns>
    /// <exception cref="AddressSpaceConflictException">The space exists with another definition (the message names the difference).</exception>
    /// <exception cref="PrefixOverlapException">Two pools overlap.</exception>
    ValueTask<AddressSpace> EnsureSpaceAsync(AddressSpace space, CancellationToken cancellationToken);

    /// <summary>Adds a pool CIDR to a space.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="pool">The CIDR; it must not overlap the space's other pools.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The updated definition.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="PrefixOverlapException">The pool overlaps another pool of the space.</exception>
    ValueTask<AddressSpace> AddPoolAsync(string space, Ipv4Prefix pool, CancellationToken cancellationToken);

    /// <summary>Deletes a space with everything in it (the VPC is gone).</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the space existed.</returns>
    ValueTask<bool> DeleteSpaceAsync(string space, CancellationToken cancellationToken);

    /// <summary>Reads a space's definition.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The definition, or null when there is no such space.</returns>
    ValueTask<AddressSpace?> GetSpaceAsync(string space, CancellationToken cancellationToken);

    /// <summary>Lists every space, ordered by name.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The definitions.</returns>
    ValueTask<IReadOnlyList<AddressSpace>> ListSpacesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Carves a subnet: an explicit CIDR, or the next free prefix of a length (smallest fitting hole
    /// first, then lowest address). A request with a <see cref="SubnetRequest.RequestKey"/> that the
    /// space holds returns the subnet carved under it and changes nothing.
    /// </summary>
    /// <param name="request">What to carve.</param>
    /// <param name="now">The carve time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The subnet.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="PrefixOverlapException">The explicit CIDR overlaps a subnet of the space (both are named).</exception>
    /// <exception cref="PrefixOutsidePoolsException">The CIDR (or the pool named) is not inside a pool of the space.</exception>
    /// <exception cref="PoolExhaustedException">No free prefix of the length is left.</exception>
    /// <exception cref="AddressOutsideSubnetException">An exclusion range reaches outside the subnet.</exception>
    /// <exception cref="SubnetNameInUseException">Another subnet of the space has the name (both are named).</exception>
    /// <exception cref="ArgumentException">The subnet is too small for its reserved-address policy, or the request key was used for another request.</exception>
    ValueTask<Subnet> CarveSubnetAsync(SubnetRequest request, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Releases a subnet back to its pool (merging free space); refused while it holds allocations unless <paramref name="force"/>.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="subnet">The subnet's CIDR.</param>
    /// <param name="force">Whether to drop the subnet's allocations too.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The allocations dropped with the subnet (empty unless forced).</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="SubnetNotFoundException">No such subnet.</exception>
    /// <exception cref="SubnetNotEmptyException">The subnet holds allocations and <paramref name="force"/> is false.</exception>
    ValueTask<IReadOnlyList<AddressAllocation>> ReleaseSubnetAsync(string space, Ipv4Prefix subnet, bool force, CancellationToken cancellationToken);

    /// <summary>Reads a subnet.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="subnet">The subnet's CIDR.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The subnet, or null when it is not carved.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    ValueTask<Subnet?> GetSubnetAsync(string space, Ipv4Prefix subnet, CancellationToken cancellationToken);

    /// <summary>Finds a subnet by its name.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="name">The subnet's name (exact, case-sensitive).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The subnet, or null when no subnet of the space has the name.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    ValueTask<Subnet?> GetSubnetByNameAsync(string space, string name, CancellationToken cancellationToken);

    /// <summary>Lists the subnets of a space in address order.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The subnets.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    ValueTask<IReadOnlyList<Subnet>> ListSubnetsAsync(string space, CancellationToken cancellationToken);

    /// <summary>
    /// Allocates an address: next-free, random among free, or specific. A request whose owner and
    /// request key match a held allocation returns that allocation; a specific request for an
    /// address the same owner holds returns it too.
    /// </summary>
    /// <param name="request">What to allocate.</param>
    /// <param name="now">The allocation time (also ends expired reuse holds).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The allocation, and whether this call made it.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="SubnetNotFoundException">No such subnet.</exception>
    /// <exception cref="SubnetExhaustedException">No address is free.</exception>
    /// <exception cref="AddressOutsideSubnetException">The specific address is outside the subnet.</exception>
    /// <exception cref="AddressReservedException">The specific address is reserved or excluded.</exception>
    /// <exception cref="AddressInUseException">The specific address is held by another owner.</exception>
    ValueTask<AddressAllocationResult> AllocateAsync(AddressRequest request, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Releases an address; it then waits for the space's reuse hold before next-free or random allocation hands it out again.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="address">The address.</param>
    /// <param name="owner">When not null, the release is refused unless this owner holds the address.</param>
    /// <param name="now">The release time (the hold starts here).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The released allocation, or null when the address was not allocated.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="AddressInUseException">Another owner holds the address.</exception>
    ValueTask<AddressAllocation?> ReleaseAsync(string space, Ipv4Address address, string? owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Releases every address an owner holds in a space (for example when a port is deleted).</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="owner">The owner.</param>
    /// <param name="now">The release time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The released allocations, in address order.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    ValueTask<IReadOnlyList<AddressAllocation>> ReleaseOwnerAsync(string space, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Finds the allocation of an address.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="address">The address.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The allocation, or null.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    ValueTask<AddressAllocation?> FindByAddressAsync(string space, Ipv4Address address, CancellationToken cancellationToken);

    /// <summary>Finds every allocation of an owner in a space.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="owner">The owner.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The allocations, in address order.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    ValueTask<IReadOnlyList<AddressAllocation>> FindByOwnerAsync(string space, string owner, CancellationToken cancellationToken);

    /// <summary>Lists the allocations of a subnet.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="subnet">The subnet's CIDR.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The allocations, in address order.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="SubnetNotFoundException">No such subnet.</exception>
    ValueTask<IReadOnlyList<AddressAllocation>> ListAllocationsAsync(string space, Ipv4Prefix subnet, CancellationToken cancellationToken);

    /// <summary>The exact counts of a subnet.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="subnet">The subnet's CIDR.</param>
    /// <param name="now">The time at which reuse holds are judged.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="SubnetNotFoundException">No such subnet.</exception>
    ValueTask<IpamUtilization> GetSubnetUtilizationAsync(string space, Ipv4Prefix subnet, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The exact counts of a pool (uncarved addresses count as free).</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="pool">The pool's CIDR.</param>
    /// <param name="now">The time at which reuse holds are judged.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="PrefixOutsidePoolsException">The space has no such pool.</exception>
    ValueTask<IpamUtilization> GetPoolUtilizationAsync(string space, Ipv4Prefix pool, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The exact counts of a whole space (the sum of its pools).</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="now">The time at which reuse holds are judged.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    ValueTask<IpamUtilization> GetSpaceUtilizationAsync(string space, DateTimeOffset now, CancellationToken cancellationToken);
}
