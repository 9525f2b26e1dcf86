namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>Sizes, offsets and ports of the DHCPv4 message format (RFC 2131 section 2).</summary>
public static class DhcpConstants
{
    /// <summary>The UDP port servers and relays listen on.</summary>
    public const int ServerPort = 67;

    /// <summary>The UDP port clients listen on.</summary>
    public const int ClientPort = 68;

    /// <summary>The fixed BOOTP header: op to file.</summary>
    public const int FixedHeaderLength = 236;

    /// <summary>Where the options field starts (after the fixed header and the magic cookie).</summary>
    public const int OptionsOffset = FixedHeaderLength + 4;

    /// <summary>The smallest message a server sends (the BOOTP minimum, RFC 1542 section 2.1).</summary>
    public const int MinimumMessageLength = 300;

    /// <summary>The magic cookie 99.130.83.99 as a big-endian 32-bit value.</summary>
    public const uint MagicCookie = 0x63825363;

    /// <summary>The broadcast bit of the <c>flags</c> field.</summary>
    public const ushort BroadcastFlag = 0x8000;

    internal const int ClientHardwareAddressOffset = 28;
    internal const int ClientHardwareAddressLength = 16;
    internal const int ServerNameOffset = 44;
    internal const int ServerNameLength = 64;
    internal const int FileOffset = 108;
    internal const int FileLength = 128;
}
