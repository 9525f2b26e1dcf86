using System.Collections.Concurrent;
using CloudTemple.Networking.Ipam;

namespace CloudTemple.Networking.Dhcp;

/// <summary>
/// A DHCP address pool over IPAM: every dynamic lease is an IPAM allocation in one address space, so DHCP
/// and static allocations (ports with a fixed address, routers, load balancers) never collide, and a
/// durable <see cref="IIpamStore"/> makes the pool shared between processes and hosts.
/// </summary>
/// <remarks>
/// <para>
/// On first use of a subnet the pool makes sure IPAM knows it: it creates the address space (with the
/// subnet as its pool) and carves the subnet, excluding the addresses outside the DHCP range, when they are
/// missing. An existing IPAM subnet is accepted only when every address it may allocate lies inside the
/// DHCP range (<see cref="DhcpPoolMismatchException"/> otherwise). Addresses that DHCP keeps out of its
/// range (routers, server identifier, reservations) are allocated in IPAM to the owner <c>dhcp:excluded</c>
/// so that IPAM never hands them to anyone; if a static allocation already holds one, it stays there.
/// </para>
/// <para>
/// Allocations are owned by <c>dhcp:</c> followed by the client key, with the subnet as request key, so a
/// retried allocation for the same client returns the same address. Releases go through IPAM's reuse hold.
/// Each operation is one atomic store operation; the pool is thread-safe and keeps no allocation state of
/// its own, so several servers may share one store.
/// </para>
/// </remarks>
public sealed class IpamDhcpAddressPool : IDhcpAddressPool
{
    /// <summary>The IPAM owner of the addresses that DHCP keeps out of its range.</summary>
    public const string ExcludedOwner = OwnerPrefix + "excluded";

    // Every IPAM owner of this pool starts with it; anything else is a static allocation DHCP never frees.
    private const string OwnerPrefix = "dhcp:";
    private const string DeclinedOwner = OwnerPrefix + "declined";

    private readonly IIpamStore _store;
    private readonly string _space;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<Ipv4Prefix, Task> _prepared = new();

    /// <summary>Creates a pool over an IPAM store.</summary>
    /// <param name="store">The IPAM store.</param>
    /// <param name="space">The address space (one per VPC) holding the DHCP subnets.</param>
    /// <param name="timeProvider">The clock for allocation times and reuse holds; <see cref="TimeProvider.System"/> when null.</param>
    public IpamDhcpAddressPool(IIpamStore store, string space, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(space);
        _store = store;
        _space = space;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The owner of a client's allocations in IPAM.</summary>
    /// <param name="client">The client.</param>
    /// <returns><c>dhcp:</c> and the client key.</returns>
    public static string OwnerOf(DhcpClientKey client) => OwnerPrefix + client;

    /// <inheritdoc/>
    public async ValueTask<Ipv4Address?> AllocateAsync(DhcpSubnet subnet, DhcpClientKey client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        await PrepareAsync(subnet, cancellationToken).ConfigureAwait(false);
        var request = AddressRequest.NextFree(_space, subnet.Prefix, OwnerOf(client)) with { RequestKey = subnet.Prefix.ToString() };
        try
        {
            var result = await _store.AllocateAsync(request, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return result.Allocation.Address;
        }
        catch (SubnetExhaustedException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAllocateAsync(DhcpSubnet subnet, Ipv4Address address, DhcpClientKey client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        return subnet.IsInPool(address) ? TryTakeAsync(subnet, address, OwnerOf(client), cancellationToken) : new(false);
    }

    /// <inheritdoc/>
    public async ValueTask ReleaseAsync(DhcpSubnet subnet, Ipv4Address address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        if (!subnet.IsInPool(address))
        {
            return;
        }

        var allocation = await _store.FindByAddressAsync(_space, address, cancellationToken).ConfigureAwait(false);
        if (allocation is null || !allocation.Owner.StartsWith(OwnerPrefix, StringComparison.Ordinal) || allocation.Owner == ExcludedOwner)
        {
            return; // free already, or a static allocation that DHCP must never give back
        }

        try
        {
            await _store.ReleaseAsync(_space, address, allocation.Owner, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (AddressInUseException)
        {
            // Changed hands between the lookup and the release: it is not ours to free any more.
        }
    }

    /// <inheritdoc/>
    public async ValueTask MarkDeclinedAsync(DhcpSubnet subnet, Ipv4Address address, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        if (!subnet.IsInPool(address))
        {
            return;
        }

        // Usually still held by the client that declined it; otherwise take it so that nobody gets it. When
        // someone else holds it, it stays taken, which is what a decline asks for.
        await TryTakeAsync(subnet, address, DeclinedOwner, cancellationToken).ConfigureAwait(false);
    }

    // Allocates one given address to an owner (true also when the owner already holds it); false when it is
    // held by someone else, in reuse hold, reserved or excluded.
    private async ValueTask<bool> TryTakeAsync(DhcpSubnet subnet, Ipv4Address address, string owner, CancellationToken cancellationToken)
    {
        await PrepareAsync(subnet, cancellationToken).ConfigureAwait(false);
        try
        {
            await _store.AllocateAsync(AddressRequest.Specific(_space, subnet.Prefix, address, owner), _time.GetUtcNow(), cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (IpamException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<long> CountAllocatedAsync(DhcpSubnet subnet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        await PrepareAsync(subnet, cancellationToken).ConfigureAwait(false);
        var usage = await _store.GetSubnetUtilizationAsync(_space, subnet.Prefix, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        long excluded = subnet.ExcludedAddresses.Count(a => a >= subnet.PoolStart && a <= subnet.PoolEnd);
        return Math.Max(0, (long)(usage.Allocated + usage.Held) - excluded);
    }

    // Once per subnet and process; a failed preparation is forgotten so that the next request tries again.
    private async ValueTask PrepareAsync(DhcpSubnet subnet, CancellationToken cancellationToken)
    {
        var task = _prepared.GetOrAdd(subnet.Prefix, _ => PrepareCoreAsync(subnet));
        try
        {
            await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (task.IsFaulted)
        {
            _prepared.TryRemove(new KeyValuePair<Ipv4Prefix, Task>(subnet.Prefix, task));
            throw;
        }
    }

    private async Task PrepareCoreAsync(DhcpSubnet dhcp)
    {
        var none = CancellationToken.None;
        var space = await _store.GetSpaceAsync(_space, none).ConfigureAwait(false);
        if (space is null)
        {
            try
            {
                space = await _store.CreateSpaceAsync(new AddressSpace(_space, [dhcp.Prefix]), none).ConfigureAwait(false);
            }
            catch (AddressSpaceExistsException)
            {
                space = await _store.GetSpaceAsync(_space, none).ConfigureAwait(false)
                    ?? throw new AddressSpaceNotFoundException(_space);
            }
        }

        if (!space.Pools.Any(p => p.Contains(dhcp.Prefix)))
        {
            await _store.AddPoolAsync(_space, dhcp.Prefix, none).ConfigureAwait(false);
        }

        var subnet = await _store.GetSubnetAsync(_space, dhcp.Prefix, none).ConfigureAwait(false)
            ?? await CarveAsync(dhcp).ConfigureAwait(false);
        foreach (var address in OutsideRange(dhcp))
        {
            if (!subnet.IsReservedOrExcluded(address))
            {
                throw new DhcpPoolMismatchException(_space, dhcp.Prefix, address, dhcp.PoolStart, dhcp.PoolEnd);
            }
        }

        foreach (var excluded in dhcp.ExcludedAddresses.Where(a => a >= dhcp.PoolStart && a <= dhcp.PoolEnd && !subnet.IsReservedOrExcluded(a)))
        {
            try
            {
                await _store.AllocateAsync(AddressRequest.Specific(_space, dhcp.Prefix, excluded, ExcludedOwner), _time.GetUtcNow(), none)
                    .ConfigureAwait(false);
            }
            catch (AddressInUseException)
            {
                // A static allocation holds it: DHCP will not get it from IPAM either.
            }
        }
    }

    private async Task<Subnet> CarveAsync(DhcpSubnet dhcp)
    {
        var outside = new List<Ipv4AddressRange>(2);
        if (dhcp.PoolStart > dhcp.Prefix.Network)
        {
            outside.Add(new Ipv4AddressRange(dhcp.Prefix.Network, new Ipv4Address(dhcp.PoolStart.Value - 1)));
        }

        if (dhcp.PoolEnd < dhcp.Prefix.Last)
        {
            outside.Add(new Ipv4AddressRange(new Ipv4Address(dhcp.PoolEnd.Value + 1), dhcp.Prefix.Last));
        }

        try
        {
            return await _store.CarveSubnetAsync(
                SubnetRequest.Explicit(_space, dhcp.Prefix) with { Name = "dhcp", Exclusions = outside },
                _time.GetUtcNow(),
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (PrefixOverlapException)
        {
            // Another server may have carved it at the same moment; anything else overlapping is a real conflict.
            var carved = await _store.GetSubnetAsync(_space, dhcp.Prefix, CancellationToken.None).ConfigureAwait(false);
            if (carved is null)
            {
                throw;
            }

            return carved;
        }
    }

    // The subnet's addresses before and after the DHCP range.
    private static IEnumerable<Ipv4Address> OutsideRange(DhcpSubnet dhcp)
    {
        for (ulong a = dhcp.Prefix.First.Value; a < dhcp.PoolStart.Value; a++)
        {
            yield return new Ipv4Address((uint)a);
        }

        for (ulong a = (ulong)dhcp.PoolEnd.Value + 1; a <= dhcp.Prefix.Last.Value; a++)
        {
            yield return new Ipv4Address((uint)a);
        }
    }
}
