using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;

namespace CloudTemple.Networking.Packets;

/// <summary>
/// A view over the datagram quoted in the data of an ICMP error message (RFC 792): its IPv4 header and
/// at least the first 8 bytes of its payload, usually fewer bytes than its total length says
/// (<see cref="IsTruncated"/>). NAT and conntrack read it to find the flow an error belongs to.
/// </summary>
/// <remarks>
/// The 8 transport bytes are the ports of TCP and UDP (<see cref="SourcePort"/>, <see cref="DestinationPort"/>),
/// or the type, code, checksum and identifier of an ICMP query; they mean nothing when the quoted datagram is
/// a non-first fragment (<see cref="FragmentOffset"/> not 0). Setters are not offered: rewriting a quoted
/// datagram also changes the checksum of the enclosing ICMP message. A view is as thread-safe as its buffer.
/// </remarks>
public readonly ref struct IcmpQuotedPacket
{
    /// <summary>The number of transport bytes that a quote must hold after the IPv4 header (RFC 792: 64 bits).</summary>
    public const int TransportHeaderLength = 8;

    private readonly Span<byte> _buffer;

    private IcmpQuotedPacket(Span<byte> buffer) => _buffer = buffer;

    /// <summary>
    /// Parses a quoted datagram. The view covers the quoted bytes up to the datagram's total length (bytes after it,
    /// such as RFC 4884 extensions or padding, are left out). Never throws.
    /// </summary>
    /// <param name="data">The data of an ICMP error, <see cref="IcmpMessage.Data"/>.</param>
    /// <param name="quoted">The view when the method returns <see langword="true"/>.</param>
    /// <param name="error">
    /// Why the data was refused, or <see cref="PacketParseError.None"/>: <see cref="PacketParseError.Truncated"/> when
    /// fewer than the header and 8 bytes are quoted, <see cref="PacketParseError.BadVersion"/>,
    /// <see cref="PacketParseError.BadHeaderLength"/> (IHL below 5), or <see cref="PacketParseError.TotalLengthTooShort"/>
    /// when the total length leaves no room for the header and 8 transport bytes.
    /// </param>
    /// <returns>Whether the data holds a quoted IPv4 header and 8 transport bytes.</returns>
    public static bool TryParse(Span<byte> data, out IcmpQuotedPacket quoted, out PacketParseError error)
    {
        quoted = default;
        if (data.Length < Ipv4Packet.MinHeaderLength)
        {
            error = PacketParseError.Truncated;
            return false;
        }

        if (data[0] >> 4 != 4)
        {
            error = PacketParseError.BadVersion;
            return false;
        }

        int headerLength = (data[0] & 0x0F) * 4;
        if (headerLength < Ipv4Packet.MinHeaderLength)
        {
            error = PacketParseError.BadHeaderLength;
            return false;
        }

        int needed = headerLength + TransportHeaderLength;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if (totalLength < needed)
        {
            error = PacketParseError.TotalLengthTooShort;
            return false;
        }

        if (data.Length < needed)
        {
            error = PacketParseError.Truncated;
            return false;
        }

        quoted = new IcmpQuotedPacket(data[..Math.Min(totalLength, data.Length)]);
        error = PacketParseError.None;
        return true;
    }

    /// <summary>The quoted bytes: header, transport bytes and whatever else of the payload was quoted.</summary>
    public Span<byte> Buffer => _buffer;

    /// <summary>The quoted IPv4 header, options included.</summary>
    public Span<byte> Header => _buffer[..HeaderLength];

    /// <summary>The first 8 bytes after the IPv4 header: the start of the TCP, UDP or ICMP header.</summary>
    public Span<byte> TransportHeader => _buffer.Slice(HeaderLength, TransportHeaderLength);

    /// <summary>The header length in bytes (IHL × 4).</summary>
    public int HeaderLength => (_buffer[0] & 0x0F) * 4;

    /// <summary>The total length the original datagram had, as its header says.</summary>
    public ushort TotalLength => BinaryPrimitives.ReadUInt16BigEndian(_buffer[2..]);

    /// <summary>Whether fewer bytes are quoted than the original datagram's total length (the usual case).</summary>
    public bool IsTruncated => _buffer.Length < TotalLength;

    /// <summary>The identification field.</summary>
    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(_buffer[4..]);

    /// <summary>The fragment offset in bytes; the transport bytes are a TCP/UDP/ICMP header only when it is 0.</summary>
    public int FragmentOffset => (BinaryPrimitives.ReadUInt16BigEndian(_buffer[6..]) & 0x1FFF) * 8;

    /// <summary>The TTL the datagram had where the error was generated.</summary>
    public byte TimeToLive => _buffer[8];

    /// <summary>The protocol of the quoted payload (see <see cref="IpProtocols"/>).</summary>
    public byte Protocol => _buffer[9];

    /// <summary>The source address of the original datagram: the host the error is sent to.</summary>
    public Ipv4Address Source => Ipv4Address.Read(_buffer[12..]);

    /// <summary>The destination address of the original datagram.</summary>
    public Ipv4Address Destination => Ipv4Address.Read(_buffer[16..]);

    /// <summary>Whether the quoted header's checksum is correct.</summary>
    public bool IsHeaderChecksumValid => InternetChecksum.Sum(Header) == 0xFFFF;

    /// <summary>The TCP or UDP source port (transport bytes 0-1).</summary>
    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(TransportHeader);

    /// <summary>The TCP or UDP destination port (transport bytes 2-3).</summary>
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(TransportHeader[2..]);

    /// <summary>The type of a quoted ICMP message (transport byte 0).</summary>
    public byte IcmpType => TransportHeader[0];

    /// <summary>The identifier of a quoted ICMP query (transport bytes 4-5).</summary>
    public ushort IcmpIdentifier => BinaryPrimitives.ReadUInt16BigEndian(TransportHeader[4..]);
}
