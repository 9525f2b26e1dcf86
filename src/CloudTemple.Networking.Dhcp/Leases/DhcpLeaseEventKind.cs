namespace CloudTemple.Networking.Dhcp;

/// <summary>What happened to a lease.</summary>
public enum DhcpLeaseEventKind
{
    /// <summary>A DHCPACK bound (or extended) the lease.</summary>
    Bound = 0,

    /// <summary>The client released the address.</summary>
    Released = 1,

    /// <summary>The client declined the address; it is on probation.</summary>
    Declined = 2,

    /// <summary>The lease ran out and was reclaimed.</summary>
    Expired = 3,
}
