using System.ComponentModel.DataAnnotations;
using CloudTemple.Networking.Dhcp.Protocol;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Dhcp;

/// <summary>One subnet served by the server: its addresses, its pool and the options its clients get.</summary>
/// <remarks>Not thread-safe while being configured; the engine copies it at start.</remarks>
public sealed class DhcpSubnetOptions
{
    // Dot-separated labels of letters, digits, '-' and '_' (RFC 1123 host names, plus '_' that service names use).
    internal const string DomainNamePattern = @"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$";

    /// <summary>The subnet, for example 10.0.1.0/24 (length 1 to 30). Required: left unset it is 0.0.0.0/0, which validation refuses.</summary>
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
    [Length(1, 255)]
    [RegularExpression(DhcpSubnetOptions.DomainNamePattern, ErrorMessage = "The field {0} must be a domain name (letters, digits, '-' and '_' in dot-separated labels).")]
    public string? DomainName { get; set; }

    /// <summary>The domain search list (option 119).</summary>
    public IList<string> DomainSearch { get; } = [];

    /// <summary>The interface MTU (option 26), for example 1450 on a VXLAN overlay; 68 to 65535.</summary>
    [Range(68, 65535)]
    public int? Mtu { get; set; }

    /// <summary>Whether to send the broadcast address (option 28). Default true.</summary>
    public bool SendBroadcastAddress { get; set; } = true;

    /// <summary>Classless static routes (option 121). When routers are set, a default route through the first router is added, because RFC 3442 clients ignore option 3 when option 121 is present.</summary>
    public IList<ClasslessStaticRoute> StaticRoutes { get; } = [];

    /// <summary>Fixed addresses by MAC address or client identifier.</summary>
    [ValidateEnumeratedItems]
    public IList<DhcpReservation> Reservations { get; } = [];

    /// <summary>The lease time (option 51). Default one hour; 1 s to 2^32-1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "49710.06:28:15")]
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>T1 (option 58); default 0.5 × <see cref="LeaseTime"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "49710.06:28:15")]
    public TimeSpan? RenewalTime { get; set; }

    /// <summary>T2 (option 59); default 0.875 × <see cref="LeaseTime"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "49710.06:28:15")]
    public TimeSpan? RebindingTime { get; set; }
}
