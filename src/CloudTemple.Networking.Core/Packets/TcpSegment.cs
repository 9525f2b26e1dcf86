using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;

namespace CloudTemple.Networking.Packets;

/// <summary>A view over a TCP segment (RFC 9293): ports, sequence numbers, flags, options, checksum and payload.</summary>
/// <remarks>
/// The setters of the sequence and acknowledgment numbers, the flags and the window, the port rewrites and the MSS
/// clamp keep the checksum valid incrementally (RFC 1624): none needs the pseudo-header. The port setters write the
/// field only (use <see cref="RewriteSourcePort"/> and <see cref="RewriteDestinationPort"/> to keep the checksum).
/// A view over a caller's buffer: not safe for concurrent use of the same bytes.
/// </remarks>
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

    /// <summary>The sequence number; setting it updates the checksum incrementally.</summary>
    public uint SequenceNumber
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[4..]);
        set => WriteWord32(4, value);
    }

    /// <summary>The acknowledgment number; setting it updates the checksum incrementally.</summary>
    public uint AcknowledgmentNumber
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[8..]);
        set => WriteWord32(8, value);
    }

    /// <summary>The header length in bytes (data offset × 4).</summary>
    public int HeaderLength => (_buffer[12] >> 4) * 4;

    /// <summary>The control bits; setting them updates the checksum incrementally.</summary>
    public TcpFlags Flags
    {
        get => (TcpFlags)_buffer[13];
        set => WriteWord(12, (ushort)((_buffer[12] << 8) | (byte)value));
    }

    /// <summary>The receive window; setting it updates the checksum incrementally.</summary>
    public ushort Window
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[14..]);
        set => WriteWord(14, value);
    }

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

    /// <summary>Rewrites the source port and updates the checksum incrementally.</summary>
    /// <param name="port">The new source port.</param>
    public void RewriteSourcePort(ushort port) => WriteWord(0, port);

    /// <summary>Rewrites the destination port and updates the checksum incrementally.</summary>
    /// <param name="port">The new destination port.</param>
    public void RewriteDestinationPort(ushort port) => WriteWord(2, port);

    /// <summary>
    /// Enumerates the options, without allocating. Enumeration ends at End of Option List, at the end of the header,
    /// or at the first malformed option (a missing or short length, or one running past the header), after which
    /// <see cref="TcpOptionEnumerator.IsMalformed"/> is <see langword="true"/>.
    /// </summary>
    /// <returns>The enumerator (usable in <see langword="foreach"/>; call <see cref="TcpOptionEnumerator.MoveNext"/> yourself to read <see cref="TcpOptionEnumerator.IsMalformed"/> at the end).</returns>
    public TcpOptionEnumerator EnumerateOptions() => new(_buffer[..HeaderLength]);

    /// <summary>Reads the Maximum Segment Size option (kind 2, length 4), if the options hold one before any malformed option.</summary>
    /// <param name="maximumSegmentSize">The MSS when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the segment carries a well-formed MSS option.</returns>
    public bool TryGetMaximumSegmentSize(out ushort maximumSegmentSize)
    {
        int offset = FindMaximumSegmentSize();
        maximumSegmentSize = offset < 0 ? (ushort)0 : BinaryPrimitives.ReadUInt16BigEndian(_buffer[offset..]);
        return offset >= 0;
    }

    /// <summary>
    /// Lowers the Maximum Segment Size option of a SYN (or SYN-ACK) to <paramref name="maximum"/> when it is larger, and
    /// updates the checksum incrementally. This is how a tunnel endpoint keeps TCP segments inside a smaller path MTU
    /// (an overlay MTU of 1450 gives an MSS of 1410).
    /// </summary>
    /// <remarks>
    /// Only segments with SYN set carry an MSS (RFC 9293 section 3.7.1); others are left alone. The first well-formed
    /// MSS option (kind 2, length 4) before any malformed option is clamped, wherever it is aligned. A SYN without an MSS
    /// option is left alone: an option cannot be inserted in place.
    /// </remarks>
    /// <param name="maximum">The largest MSS to let through.</param>
    /// <returns>Whether the MSS option was lowered.</returns>
    public bool ClampMaximumSegmentSize(ushort maximum)
    {
        if ((Flags & TcpFlags.Syn) == 0)
        {
            return false;
        }

        int offset = FindMaximumSegmentSize();
        if (offset < 0 || BinaryPrimitives.ReadUInt16BigEndian(_buffer[offset..]) <= maximum)
        {
            return false;
        }

        WriteWord(offset, maximum);
        return true;
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

    // The offset in the segment of the MSS option's value, or -1.
    private int FindMaximumSegmentSize()
    {
        foreach (var option in EnumerateOptions())
        {
            if (option.Kind == TcpOptionKinds.MaximumSegmentSize && option.Length == 4)
            {
                return option.Offset + 2;
            }
        }

        return -1;
    }

    private void WriteWord32(int offset, uint value)
    {
        WriteWord(offset, (ushort)(value >> 16));
        WriteWord(offset + 2, (ushort)value);
    }

    // Writes a 16-bit field and updates the checksum by RFC 1624 equation 3. A field at an odd offset straddles two
    // checksum words, where its bytes count swapped (RFC 1071 section 2(B)), so the update uses the swapped values.
    private void WriteWord(int offset, ushort value)
    {
        var field = _buffer[offset..];
        ushort oldValue = BinaryPrimitives.ReadUInt16BigEndian(field);
        BinaryPrimitives.WriteUInt16BigEndian(field, value);
        Checksum = offset % 2 == 0
            ? InternetChecksum.Update(Checksum, oldValue, value)
            : InternetChecksum.Update(Checksum, BinaryPrimitives.ReverseEndianness(oldValue), BinaryPrimitives.ReverseEndianness(value));
    }
}
