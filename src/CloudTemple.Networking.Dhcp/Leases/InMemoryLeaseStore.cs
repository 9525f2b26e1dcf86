namespace CloudTemple.Networking.Dhcp;

/// <summary>The embedded <see cref="ILeaseStore"/>: two dictionaries under one lock. Leases are lost on restart.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Ipv4Address, DhcpLease> _byAddress = [];
    private readonly Dictionary<(Ipv4Prefix, DhcpClientKey), Ipv4Address> _byClient = [];

    /// <inheritdoc/>
    public ValueTask<DhcpLease?> FindByAddressAsync(Ipv4Address address, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_byAddress.GetValueOrDefault(address));
        }
    }

    /// <inheritdoc/>
    public ValueTask<DhcpLease?> FindByClientAsync(Ipv4Prefix subnet, DhcpClientKey client, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(
                _byClient.TryGetValue((subnet, client), out var address) ? _byAddress.GetValueOrDefault(address) : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask SaveAsync(DhcpLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_byAddress.TryGetValue(lease.Address, out var previous))
            {
                _byClient.Remove((previous.Subnet, previous.Client));
            }

            if (_byClient.TryGetValue((lease.Subnet, lease.Client), out var old) && old != lease.Address)
            {
                _byAddress.Remove(old);
            }

            _byAddress[lease.Address] = lease;
            _byClient[(lease.Subnet, lease.Client)] = lease.Address;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> RemoveAsync(Ipv4Address address, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_byAddress.Remove(address, out var lease))
            {
                return ValueTask.FromResult(false);
            }

            _byClient.Remove((lease.Subnet, lease.Client));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<DhcpLease>> FindExpiredAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<DhcpLease> expired = [.. _byAddress.Values
                .Where(l => l.State is DhcpLeaseState.Offered or DhcpLeaseState.Bound or DhcpLeaseState.Declined && l.ExpiresAt <= now)
                .OrderBy(l => l.ExpiresAt)
                .Take(maxCount)];
            return ValueTask.FromResult(expired);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<DhcpLease>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<DhcpLease> all = [.. _byAddress.Values.OrderBy(l => l.Address)];
            return ValueTask.FromResult(all);
        }
    }
}
