namespace CloudTemple.Networking;

/// <summary>Why no complete <see cref="FlowKey"/> could be read from a frame or a packet.</summary>
public enum FlowKeyError
{
    /// <summary>The key was read.</summary>
    None = 0,

    /// <summary>The frame does not carry IPv4 (ARP, IPv6, a third VLAN tag, ...).</summary>
    NotIpv4,

    /// <summary>A header (Ethernet, VLAN tag, IPv4, TCP, UDP or ICMP) is cut short, or a length field claims more bytes than there are.</summary>
    Truncated,

    /// <summary>A header is inconsistent: IP version not 4, IHL or TCP data offset below the minimum, a total or UDP length shorter than its header.</summary>
    Malformed,

    /// <summary>
    /// A non-first IPv4 fragment: it carries no transport header, so no ports. The key returned alongside
    /// is the 3-tuple (addresses and protocol, ports 0).
    /// </summary>
    NonFirstFragment,
}
