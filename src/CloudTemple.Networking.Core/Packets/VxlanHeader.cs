using System.Buffers.Binary;

namespace CloudTemple.Networking.Packets;

/// <summary>
/// A view over a VXLAN header (RFC 7348 section 5): 8 bytes after the outer UDP header, with the I flag (0x08 in
/// the first byte) that says the VNI is valid, a 24-bit VXLAN network identifier, and reserved bits that are
/// written as zero and ignored on receipt. The inner Ethernet frame follows (<see cref="Payload"/>).
/// </summary>
/// <remarks>A view is as thread-safe as the buffer it wraps: not at all when the buffer is shared and written.</remarks>
public readonly ref struct VxlanHeader
{
    /// <summary>The VXLAN header length.</summary>
    public const int HeaderLength = 8;

    /// <summary>The IANA UDP destination port of VXLAN, 4789.</summary>
    public const ushort UdpPort = 4789;

    /// <summary>
    /// The bytes an IPv4 VXLAN encapsulation adds in front of the inner frame: outer Ethernet (14), IPv4 (20),
    /// UDP (8) and VXLAN (8). An underlay MTU of 1500 leaves an inner MTU of 1450.
    /// </summary>
    public const int Overhead = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + UdpDatagram.HeaderLength + HeaderLength;

    /// <summary>The largest VNI, 2^24 - 1.</summary>
    public const uint MaxVni = 0xFF_FFFF;

    /// <summary>The I flag in the first byte.</summary>
    public const byte InstanceFlag = 0x08;

    /// <summary>The first port of the dynamic range (RFC 6335) that RFC 7348 recommends for the outer UDP source port.</summary>
    public const ushort MinSourcePort = 49152;

    private readonly Span<byte> _buffer;

    private VxlanHeader(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Parses a VXLAN header. The view covers the whole buffer (header and inner frame). Never throws.</summary>
    /// <param name="buffer">The UDP payload, usually <see cref="UdpDatagram.Payload"/>.</param>
    /// <param name="header">The view when the method returns <see langword="true"/>.</param>
    /// <param name="error">
    /// Why the buffer was refused, or <see cref="PacketParseError.None"/>: <see cref="PacketParseError.Truncated"/>, or
    /// <see cref="PacketParseError.VxlanInstanceFlagNotSet"/> when the I flag is clear, which a VTEP counts apart.
    /// </param>
    /// <returns>Whether the buffer holds a VXLAN header with a valid VNI.</returns>
    public static bool TryParse(Span<byte> buffer, out VxlanHeader header, out PacketParseError error)
    {
        header = default;
        if (buffer.Length < HeaderLength)
        {
            error = PacketParseError.Truncated;
            return false;
        }

        if ((buffer[0] & InstanceFlag) == 0)
        {
            error = PacketParseError.VxlanInstanceFlagNotSet;
            return false;
        }

        header = new VxlanHeader(buffer);
        error = PacketParseError.None;
        return true;
    }

    /// <summary>The bytes of the header and the inner frame.</summary>
    public Span<byte> Buffer => _buffer;

    /// <summary>
    /// The 24-bit VXLAN network identifier (bytes 4 to 6); the reserved byte after it is ignored when read and
    /// left untouched when set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set exceeds <see cref="MaxVni"/>.</exception>
    public uint Vni
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[4..]) >> 8;
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxVni);
            _buffer[4] = (byte)(value >> 16);
            _buffer[5] = (byte)(value >> 8);
            _buffer[6] = (byte)value;
        }
    }

    /// <summary>The inner Ethernet frame after the header.</summary>
    public Span<byte> Payload => _buffer[HeaderLength..];

    /// <summary>Writes a VXLAN header: the I flag set, the VNI, every reserved bit zero.</summary>
    /// <param name="destination">Where to write; at least <see cref="HeaderLength"/> bytes.</param>
    /// <param name="vni">The VXLAN network identifier, 0 to <see cref="MaxVni"/>.</param>
    /// <returns>The number of bytes written (8).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or <paramref name="vni"/> exceeds 24 bits.</exception>
    public static int Write(Span<byte> destination, uint vni)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vni, MaxVni);
        Guard.Space(destination, HeaderLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)InstanceFlag << 24);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], vni << 8);
        return HeaderLength;
    }

    /// <summary>
    /// The outer UDP source port for an inner flow: RFC 7348 section 5 asks for a hash of the inner headers, in the
    /// dynamic range 49152-65535, so that the underlay's ECMP spreads the flows of one VTEP pair.
    /// </summary>
    /// <param name="flowHash">A hash of the inner flow, stable for the flow (such as a flow key's hash).</param>
    /// <returns>A port from 49152 to 65535.</returns>
    public static ushort SourcePort(uint flowHash) =>
        // Fold the high half in so that a hash whose entropy sits in its upper bits still spreads.
        (ushort)(MinSourcePort + ((flowHash ^ (flowHash >> 16)) & 0x3FFF));
}
