using CloudTemple.Networking.Dhcp.Protocol;

namespace CloudTemple.Networking.Dhcp;

/// <summary>One subnet served by the server: its addresses, its pool and the options its clients get.</summary>
/// <remarks>Not thread-safe while being configured; the engine copies it at start.</remarks>
public sealed class DhcpSubnetOptions
{
    /// <summary>The subnet, for example 10.0.1.0/24 (length 30 or shorter).</summary>
    public Ipv4Prefix Prefix { get; set; }

    /// <summary>The first address of the dynamic pool; by default the first host address of the prefix.</summary>
    public Ipv4Address? PoolStart { get; set; }

    /// <summary>The last address of the dynamic pool; by default the last host address (the one before broadcast).</summary>
    public Ipv4Address? PoolEnd { get; set; }

    /// <summary>The server's address on this subnet, sent as the server identifier (option 54); by default the address of the interface the request arrived on.</summary>
    public Ipv4Address? ServerIdentifier { get; set; }

    /// <summary>Routers (option 3), the VPC router first. Also excluded from the pool.</summary>
    public IList<Ipv4Address> Routers { get; } = [];

    /// <summary>DNS servers (option 6).</summary>
    public IList<Ipv4Address> DnsServers { get; } = [];

    /// <summary>NTP servers (option 42).</summary>
    public IList<Ipv4Address> NtpServers { get; } = [];

    /// <summary>The domain name (option 15).</summary>
    public string? DomainName { get; set; }

    /// <summary>The domain search list (option 119).</summary>
    public IList<string> DomainSearch { get; } = [];

    /// <summary>The interface MTU (option 26), for example 1450 on a VXLAN overlay.</summary>
    public int? Mtu { get; set; }

    /// <summary>Whether to send the broadcast address (option 28). Default true.</summary>
    public bool SendBroadcastAddress { get; set; } = true;

    /// <summary>Classless static routes (option 121). When routers are set, a default route through the first router is added, because RFC 3442 clients ignore option 3 when option 121 is present.</summary>
    public IList<ClasslessStaticRoute> StaticRoutes { get; } = [];

    /// <summary>Fixed addresses by MAC address or client identifier.</summary>
    public IList<DhcpReservation> Reservations { get; } = [];

    /// <summary>The lease time (option 51). Default one hour.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>T1 (option 58); default 0.5 × <see cref="LeaseTime"/>.</summary>
    public TimeSpan? RenewalTime { get; set; }

    /// <summary>T2 (option 59); default 0.875 × <see cref="LeaseTime"/>.</summary>
    public TimeSpan? RebindingTime { get; set; }
}
