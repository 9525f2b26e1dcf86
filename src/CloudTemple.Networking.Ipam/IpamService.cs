using System.Diagnostics.Metrics;
using CloudTemple.Networking.Changes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudTemple.Networking.Ipam;

/// <summary>
/// The IPAM entry point: address spaces, subnet carving, address allocation and release,
/// lookups and utilization. Each method is exactly one <see cref="IIpamStore"/> operation (so it
/// is atomic), timed with the <see cref="TimeProvider"/>, measured on the Meter and traced on the
/// ActivitySource named in <see cref="IpamTelemetry"/>, and published on <see cref="Changes"/>.
/// </summary>
/// <remarks>
/// Thread-safe as its store: any number of callers may use one instance at once. The change feed
/// reports changes made through this instance only (other processes sharing a durable store are
/// not seen).
/// </remarks>
public sealed partial class IpamService : IDisposable
{
    private readonly IIpamStore _store;
    private readonly IpamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IpamMetrics _metrics;
    private readonly ChangeFeed<IpamChange> _changes;

    /// <summary>Creates the service over a store.</summary>
    /// <param name="store">Where state lives (for example <see cref="InMemoryIpamStore"/>).</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">A logger; none when null.</param>
    /// <param name="meterFactory">Creates the Meter; a standalone Meter when null.</param>
    public IpamService(
        IIpamStore store,
        IpamOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<IpamService>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new IpamOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _metrics = new IpamMetrics(meterFactory);
        _changes = new ChangeFeed<IpamChange>(_options.ChangeFeedCapacity, _metrics.ChangeDropped);
    }

    /// <summary>The store this service works on.</summary>
    public IIpamStore Store => _store;

    /// <summary>Creates an address space.</summary>
    /// <param name="space">The definition.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored definition.</returns>
    /// <exception cref="AddressSpaceExistsException">The name is taken.</exception>
    /// <exception cref="PrefixOverlapException">Two pools overlap.</exception>
    public async ValueTask<AddressSpace> CreateSpaceAsync(AddressSpace space, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        using var operation = _metrics.Start("create_space", space.Name);
        try
        {
            var created = await _store.CreateSpaceAsync(space, cancellationToken).ConfigureAwait(false);
            Publish(IpamChangeKind.SpaceCreated, created.Name, null, null);
            return created;
        }
        catch (Exception error) when (operation.Fail(error))
        {
            throw;
        }
    }

    /// <summary>Creates an address space unless it exists with the same definition (start-up that can run twice).</summary>
    /// <param name="space">The definition.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored definition.</returns>
    /// <exception cref="AddressSpaceConflictException">The space exists with another definition.</exception>
    /// <exception cref="PrefixOverlapException">Two pools overlap.</exception>
    public async ValueTask<AddressSpace> EnsureSpaceAsync(AddressSpace space, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        using var operation = _metrics.Start("ensure_space", space.Name);
        try
        {
            return await _store.EnsureSpaceAsync(space, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (operation.Fail(error))
        {
            throw;
        }
    }

    /// <summary>Creates an address space with the options' reuse hold and reserved-address policy.</summary>
    /// <param name="name">A unique name, for example the VPC id.</param>
    /// <param name="pools">The pool CIDRs.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored definition.</returns>
    /// <exception cref="AddressSpaceExistsException">The name is taken.</exception>
    /// <exception cref="PrefixOverlapException">Two pools overlap.</exception>
    public ValueTask<AddressSpace> CreateSpaceAsync(string name, IEnumerable<Ipv4Prefix> pools, CancellationToken cancellationToken = default) =>
        CreateSpaceAsync(
            new AddressSpace(name, pools) { ReuseHold = _options.ReuseHold, DefaultReservedAddresses = _options.DefaultReservedAddresses },
            cancellationToken);

    /// <inheritdoc cref="IIpamStore.AddPoolAsync"/>
    public async ValueTask<AddressSpace> AddPoolAsync(string space, Ipv4Prefix pool, CancellationToken cancellationToken = default)
    {
        using var operation = _metrics.Start("add_pool", space);
        try
        {
            var updated = await _store.AddPoolAsync(space, pool, cancellationToken).ConfigureAwait(false);
            Publish(IpamChangeKind.PoolAdded, space, pool, null);
            return updated;
        }
        catch (Exception error) when (operation.Fail(error))
        {
            throw;
        }
    }

    /// <inheritdoc cref="IIpamStore.DeleteSpaceAsync"/>
    public async ValueTask<bool> DeleteSpaceAsync(string space, CancellationToken cancellationToken = default)
    {
        using var operation = _metrics.Start("delete_space", space);
        try
        {
            bool deleted = await _store.DeleteSpaceAsync(space, cancellationToken).ConfigureAwait(false);
            if (deleted)
            {
                Publish(IpamChangeKind.SpaceDeleted, space, null, null);
            }

            return deleted;
        }
        catch (Exception error) when (operation.Fail(error))
        {
            throw;
        }
    }

    /// <inheritdoc cref="IIpamStore.GetSpaceAsync"/>
    public ValueTask<AddressSpace?> GetSpaceAsync(string space, CancellationToken cancellationToken = default) =>
        _store.GetSpaceAsync(space, cancellationToken);

    /// <inheritdoc cref="IIpamStore.ListSpacesAsync"/>
    public ValueTask<IReadOnlyList<AddressSpace>> ListSpacesAsync(CancellationToken cancellationToken = default) =>
        _store.ListSpacesAsync(cancellationToken);

    /// <summary>Carves a subnet: an explicit CIDR, or the next free prefix of a length (smallest fitting hole first).</summary>
    /// <param name="request">What to carve (<see cref="SubnetRequest.Explicit"/> or <see cref="SubnetRequest.NextFree"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The subnet.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="PrefixOverlapException">The CIDR overlaps a subnet of the space (both are named).</exception>
    /// <exception cref="PrefixOutsidePoolsException">The CIDR (or the pool named) is not inside a pool of the space.</exception>
    /// <exception cref="PoolExhaustedException">No free prefix of the length is left.</exception>
    /// <exception cref="AddressOutsideSubnetException">An exclusion range reaches outside the subnet.</exception>
    public async ValueTask<Subnet> CarveSubnetAsync(SubnetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var operation = _metrics.Start("carve_subnet", request.Space);
        try
        {
            var subnet = await _store.CarveSubnetAsync(request, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            _metrics.SubnetsCarved.Add(1);
            operation.Activity?.SetTag("cloudtemple.ipam.subnet", subnet.Prefix.ToString());
            LogSubnetCarved(_logger, subnet.Prefix, subnet.Space, subnet.Name);
            Publish(IpamChangeKind.SubnetCarved, subnet.Space, subnet.Prefix, null);
            return subnet;
        }
        catch (Exception error) when (operation.Fail(error))
        {
            throw;
        }
    }

    /// <inheritdoc cref="IIpamStore.ReleaseSubnetAsync"/>
    public async ValueTask<IReadOnlyList<AddressAllocation>> ReleaseSubnetAsync(
        string space, Ipv4Prefix subnet, bool force = false, CancellationToken cancellationToken = default)
    {
        using var operation = _metrics.Start("release_subnet", space);
        try
        {
            var dropped = await _store.ReleaseSubnetAsync(space, subnet, force, cancellationToken).ConfigureAwait(false);
            _metrics.SubnetsReleased.Add(1);
            _metrics.AddressesReleased.Add(dropped.Count);
            LogSubnetReleased(_logger, subnet, space, dropped.Count);
            foreach (var allocation in dropped)
            {
                Publish(IpamChangeKind.AddressReleased, space, subnet, allocation);
            }

            Publish(IpamChangeKind.SubnetReleased, space, subnet, null);
            return dropped;
        }
        catch (Exception error) when (operation.Fail(error))
        {
            throw;
        }
    }

    /// <inheritdoc cref="IIpamStore.GetSubnetAsync"/>
    public ValueTask<Subnet?> GetSubnetAsync(string space, Ipv4Prefix subnet, CancellationToken cancellationToken = default) =>
        _store.GetSubnetAsync(space, subnet, cancellationToken);

    /// <inheritdoc cref="IIpamStore.GetSubnetByNameAsync"/>
    public ValueTask<Subnet?> GetSubnetByNameAsync(string space, string name, CancellationToken cancellationToken = default) =>
        _store.GetSubnetByNameAsync(space, name, cancellationToken);

    /// <inheritdoc cref="IIpamStore.ListSubnetsAsync"/>
    public ValueTask<IReadOnlyList<Subnet>> ListSubnetsAsync(string space, CancellationToken cancellationToken = default) =>
        _store.ListSubnetsAsync(space, cancellationToken);

    /// <summary>
    /// Allocates an address (next-free, random or specific). Repeating a request with the same
    /// owner and request key returns the first answer.
    /// </summary>
    /// <param name="request">What to allocate (<see cref="AddressRequest.NextFree"/>, <see cref="AddressRequest.Random"/>, <see cref="AddressRequest.Specific"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The allocation.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="SubnetNotFoundException">No such subnet.</exception>
    /// <exception cref="SubnetExhaustedException">No address is free.</exception>
    /// <exception cref="AddressOutsideSubnetException">The specific address is outside the subnet.</exception>
    /// <exception cref="AddressReservedException">The specific address is reserved or excluded.</exception>
    /// <exception cref="AddressInUseException">The specific address is held by another owner.</exception>
    public async ValueTask<AddressAllocation> AllocateAsync(AddressRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var operation = _metrics.Start("allocate", request.Space);
        try
        {
            var result = await _store.AllocateAsync(request, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            operation.Activity?.SetTag("cloudtemple.ipam.subnet", result.Allocation.Subnet.ToString());
            operation.Activity?.SetTag("cloudtemple.ipam.address", result.Allocation.Address.ToString());
            operation.Activity?.SetTag("cloudtemple.ipam.allocation.new", result.IsNew);
            if (result.IsNew)
            {
                _metrics.AddressesAllocated.Add(1);
                Publish(IpamChangeKind.AddressAllocated, result.Allocation.Space, result.Allocation.Subnet, result.Allocation);
            }

            return result.Allocation;
        }
        catch (Exception error) when (operation.Fail(error))
        {
            throw;
        }
    }

    /// <summary>Releases an address; it waits for the space's reuse hold before it is handed out automatically again.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="address">The address.</param>
    /// <param name="owner">When not null, only this owner may release it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The released allocation, or null when the address was not allocated.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="AddressInUseException">Another owner holds the address.</exception>
    public async ValueTask<AddressAllocation?> ReleaseAsync(
        string space, Ipv4Address address, string? owner = null, CancellationToken cancellationToken = default)
    {
        using var operation = _metrics.Start("release", space);
        try
        {
            var released = await _store.ReleaseAsync(space, address, owner, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (released is not null)
            {
                _metrics.AddressesReleased.Add(1);
                Publish(IpamChangeKind.AddressReleased, space, released.Subnet, released);
            }

            return released;
        }
        catch (Exception error) when (operation.Fail(error))
        {
            throw;
        }
    }

    /// <summary>Releases every address an owner holds in a space.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="owner">The owner.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The released allocations, in address order.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    public async ValueTask<IReadOnlyList<AddressAllocation>> ReleaseOwnerAsync(string space, string owner, CancellationToken cancellationToken = default)
    {
        using var operation = _metrics.Start("release_owner", space);
        try
        {
            var released = await _store.ReleaseOwnerAsync(space, owner, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            _metrics.AddressesReleased.Add(released.Count);
            foreach (var allocation in released)
            {
                Publish(IpamChangeKind.AddressReleased, space, allocation.Subnet, allocation);
            }

            return released;
        }
        catch (Exception error) when (operation.Fail(error))
        {
            throw;
        }
    }

    /// <inheritdoc cref="IIpamStore.FindByAddressAsync"/>
    public ValueTask<AddressAllocation?> FindByAddressAsync(string space, Ipv4Address address, CancellationToken cancellationToken = default) =>
        _store.FindByAddressAsync(space, address, cancellationToken);

    /// <inheritdoc cref="IIpamStore.FindByOwnerAsync"/>
    public ValueTask<IReadOnlyList<AddressAllocation>> FindByOwnerAsync(string space, string owner, CancellationToken cancellationToken = default) =>
        _store.FindByOwnerAsync(space, owner, cancellationToken);

    /// <inheritdoc cref="IIpamStore.ListAllocationsAsync"/>
    public ValueTask<IReadOnlyList<AddressAllocation>> ListAllocationsAsync(string space, Ipv4Prefix subnet, CancellationToken cancellationToken = default) =>
        _store.ListAllocationsAsync(space, subnet, cancellationToken);

    /// <summary>The exact counts of a subnet now.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="subnet">The subnet's CIDR.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="SubnetNotFoundException">No such subnet.</exception>
    public ValueTask<IpamUtilization> GetSubnetUtilizationAsync(string space, Ipv4Prefix subnet, CancellationToken cancellationToken = default) =>
        _store.GetSubnetUtilizationAsync(space, subnet, _time.GetUtcNow(), cancellationToken);

    /// <summary>The exact counts of a pool now (uncarved addresses count as free).</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="pool">The pool's CIDR.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    /// <exception cref="PrefixOutsidePoolsException">The space has no such pool.</exception>
    public ValueTask<IpamUtilization> GetPoolUtilizationAsync(string space, Ipv4Prefix pool, CancellationToken cancellationToken = default) =>
        _store.GetPoolUtilizationAsync(space, pool, _time.GetUtcNow(), cancellationToken);

    /// <summary>The exact counts of a whole space now.</summary>
    /// <param name="space">The space's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="AddressSpaceNotFoundException">No such space.</exception>
    public ValueTask<IpamUtilization> GetSpaceUtilizationAsync(string space, CancellationToken cancellationToken = default) =>
        _store.GetSpaceUtilizationAsync(space, _time.GetUtcNow(), cancellationToken);

    /// <summary>
    /// The change feed: the changes made through this service; subscribe with
    /// <see cref="IChangeFeed{T}.WatchAsync"/>. Ends when the service is disposed.
    /// </summary>
    /// <remarks>
    /// Each subscriber has its own buffer of <see cref="IpamOptions.ChangeFeedCapacity"/> changes.
    /// Allocators never wait for a slow subscriber: when its buffer is full its oldest change is
    /// dropped, counted on <c>cloudtemple.ipam.changes.dropped</c> and seen by the subscriber as a gap
    /// in <see cref="ChangeFeedEntry{T}.Sequence"/>; a subscriber that must not miss anything
    /// re-reads the state from the store after a gap.
    /// </remarks>
    public IChangeFeed<IpamChange> Changes => _changes;

    /// <summary>Ends every change-feed enumeration and disposes the Meter if this service created it.</summary>
    public void Dispose()
    {
        _changes.Dispose();
        _metrics.Dispose();
    }

    private void Publish(IpamChangeKind kind, string space, Ipv4Prefix? prefix, AddressAllocation? allocation)
    {
        if (_changes.HasSubscribers)
        {
            _changes.Publish(new IpamChange(kind, space, prefix, allocation, _time.GetUtcNow()));
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Carved subnet {Subnet} in address space {Space} ({Name})")]
    private static partial void LogSubnetCarved(ILogger logger, Ipv4Prefix subnet, string space, string? name);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Released subnet {Subnet} of address space {Space}, dropping {Count} allocations")]
    private static partial void LogSubnetReleased(ILogger logger, Ipv4Prefix subnet, string space, int count);
}
