namespace CloudTemple.Networking.Packets;

/// <summary>Why a packet view refused a buffer.</summary>
public enum PacketParseError
{
    /// <summary>The buffer was accepted.</summary>
    None = 0,

    /// <summary>The buffer is shorter than the fixed header.</summary>
    Truncated,

    /// <summary>The IP version field is not 4.</summary>
    BadVersion,

    /// <summary>A header length field is below the minimum or runs past the buffer (IPv4 IHL, TCP data offset).</summary>
    BadHeaderLength,

    /// <summary>A total length field (IPv4 total length, UDP length) claims more bytes than the buffer holds.</summary>
    TotalLengthBeyondBuffer,

    /// <summary>A total length field is shorter than the header it must include.</summary>
    TotalLengthTooShort,

    /// <summary>An ARP packet is not Ethernet/IPv4 (hardware type 1, protocol 0x0800, lengths 6 and 4).</summary>
    UnsupportedAddressFormat,

    /// <summary>An ICMP message is not an error, so it quotes no datagram.</summary>
    NotAnIcmpError,

    /// <summary>A VXLAN header has the I flag clear (RFC 7348 section 5): no valid VNI; a VTEP drops and counts it.</summary>
    VxlanInstanceFlagNotSet,
}
