using System.ComponentModel.DataAnnotations;

namespace CloudTemple.Networking.Dhcp;

/// <summary>A fixed address for one client, matched by its MAC address or by its client identifier (option 61).</summary>
/// <remarks>
/// Set exactly one of <see cref="HardwareAddress"/> and <see cref="ClientIdentifier"/>. In configuration the client
/// identifier is a list of byte values (<c>"ClientIdentifier": [1, 2, 0, 94, 16, 0, 1]</c>). Not thread-safe while being configured.
/// </remarks>
public sealed class DhcpReservation
{
    /// <summary>The client's MAC address (chaddr of an Ethernet client).</summary>
    public MacAddress? HardwareAddress { get; set; }

    /// <summary>The client identifier (the whole value of option 61, type byte included).</summary>
    public IReadOnlyList<byte>? ClientIdentifier { get; set; }

    /// <summary>The address the client gets; inside the subnet, outside the dynamic range or not, and never handed to another client.</summary>
    public Ipv4Address Address { get; set; }

    /// <summary>The host name sent to the client (option 12), if any.</summary>
    [Length(1, 255)]
    [RegularExpression(DhcpSubnetOptions.DomainNamePattern, ErrorMessage = "The field {0} must be a host name (letters, digits, '-' and '_' in dot-separated labels).")]
    public string? HostName { get; set; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{(HardwareAddress?.ToString() ?? (ClientIdentifier is null ? "?" : Convert.ToHexString([.. ClientIdentifier])))}={Address}";
}
