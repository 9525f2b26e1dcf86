namespace CloudTemple.Networking.Dhcp;

/// <summary>
/// Where the engine takes addresses from: the seam to IPAM, so that DHCP and static allocations never
/// collide. Each operation is atomic in the pool (two engines sharing one pool never get the same address).
/// </summary>
/// <remarks>
/// The pool hands out only addresses for which <see cref="DhcpSubnet.IsInPool"/> holds; reserved addresses
/// are the engine's business and never pass through the pool. Implementations must be thread-safe.
/// </remarks>
public interface IDhcpAddressPool
{
    /// <summary>Takes a free address of the subnet's dynamic range for a client.</summary>
    /// <param name="subnet">The subnet.</param>
    /// <param name="client">The client the address is for.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The address, or <see langword="null"/> when the range is exhausted.</returns>
    ValueTask<Ipv4Address?> AllocateAsync(DhcpSubnet subnet, DhcpClientKey client, CancellationToken cancellationToken);

    /// <summary>Takes a given address for a client.</summary>
    /// <param name="subnet">The subnet.</param>
    /// <param name="address">The address wanted.</param>
    /// <param name="client">The client the address is for.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the address is now the client's (also when it already was); false when it is taken, on probation or outside the range.</returns>
    ValueTask<bool> TryAllocateAsync(DhcpSubnet subnet, Ipv4Address address, DhcpClientKey client, CancellationToken cancellationToken);

    /// <summary>Gives an address back (a no-op when it is free).</summary>
    /// <param name="subnet">The subnet.</param>
    /// <param name="address">The address.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the address is free.</returns>
    ValueTask ReleaseAsync(DhcpSubnet subnet, Ipv4Address address, CancellationToken cancellationToken);

    /// <summary>Marks an address as declined (in use by an unknown host): it stays taken, and is released by the engine after probation.</summary>
    /// <param name="subnet">The subnet.</param>
    /// <param name="address">The address.</param>
    /// <param name="until">The end of the probation.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the address is marked.</returns>
    ValueTask MarkDeclinedAsync(DhcpSubnet subnet, Ipv4Address address, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>How many addresses of the dynamic range are taken.</summary>
    /// <param name="subnet">The subnet.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The number of taken addresses.</returns>
    ValueTask<long> CountAllocatedAsync(DhcpSubnet subnet, CancellationToken cancellationToken);
}
