using System.Collections.Concurrent;

namespace CloudTemple.Networking.Ipam;

/// <summary>
/// The embedded <see cref="IIpamStore"/>: state in process memory, lost on restart. Per subnet a
/// hierarchical free-address bitmap (next-free in a few word reads at any fill level), per pool a
/// buddy structure of free blocks, and running counters for O(1) utilization.
/// </summary>
/// <remarks>
/// Thread-safe: each address space has its own lock, so that operations on different spaces
/// (VPCs) run in parallel, and each method is atomic. Every method completes synchronously.
/// </remarks>
public sealed class InMemoryIpamStore : IIpamStore
{
    private readonly ConcurrentDictionary<string, SpaceState> _spaces = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask<AddressSpace> CreateSpaceAsync(AddressSpace space, CancellationToken cancellationToken)
    {
        var state = NewSpace(space, cancellationToken);
        return _spaces.TryAdd(space.Name, state) ? new(space) : throw new AddressSpaceExistsException(space.Name);
    }

    /// <inheritdoc/>
    public ValueTask<AddressSpace> EnsureSpaceAsync(AddressSpace space, CancellationToken cancellationToken)
    {
        var state = NewSpace(space, cancellationToken);
        var stored = _spaces.GetOrAdd(space.Name, state);
        lock (stored.Gate)
        {
            return stored.Definition.Equals(space) ? new(stored.Definition) : throw new AddressSpaceConflictException(stored.Definition, space);
        }
    }

    private static SpaceState NewSpace(AddressSpace space, CancellationToken cancellationToken)
    {
        SubnetLayout.ThrowIfInvalid(space);
        cancellationToken.ThrowIfCancellationRequested();

        var state = new SpaceState(space);
        foreach (var pool in space.Pools)
        {
            AddPool(state, pool);
        }

        return state;
    }

    /// <inheritdoc/>
    public ValueTask<AddressSpace> AddPoolAsync(string space, Ipv4Prefix pool, CancellationToken cancellationToken)
    {
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            foreach (var existing in state.Pools)
            {
                if (existing.Prefix.Overlaps(pool))
                {
                    throw new PrefixOverlapException(space, pool, existing.Prefix, "pool");
                }
            }

            AddPool(state, pool);
            state.Definition = state.Definition with { Pools = [.. state.Definition.Pools, pool] };
            return new(state.Definition);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteSpaceAsync(string space, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_spaces.TryRemove(space, out var state))
        {
            return new(false);
        }

        lock (state.Gate)
        {
            state.Deleted = true;
        }

        return new(true);
    }

    /// <inheritdoc/>
    public ValueTask<AddressSpace?> GetSpaceAsync(string space, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        cancellationToken.ThrowIfCancellationRequested();
        return new(_spaces.TryGetValue(space, out var state) ? state.Definition : null);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AddressSpace>> ListSpacesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<AddressSpace> spaces = [.. _spaces.Values.Select(s => s.Definition).OrderBy(s => s.Name, StringComparer.Ordinal)];
        return new(spaces);
    }

    /// <inheritdoc/>
    public ValueTask<Subnet> CarveSubnetAsync(SubnetRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = Enter(request.Space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            if (request.RequestKey is { } key && state.SubnetKeys.TryGetValue(key, out var keyed))
            {
                return new(SubnetLayout.ThrowIfRetryDiffers(request, state.Subnets[keyed].Definition));
            }

            var policy = request.ReservedAddresses ?? state.Definition.DefaultReservedAddresses ?? ReservedAddressPolicy.Default;
            policy.ThrowIfTooSmall(1UL << (32 - request.Length));
            PoolState pool;
            Ipv4Prefix prefix;
            if (request.Prefix is { } wanted)
            {
                pool = state.Pools.Find(p => p.Prefix.Contains(wanted))
                    ?? throw new PrefixOutsidePoolsException(request.Space, wanted, state.Definition.Pools);
                SubnetLayout.ThrowIfExclusionsOutside(wanted, request.Exclusions);
                if (FindOverlappingSubnet(state, wanted) is { } existing)
                {
                    throw new PrefixOverlapException(request.Space, wanted, existing, "subnet");
                }

                ThrowIfNameInUse(state, request, wanted);

                if (!pool.Blocks.TryTake(wanted))
                {
                    throw new InvalidOperationException($"IPAM state is inconsistent: {wanted} overlaps no subnet but is not free in pool {pool.Prefix}.");
                }

                prefix = wanted;
            }
            else
            {
                pool = ChoosePool(state, request);
                if (!pool.Blocks.TryTakeNext(request.Length, out prefix))
                {
                    throw new InvalidOperationException("IPAM state is inconsistent: the chosen pool has no fitting block.");
                }

                try
                {
                    SubnetLayout.ThrowIfExclusionsOutside(prefix, request.Exclusions);
                    ThrowIfNameInUse(state, request, prefix);
                }
                catch
                {
                    pool.Blocks.Release(prefix);
                    throw;
                }
            }

            var subnet = new Subnet(request.Space, prefix, pool.Prefix, policy)
            {
                Name = request.Name,
                RequestKey = request.RequestKey,
                Exclusions = request.Exclusions,
                CarvedAt = now,
            };
            var subnetState = new SubnetState(subnet, pool);
            ulong reserved = MarkReserved(subnetState);
            subnetState.Usage.Reserved = reserved;
            foreach (var usage in (ReadOnlySpan<UsageCounters>)[pool.Usage, state.Usage])
            {
                usage.Carved += prefix.Count;
                usage.Reserved += reserved;
            }

            state.Subnets.Add(prefix, subnetState);
            state.SubnetOrder.Add(prefix);
            if (subnet.Name is { } name)
            {
                state.SubnetNames.Add(name, prefix);
            }

            if (subnet.RequestKey is { } requestKey)
            {
                state.SubnetKeys.Add(requestKey, prefix);
            }

            state.SubnetsPerLength[prefix.Length]++;
            return new(subnet);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AddressAllocation>> ReleaseSubnetAsync(string space, Ipv4Prefix subnet, bool force, CancellationToken cancellationToken)
    {
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            var subnetState = GetSubnet(state, subnet);
            if (subnetState.Allocations.Count > 0 && !force)
            {
                throw new SubnetNotEmptyException(space, subnet, (ulong)subnetState.Allocations.Count);
            }

            var dropped = new List<AddressAllocation>(subnetState.Allocations.Count);
            foreach (var entry in subnetState.Allocations.Values)
            {
                Unlink(state, entry);
                dropped.Add(entry.Allocation);
            }

            subnetState.Removed = true;
            subnetState.Pool.Blocks.Release(subnet);
            var gone = subnetState.Usage;
            foreach (var usage in (ReadOnlySpan<UsageCounters>)[subnetState.Pool.Usage, state.Usage])
            {
                usage.Carved -= gone.Carved;
                usage.Reserved -= gone.Reserved;
                usage.Allocated -= gone.Allocated;
                usage.Held -= gone.Held;
            }

            state.Subnets.Remove(subnet);
            state.SubnetOrder.Remove(subnet);
            if (subnetState.Definition.Name is { } name)
            {
                state.SubnetNames.Remove(name);
            }

            if (subnetState.Definition.RequestKey is { } key)
            {
                state.SubnetKeys.Remove(key);
            }

            state.SubnetsPerLength[subnet.Length]--;
            dropped.Sort(ByAddress);
            return new(dropped);
        }
    }

    /// <inheritdoc/>
    public ValueTask<Subnet?> GetSubnetAsync(string space, Ipv4Prefix subnet, CancellationToken cancellationToken)
    {
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            return new(state.Subnets.TryGetValue(subnet, out var subnetState) ? subnetState.Definition : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<Subnet?> GetSubnetByNameAsync(string space, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            return new(state.SubnetNames.TryGetValue(name, out var prefix) ? state.Subnets[prefix].Definition : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Subnet>> ListSubnetsAsync(string space, CancellationToken cancellationToken)
    {
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            IReadOnlyList<Subnet> subnets = [.. state.SubnetOrder.Select(p => state.Subnets[p].Definition)];
            return new(subnets);
        }
    }

    /// <inheritdoc/>
    public ValueTask<AddressAllocationResult> AllocateAsync(AddressRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = Enter(request.Space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            EndExpiredHolds(state, now);
            if (request.RequestKey is { } key && state.RequestKeys.TryGetValue((request.Owner, key), out var retried))
            {
                return new(new AddressAllocationResult(retried.Allocation, IsNew: false));
            }

            var subnet = GetSubnet(state, request.Subnet);
            int offset;
            switch (request.Strategy)
            {
                case AllocationStrategy.Specific:
                    if (TakeSpecific(state, subnet, request) is { } existing)
                    {
                        return new(new AddressAllocationResult(existing, IsNew: false));
                    }

                    offset = (int)(request.Address.Value - subnet.Network);
                    break;
                case AllocationStrategy.Random:
                    offset = TakeFree(state, subnet, state.Random.Next(subnet.Free.Size));
                    break;
                default:
                    offset = TakeFree(state, subnet, subnet.Cursor);
                    subnet.Cursor = offset + 1;
                    break;
            }

            var allocation = new AddressAllocation(
                request.Space, subnet.Prefix, new Ipv4Address(subnet.Network + (uint)offset), request.Owner,
                request.RequestKey, request.Metadata, now);
            var entry = new AddressEntry(allocation, subnet);
            subnet.Allocations.Add(allocation.Address.Value, entry);
            Link(state, entry);
            subnet.Usage.Allocated++;
            subnet.Pool.Usage.Allocated++;
            state.Usage.Allocated++;
            return new(new AddressAllocationResult(allocation, IsNew: true));
        }
    }

    /// <inheritdoc/>
    public ValueTask<AddressAllocation?> ReleaseAsync(string space, Ipv4Address address, string? owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            EndExpiredHolds(state, now);
            if (FindSubnet(state, address) is not { } subnet || !subnet.Allocations.TryGetValue(address.Value, out var entry))
            {
                return new((AddressAllocation?)null);
            }

            if (owner is not null && !string.Equals(owner, entry.Allocation.Owner, StringComparison.Ordinal))
            {
                throw new AddressInUseException(entry.Allocation, owner);
            }

            Release(state, entry, now);
            return new(entry.Allocation);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AddressAllocation>> ReleaseOwnerAsync(string space, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            EndExpiredHolds(state, now);
            var released = new List<AddressAllocation>();
            while (state.OwnerHeads.TryGetValue(owner, out var entry))
            {
                Release(state, entry, now);
                released.Add(entry.Allocation);
            }

            released.Sort(ByAddress);
            return new(released);
        }
    }

    /// <inheritdoc/>
    public ValueTask<AddressAllocation?> FindByAddressAsync(string space, Ipv4Address address, CancellationToken cancellationToken)
    {
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            return new(FindSubnet(state, address) is { } subnet && subnet.Allocations.TryGetValue(address.Value, out var entry)
                ? entry.Allocation
                : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AddressAllocation>> FindByOwnerAsync(string space, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            var found = new List<AddressAllocation>();
            for (var entry = state.OwnerHeads.GetValueOrDefault(owner); entry is not null; entry = entry.NextOfOwner)
            {
                found.Add(entry.Allocation);
            }

            found.Sort(ByAddress);
            return new(found);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AddressAllocation>> ListAllocationsAsync(string space, Ipv4Prefix subnet, CancellationToken cancellationToken)
    {
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            var found = GetSubnet(state, subnet).Allocations.Values.Select(e => e.Allocation).ToList();
            found.Sort(ByAddress);
            return new(found);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IpamUtilization> GetSubnetUtilizationAsync(string space, Ipv4Prefix subnet, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            EndExpiredHolds(state, now);
            return new(GetSubnet(state, subnet).Usage.Snapshot());
        }
    }

    /// <inheritdoc/>
    public ValueTask<IpamUtilization> GetPoolUtilizationAsync(string space, Ipv4Prefix pool, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            EndExpiredHolds(state, now);
            var poolState = state.Pools.Find(p => p.Prefix == pool)
                ?? throw new PrefixOutsidePoolsException(space, pool, state.Definition.Pools);
            return new(poolState.Usage.Snapshot());
        }
    }

    /// <inheritdoc/>
    public ValueTask<IpamUtilization> GetSpaceUtilizationAsync(string space, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var state = Enter(space, cancellationToken);
        lock (state.Gate)
        {
            ThrowIfDeleted(state);
            EndExpiredHolds(state, now);
            return new(state.Usage.Snapshot());
        }
    }

    private static readonly Comparison<AddressAllocation> ByAddress = (a, b) => a.Address.CompareTo(b.Address);

    private SpaceState Enter(string space, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        cancellationToken.ThrowIfCancellationRequested();
        return _spaces.TryGetValue(space, out var state) ? state : throw new AddressSpaceNotFoundException(space);
    }

    // A space deleted between the lookup and the lock is gone for this caller too.
    private static void ThrowIfDeleted(SpaceState state)
    {
        if (state.Deleted)
        {
            throw new AddressSpaceNotFoundException(state.Definition.Name);
        }
    }

    private static void AddPool(SpaceState state, Ipv4Prefix pool)
    {
        state.Pools.Add(new PoolState(pool));
        state.Usage.Size += pool.Count;
    }

    private static SubnetState GetSubnet(SpaceState state, Ipv4Prefix subnet) =>
        state.Subnets.TryGetValue(subnet, out var subnetState)
            ? subnetState
            : throw new SubnetNotFoundException(state.Definition.Name, subnet);

    // Subnets never overlap, so at most one of each length can contain the address.
    private static SubnetState? FindSubnet(SpaceState state, Ipv4Address address)
    {
        for (int length = 32; length >= 8; length--)
        {
            if (state.SubnetsPerLength[length] > 0
                && state.Subnets.TryGetValue(Ipv4Prefix.Containing(address, length), out var subnet))
            {
                return subnet;
            }
        }

        return null;
    }

    private static Ipv4Prefix? FindOverlappingSubnet(SpaceState state, Ipv4Prefix prefix)
    {
        // A subnet containing prefix starts at or before it (and is the last one that does, as
        // subnets are disjoint); a subnet inside prefix starts within it.
        var before = state.SubnetOrder.GetViewBetween(Ipv4Prefix.Any, Ipv4Prefix.Containing(prefix.Network, 32));
        var inside = state.SubnetOrder.GetViewBetween(prefix, Ipv4Prefix.Containing(prefix.Last, 32));
        return SubnetLayout.Overlapping(prefix, before.Count > 0 ? before.Max : null, inside.Count > 0 ? inside.Min : null);
    }

    private static void ThrowIfNameInUse(SpaceState state, SubnetRequest request, Ipv4Prefix prefix)
    {
        if (request.Name is { } name && state.SubnetNames.TryGetValue(name, out var existing))
        {
            throw new SubnetNameInUseException(request.Space, name, existing, prefix);
        }
    }

    private static PoolState ChoosePool(SpaceState state, SubnetRequest request)
    {
        IReadOnlyList<PoolState> candidates = state.Pools;
        if (request.Pool is { } named)
        {
            var pool = state.Pools.Find(p => p.Prefix == named)
                ?? throw new PrefixOutsidePoolsException(request.Space, named, state.Definition.Pools);
            candidates = [pool];
        }

        // The shared rule: the smallest hole that fits, then the first pool, then the lowest address.
        PoolState? best = null;
        Ipv4Prefix? bestHole = null;
        int bestOrdinal = -1;
        foreach (var pool in candidates)
        {
            int ordinal = state.Pools.IndexOf(pool);
            if (pool.Blocks.SmallestHole(request.Length) is { } hole && SubnetLayout.IsBetterHole(request.Length, hole, ordinal, bestHole, bestOrdinal))
            {
                best = pool;
                bestHole = hole;
                bestOrdinal = ordinal;
            }
        }

        return best ?? throw new PoolExhaustedException(request.Space, request.Length, [.. candidates.Select(p => p.Prefix)]);
    }

    // Clears the bits of the addresses outside the subnet's allocatable ranges (the shared rule); returns how many that is.
    private static ulong MarkReserved(SubnetState subnet)
    {
        ulong reserved = 0;
        long next = subnet.Network;
        foreach (var range in subnet.Definition.AllocatableRanges())
        {
            for (long a = next; a < range.First.Value; a++)
            {
                reserved += subnet.Free.SetUsed((int)(a - subnet.Network)) ? 1UL : 0;
            }

            next = range.Last.Value + 1L;
        }

        for (long a = next; a <= subnet.Definition.Prefix.Last.Value; a++)
        {
            reserved += subnet.Free.SetUsed((int)(a - subnet.Network)) ? 1UL : 0;
        }

        return reserved;
    }

    // Checks a specific request; returns the allocation when the owner holds the address already,
    // null when the address is now taken for the request.
    private static AddressAllocation? TakeSpecific(SpaceState state, SubnetState subnet, AddressRequest request)
    {
        var address = request.Address;
        if (!subnet.Prefix.Contains(address))
        {
            throw new AddressOutsideSubnetException(address, subnet.Prefix);
        }

        if (subnet.Allocations.TryGetValue(address.Value, out var existing))
        {
            return string.Equals(existing.Allocation.Owner, request.Owner, StringComparison.Ordinal)
                ? existing.Allocation
                : throw new AddressInUseException(existing.Allocation, request.Owner);
        }

        var definition = subnet.Definition;
        if (definition.ReservationOf(address) is { } reason)
        {
            throw new AddressReservedException(address, subnet.Prefix, reason);
        }

        // An explicit request may take an address still in its reuse hold: the hold only keeps
        // automatic choices away from it.
        if (subnet.HeldUntil.Remove(address.Value))
        {
            subnet.Usage.Held--;
            subnet.Pool.Usage.Held--;
            state.Usage.Held--;
        }
        else if (!subnet.Free.SetUsed((int)(address.Value - subnet.Network)))
        {
            throw new InvalidOperationException($"IPAM state is inconsistent: {address} is neither free, held nor allocated.");
        }

        return null;
    }

    private static int TakeFree(SpaceState state, SubnetState subnet, int start)
    {
        int offset = subnet.Free.NextFree(start);
        if (offset < 0)
        {
            throw new SubnetExhaustedException(state.Definition.Name, subnet.Prefix, subnet.Usage.Snapshot());
        }

        subnet.Free.SetUsed(offset);
        return offset;
    }

    private static void Release(SpaceState state, AddressEntry entry, DateTimeOffset now)
    {
        var subnet = entry.Subnet;
        uint address = entry.Allocation.Address.Value;
        subnet.Allocations.Remove(address);
        Unlink(state, entry);
        subnet.Usage.Allocated--;
        subnet.Pool.Usage.Allocated--;
        state.Usage.Allocated--;
        var hold = state.Definition.ReuseHold;
        if (hold <= TimeSpan.Zero)
        {
            subnet.Free.SetFree((int)(address - subnet.Network));
            return;
        }

        // Keep the queue ordered even if a caller's clock steps back.
        long reusableAt = Math.Max(now.UtcTicks + hold.Ticks, state.LastHoldEnd);
        state.LastHoldEnd = reusableAt;
        subnet.HeldUntil[address] = reusableAt;
        state.Holds.Enqueue(new HeldAddress(subnet, address, reusableAt));
        subnet.Usage.Held++;
        subnet.Pool.Usage.Held++;
        state.Usage.Held++;
    }

    // Amortized O(1): each release is dequeued once.
    private static void EndExpiredHolds(SpaceState state, DateTimeOffset now)
    {
        long ticks = now.UtcTicks;
        while (state.Holds.TryPeek(out var held) && held.ReusableAt <= ticks)
        {
            state.Holds.Dequeue();
            var subnet = held.Subnet;
            // Skip holds overtaken by a specific allocation (and a later release) or by the subnet's release.
            if (subnet.Removed || !subnet.HeldUntil.TryGetValue(held.Address, out long until) || until != held.ReusableAt)
            {
                continue;
            }

            subnet.HeldUntil.Remove(held.Address);
            subnet.Free.SetFree((int)(held.Address - subnet.Network));
            subnet.Usage.Held--;
            subnet.Pool.Usage.Held--;
            state.Usage.Held--;
        }
    }

    private static void Link(SpaceState state, AddressEntry entry)
    {
        var allocation = entry.Allocation;
        if (state.OwnerHeads.TryGetValue(allocation.Owner, out var head))
        {
            entry.NextOfOwner = head;
            head.PreviousOfOwner = entry;
        }

        state.OwnerHeads[allocation.Owner] = entry;
        if (allocation.RequestKey is { } key)
        {
            state.RequestKeys[(allocation.Owner, key)] = entry;
        }
    }

    private static void Unlink(SpaceState state, AddressEntry entry)
    {
        var allocation = entry.Allocation;
        if (entry.PreviousOfOwner is { } previous)
        {
            previous.NextOfOwner = entry.NextOfOwner;
        }
        else if (entry.NextOfOwner is { } next)
        {
            state.OwnerHeads[allocation.Owner] = next;
        }
        else
        {
            state.OwnerHeads.Remove(allocation.Owner);
        }

        if (entry.NextOfOwner is { } following)
        {
            following.PreviousOfOwner = entry.PreviousOfOwner;
        }

        entry.PreviousOfOwner = null;
        entry.NextOfOwner = null;
        if (allocation.RequestKey is { } key)
        {
            state.RequestKeys.Remove((allocation.Owner, key));
        }
    }
}
