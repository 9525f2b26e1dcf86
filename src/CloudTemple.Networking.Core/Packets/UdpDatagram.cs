using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;

namespace CloudTemple.Networking.Packets;

/// <summary>A view over a UDP datagram (RFC 768): ports, length, checksum and payload.</summary>
/// <remarks>
/// The port rewrites keep the checksum valid incrementally with RFC 768's rules: a checksum of 0 ("none") stays 0,
/// and an updated checksum of 0 is stored as 0xFFFF. The port setters write the field only.
/// A view over a caller's buffer: not safe for concurrent use of the same bytes.
/// </remarks>
public readonly ref struct UdpDatagram
{
    /// <summary>The UDP header length.</summary>
    public const int HeaderLength = 8;

    private readonly Span<byte> _buffer;

    private UdpDatagram(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Parses a UDP header. The view covers the UDP length field's bytes.</summary>
    /// <param name="buffer">The datagram, usually <see cref="Ipv4Packet.Payload"/>.</param>
    /// <param name="datagram">The view when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the buffer was refused, or <see cref="PacketParseError.None"/>.</param>
    /// <returns>Whether the buffer holds a consistent UDP datagram.</returns>
    public static bool TryParse(Span<byte> buffer, out UdpDatagram datagram, out PacketParseError error)
    {
        datagram = default;
        if (buffer.Length < HeaderLength)
        {
            error = PacketParseError.Truncated;
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(buffer[4..]);
        if (length > buffer.Length)
        {
            error = PacketParseError.TotalLengthBeyondBuffer;
            return false;
        }

        if (length < HeaderLength)
        {
            error = PacketParseError.TotalLengthTooShort;
            return false;
        }

        datagram = new UdpDatagram(buffer[..length]);
        error = PacketParseError.None;
        return true;
    }

    /// <summary>The bytes of the datagram (header and payload).</summary>
    public Span<byte> Buffer => _buffer;

    /// <summary>The source port. The setter writes the field only; <see cref="RewriteSourcePort"/> also updates the checksum.</summary>
    public ushort SourcePort
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer, value);
    }

    /// <summary>The destination port. The setter writes the field only; <see cref="RewriteDestinationPort"/> also updates the checksum.</summary>
    public ushort DestinationPort
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[2..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], value);
    }

    /// <summary>The length field (header and payload).</summary>
    public ushort Length => BinaryPrimitives.ReadUInt16BigEndian(_buffer[4..]);

    /// <summary>The checksum field; 0 means the sender computed none.</summary>
    public ushort Checksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[6..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[6..], value);
    }

    /// <summary>The payload.</summary>
    public Span<byte> Payload => _buffer[HeaderLength..];

    /// <summary>Whether the checksum is correct over the IPv4 pseudo-header (a zero checksum, "none", counts as valid).</summary>
    /// <param name="source">The IPv4 source address.</param>
    /// <param name="destination">The IPv4 destination address.</param>
    /// <returns>Whether the checksum verifies.</returns>
    public bool IsChecksumValid(Ipv4Address source, Ipv4Address destination) =>
        Checksum == 0
        || InternetChecksum.Sum(_buffer, InternetChecksum.PseudoHeaderSum(source, destination, IpProtocols.Udp, (ushort)_buffer.Length)) == 0xFFFF;

    /// <summary>Computes and stores the checksum over the IPv4 pseudo-header.</summary>
    /// <param name="source">The IPv4 source address.</param>
    /// <param name="destination">The IPv4 destination address.</param>
    public void UpdateChecksum(Ipv4Address source, Ipv4Address destination)
    {
        Checksum = 0;
        ushort checksum = InternetChecksum.ComputeWithPseudoHeader(source, destination, IpProtocols.Udp, _buffer);
        // RFC 768: a computed zero is sent as all ones, since zero means "no checksum".
        Checksum = checksum == 0 ? (ushort)0xFFFF : checksum;
    }

    /// <summary>Rewrites the source port and updates the checksum incrementally (0, "no checksum", stays 0).</summary>
    /// <param name="port">The new source port.</param>
    public void RewriteSourcePort(ushort port) => RewritePort(0, port);

    /// <summary>Rewrites the destination port and updates the checksum incrementally (0, "no checksum", stays 0).</summary>
    /// <param name="port">The new destination port.</param>
    public void RewriteDestinationPort(ushort port) => RewritePort(2, port);

    /// <summary>Writes a UDP header with a zero checksum; call <see cref="UpdateChecksum"/> once the payload is in place.</summary>
    /// <param name="destination">Where to write; at least <see cref="HeaderLength"/> bytes.</param>
    /// <param name="sourcePort">The source port.</param>
    /// <param name="destinationPort">The destination port.</param>
    /// <param name="payloadLength">The length of the payload that follows.</param>
    /// <returns>The number of bytes written (8).</returns>
    public static int WriteHeader(Span<byte> destination, ushort sourcePort, ushort destinationPort, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, ushort.MaxValue - HeaderLength);
        Guard.Space(destination, HeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(HeaderLength + payloadLength));
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], 0);
        return HeaderLength;
    }

    private void RewritePort(int offset, ushort port)
    {
        var field = _buffer[offset..];
        var delta = ChecksumDelta.Between(BinaryPrimitives.ReadUInt16BigEndian(field), port);
        BinaryPrimitives.WriteUInt16BigEndian(field, port);
        Checksum = delta.ApplyToUdp(Checksum);
    }
}
