namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>
/// DHCP option codes (RFC 2132 and later). The server types the ones a VPC needs; any other
/// byte value is a valid code too and is carried untouched.
/// </summary>
public enum DhcpOptionCode : byte
{
    /// <summary>Padding (no length byte).</summary>
    Pad = 0,

    /// <summary>Subnet mask (4 bytes).</summary>
    SubnetMask = 1,

    /// <summary>Routers, in order of preference (n × 4 bytes).</summary>
    Router = 3,

    /// <summary>DNS servers (n × 4 bytes).</summary>
    DomainNameServer = 6,

    /// <summary>Host name (text).</summary>
    HostName = 12,

    /// <summary>Domain name (text).</summary>
    DomainName = 15,

    /// <summary>Interface MTU (2 bytes, at least 68).</summary>
    InterfaceMtu = 26,

    /// <summary>Broadcast address (4 bytes).</summary>
    BroadcastAddress = 28,

    /// <summary>NTP servers (n × 4 bytes).</summary>
    NtpServers = 42,

    /// <summary>Requested IP address (4 bytes).</summary>
    RequestedIPAddress = 50,

    /// <summary>Lease time in seconds (4 bytes).</summary>
    LeaseTime = 51,

    /// <summary>Option overload (1 byte, see <see cref="DhcpOptionOverload"/>).</summary>
    OptionOverload = 52,

    /// <summary>Message type (1 byte, see <see cref="Protocol.DhcpMessageType"/>).</summary>
    MessageType = 53,

    /// <summary>Server identifier (4 bytes).</summary>
    ServerIdentifier = 54,

    /// <summary>Parameter request list (n option codes).</summary>
    ParameterRequestList = 55,

    /// <summary>Error message (text, in a DHCPNAK).</summary>
    Message = 56,

    /// <summary>Maximum DHCP message size the client accepts (2 bytes).</summary>
    MaximumMessageSize = 57,

    /// <summary>Renewal time T1 in seconds (4 bytes).</summary>
    RenewalTime = 58,

    /// <summary>Rebinding time T2 in seconds (4 bytes).</summary>
    RebindingTime = 59,

    /// <summary>Vendor class identifier (bytes).</summary>
    VendorClassIdentifier = 60,

    /// <summary>Client identifier (type byte and bytes).</summary>
    ClientIdentifier = 61,

    /// <summary>Relay agent information (RFC 3046 sub-options); echoed in replies.</summary>
    RelayAgentInformation = 82,

    /// <summary>Domain search list (RFC 3397, RFC 1035 names with compression).</summary>
    DomainSearch = 119,

    /// <summary>Classless static routes (RFC 3442).</summary>
    ClasslessStaticRoute = 121,

    /// <summary>End of the options.</summary>
    End = 255,
}
