namespace CloudTemple.Networking.Dhcp;

/// <summary>
/// Where leases live. One record per address; a client has at most one record per subnet. The engine
/// writes a lease here before the DHCPACK that announces it leaves, so a restart never hands out a
/// bound address again when the store is durable.
/// </summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface ILeaseStore
{
    /// <summary>Finds the record of an address.</summary>
    /// <param name="address">The address.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    ValueTask<DhcpLease?> FindByAddressAsync(Ipv4Address address, CancellationToken cancellationToken);

    /// <summary>Finds the record of a client in a subnet.</summary>
    /// <param name="subnet">The subnet.</param>
    /// <param name="client">The client.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    ValueTask<DhcpLease?> FindByClientAsync(Ipv4Prefix subnet, DhcpClientKey client, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the record of <see cref="DhcpLease.Address"/>; the client's previous record in the subnet, at another address, is removed.</summary>
    /// <param name="lease">The record.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    ValueTask SaveAsync(DhcpLease lease, CancellationToken cancellationToken);

    /// <summary>Removes the record of an address.</summary>
    /// <param name="address">The address.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether there was a record.</returns>
    ValueTask<bool> RemoveAsync(Ipv4Address address, CancellationToken cancellationToken);

    /// <summary>Lists offered, bound and declined records whose <see cref="DhcpLease.ExpiresAt"/> is at or before <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="maxCount">At most this many records.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The records, oldest first.</returns>
    ValueTask<IReadOnlyList<DhcpLease>> FindExpiredAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken);

    /// <summary>Lists every record.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The records, by address.</returns>
    ValueTask<IReadOnlyList<DhcpLease>> ListAsync(CancellationToken cancellationToken);
}
