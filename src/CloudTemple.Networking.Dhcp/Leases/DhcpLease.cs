namespace CloudTemple.Networking.Dhcp;

/// <summary>What the server knows about one address: who has it, in which state, until when.</summary>
/// <param name="Address">The address.</param>
/// <param name="Subnet">The subnet the address belongs to.</param>
/// <param name="Client">The client that holds (or last held) the address.</param>
/// <param name="HardwareAddress">The client's MAC address, when it is an Ethernet client (for logs and operators).</param>
/// <param name="State">The state.</param>
/// <param name="ExpiresAt">When the offer, lease or probation ends.</param>
/// <param name="HostName">The host name the client sent (option 12), if any.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record DhcpLease(
    Ipv4Address Address,
    Ipv4Prefix Subnet,
    DhcpClientKey Client,
    MacAddress? HardwareAddress,
    DhcpLeaseState State,
    DateTimeOffset ExpiresAt,
    string? HostName = null)
{
    /// <summary>Whether the address is taken (offered, bound or on probation) at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>Whether the address is taken.</returns>
    public bool IsActiveAt(DateTimeOffset now) =>
        State is DhcpLeaseState.Offered or DhcpLeaseState.Bound or DhcpLeaseState.Declined && ExpiresAt > now;
}
