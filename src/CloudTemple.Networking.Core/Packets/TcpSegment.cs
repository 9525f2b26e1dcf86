using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;

namespace CloudTemple.Networking.Packets;

/// <summary>A view over a TCP segment (RFC 9293): ports, sequence numbers, flags, options, checksum and payload.</summary>
public readonly ref struct TcpSegment
{
    /// <summary>The header length without options.</summary>
    public const int MinHeaderLength = 20;

    private readonly Span<byte> _buffer;

    private TcpSegment(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Parses a TCP header. The view covers the whole buffer (TCP has no length field of its own).</summary>
    /// <param name="buffer">The segment, usually <see cref="Ipv4Packet.Payload"/>.</param>
    /// <param name="segment">The view when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the buffer was refused, or <see cref="PacketParseError.None"/>.</param>
    /// <returns>Whether the buffer holds a consistent TCP header.</returns>
    public static bool TryParse(Span<byte> buffer, out TcpSegment segment, out PacketParseError error)
    {
        segment = default;
        if (buffer.Length < MinHeaderLength)
        {
            error = PacketParseError.Truncated;
            return false;
        }

        int headerLength = (buffer[12] >> 4) * 4;
        if (headerLength < MinHeaderLength || headerLength > buffer.Length)
        {
            error = PacketParseError.BadHeaderLength;
            return false;
        }

        segment = new TcpSegment(buffer);
        error = PacketParseError.None;
        return true;
    }

    /// <summary>The bytes of the segment.</summary>
    public Span<byte> Buffer => _buffer;

    /// <summary>The source port.</summary>
    public ushort SourcePort
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer, value);
    }

    /// <summary>The destination port.</summary>
    public ushort DestinationPort
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[2..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], value);
    }

    /// <summary>The sequence number.</summary>
    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(_buffer[4..]);

    /// <summary>The acknowledgment number.</summary>
    public uint AcknowledgmentNumber => BinaryPrimitives.ReadUInt32BigEndian(_buffer[8..]);

    /// <summary>The header length in bytes (data offset × 4).</summary>
    public int HeaderLength => (_buffer[12] >> 4) * 4;

    /// <summary>The control bits.</summary>
    public TcpFlags Flags => (TcpFlags)_buffer[13];

    /// <summary>The receive window.</summary>
    public ushort Window => BinaryPrimitives.ReadUInt16BigEndian(_buffer[14..]);

    /// <summary>The checksum field.</summary>
    public ushort Checksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[16..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[16..], value);
    }

    /// <summary>The urgent pointer.</summary>
    public ushort UrgentPointer => BinaryPrimitives.ReadUInt16BigEndian(_buffer[18..]);

    /// <summary>The options bytes.</summary>
    public Span<byte> Options => _buffer[MinHeaderLength..HeaderLength];

    /// <summary>The payload after the header.</summary>
    public Span<byte> Payload => _buffer[HeaderLength..];

    /// <summary>Whether the checksum is correct over the IPv4 pseudo-header.</summary>
    /// <param name="source">The IPv4 source address.</param>
    /// <param name="destination">The IPv4 destination address.</param>
    /// <returns>Whether the checksum verifies.</returns>
    public bool IsChecksumValid(Ipv4Address source, Ipv4Address destination) =>
        _buffer.Length <= ushort.MaxValue
        && InternetChecksum.Sum(_buffer, InternetChecksum.PseudoHeaderSum(source, destination, IpProtocols.Tcp, (ushort)_buffer.Length)) == 0xFFFF;

    /// <summary>Computes and stores the checksum over the IPv4 pseudo-header.</summary>
    /// <param name="source">The IPv4 source address.</param>
    /// <param name="destination">The IPv4 destination address.</param>
    public void UpdateChecksum(Ipv4Address source, Ipv4Address destination)
    {
        Checksum = 0;
        Checksum = InternetChecksum.ComputeWithPseudoHeader(source, destination, IpProtocols.Tcp, _buffer);
    }

    /// <summary>Writes a TCP header with a zero checksum; call <see cref="UpdateChecksum"/> once the payload is in place.</summary>
    /// <param name="destination">Where to write; at least the header length.</param>
    /// <param name="sourcePort">The source port.</param>
    /// <param name="destinationPort">The destination port.</param>
    /// <param name="sequenceNumber">The sequence number.</param>
    /// <param name="acknowledgmentNumber">The acknowledgment number.</param>
    /// <param name="flags">The control bits.</param>
    /// <param name="window">The receive window.</param>
    /// <param name="options">Options, padded by the caller to a multiple of 4 bytes, at most 40.</param>
    /// <returns>The header length written.</returns>
    public static int WriteHeader(Span<byte> destination, ushort sourcePort, ushort destinationPort, uint sequenceNumber, uint acknowledgmentNumber,
        TcpFlags flags, ushort window, ReadOnlySpan<byte> options = default)
    {
        if (options.Length % 4 != 0 || options.Length > 40)
        {
            throw new ArgumentException($"TCP options must be padded to a multiple of 4 bytes and at most 40; got {options.Length}.", nameof(options));
        }

        int headerLength = MinHeaderLength + options.Length;
        Guard.Space(destination, headerLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], acknowledgmentNumber);
        destination[12] = (byte)((headerLength / 4) << 4);
        destination[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], window);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], 0);
        options.CopyTo(destination[MinHeaderLength..]);
        return headerLength;
    }
}
