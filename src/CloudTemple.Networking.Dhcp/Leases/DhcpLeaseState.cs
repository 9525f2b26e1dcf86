namespace CloudTemple.Networking.Dhcp;

/// <summary>The state of an address in the lease store.</summary>
public enum DhcpLeaseState
{
    /// <summary>Offered to a client and held for it until the offer hold time ends.</summary>
    Offered = 0,

    /// <summary>Leased (acknowledged) until <see cref="DhcpLease.ExpiresAt"/>.</summary>
    Bound = 1,

    /// <summary>Given back by the client (DHCPRELEASE); the address is free but remembered for the same client.</summary>
    Released = 2,

    /// <summary>The lease ran out; the address is free but remembered for the same client.</summary>
    Expired = 3,

    /// <summary>A client reported the address in use (DHCPDECLINE); out of the pool until <see cref="DhcpLease.ExpiresAt"/> (probation).</summary>
    Declined = 4,
}
