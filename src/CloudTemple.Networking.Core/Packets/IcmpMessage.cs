using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;

namespace CloudTemple.Networking.Packets;

/// <summary>
/// A view over an ICMP message (RFC 792): type, code, checksum, the 4-byte rest of header, and data.
/// Queries (<see cref="IsQuery"/>) carry an identifier that NAT rewrites through <see cref="Identifier"/>; errors
/// (<see cref="IsError"/>) quote the offending datagram, read with <see cref="TryParseQuotedPacket"/>.
/// </summary>
/// <remarks>A view is as thread-safe as the buffer it wraps: not at all when the buffer is shared and written.</remarks>
public readonly ref struct IcmpMessage
{
    /// <summary>The ICMP header length (type, code, checksum, rest of header).</summary>
    public const int HeaderLength = 8;

    /// <summary>Echo reply.</summary>
    public const byte TypeEchoReply = 0;

    /// <summary>Destination unreachable.</summary>
    public const byte TypeDestinationUnreachable = 3;

    /// <summary>Echo request.</summary>
    public const byte TypeEchoRequest = 8;

    /// <summary>Time exceeded.</summary>
    public const byte TypeTimeExceeded = 11;

    private readonly Span<byte> _buffer;

    private IcmpMessage(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Parses an ICMP header. The view covers the whole buffer.</summary>
    /// <param name="buffer">The message, usually <see cref="Ipv4Packet.Payload"/>.</param>
    /// <param name="message">The view when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the buffer was refused, or <see cref="PacketParseError.None"/>.</param>
    /// <returns>Whether the buffer holds an ICMP header.</returns>
    public static bool TryParse(Span<byte> buffer, out IcmpMessage message, out PacketParseError error)
    {
        message = default;
        if (buffer.Length < HeaderLength)
        {
            error = PacketParseError.Truncated;
            return false;
        }

        message = new IcmpMessage(buffer);
        error = PacketParseError.None;
        return true;
    }

    /// <summary>The bytes of the message.</summary>
    public Span<byte> Buffer => _buffer;

    /// <summary>The type.</summary>
    public byte Type => _buffer[0];

    /// <summary>The code.</summary>
    public byte Code => _buffer[1];

    /// <summary>The checksum field.</summary>
    public ushort Checksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[2..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], value);
    }

    /// <summary>
    /// The identifier of an echo or other query (bytes 4-5); setting it updates the checksum incrementally (RFC 1624),
    /// as NAT does, in one call. Meaningful for queries only (<see cref="IsQuery"/>).
    /// </summary>
    public ushort Identifier
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[4..]);
        set
        {
            Checksum = InternetChecksum.Update(Checksum, Identifier, value);
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[4..], value);
        }
    }

    /// <summary>The sequence number of an echo or other query (bytes 6-7).</summary>
    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_buffer[6..]);

    /// <summary>Whether this is an error message (types 3, 4, 5, 11, 12; see <see cref="IcmpTypes.IsError"/>).</summary>
    public bool IsError => IcmpTypes.IsError(Type);

    /// <summary>Whether this is a query with an identifier (echo, timestamp, information, address mask; see <see cref="IcmpTypes.IsQuery"/>).</summary>
    public bool IsQuery => IcmpTypes.IsQuery(Type);

    /// <summary>
    /// The next-hop MTU of a "fragmentation needed and DF set" error (type 3, code 4; RFC 1191 section 4), or 0 for any
    /// other message. 0 in a fragmentation needed error comes from a router older than RFC 1191: the MTU is unknown.
    /// </summary>
    public ushort NextHopMtu =>
        Type == IcmpTypes.DestinationUnreachable && Code == (byte)DestinationUnreachableCode.FragmentationNeeded
            ? BinaryPrimitives.ReadUInt16BigEndian(_buffer[6..])
            : (ushort)0;

    /// <summary>The data after the 8-byte header.</summary>
    public Span<byte> Data => _buffer[HeaderLength..];

    /// <summary>Parses the datagram quoted in the data of an error message; see <see cref="IcmpQuotedPacket.TryParse"/>. Never throws.</summary>
    /// <param name="quoted">The view when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the data was refused, or <see cref="PacketParseError.None"/>; <see cref="PacketParseError.NotAnIcmpError"/> for a message that is not an error.</param>
    /// <returns>Whether this is an error message quoting an IPv4 header and at least 8 bytes.</returns>
    public bool TryParseQuotedPacket(out IcmpQuotedPacket quoted, out PacketParseError error)
    {
        if (!IsError)
        {
            quoted = default;
            error = PacketParseError.NotAnIcmpError;
            return false;
        }

        return IcmpQuotedPacket.TryParse(Data, out quoted, out error);
    }

    /// <summary>Whether the checksum is correct over the whole message.</summary>
    public bool IsChecksumValid => InternetChecksum.Sum(_buffer) == 0xFFFF;

    /// <summary>Computes and stores the checksum over the whole message.</summary>
    public void UpdateChecksum()
    {
        Checksum = 0;
        Checksum = InternetChecksum.Compute(_buffer);
    }

    /// <summary>Writes an ICMP header with a zero checksum; call <see cref="UpdateChecksum"/> once the data is in place.</summary>
    /// <param name="destination">Where to write; at least <see cref="HeaderLength"/> bytes.</param>
    /// <param name="type">The type.</param>
    /// <param name="code">The code.</param>
    /// <param name="identifier">Bytes 4-5 (echo identifier, or 0).</param>
    /// <param name="sequenceNumber">Bytes 6-7 (echo sequence number, or the next-hop MTU of "fragmentation needed").</param>
    /// <returns>The number of bytes written (8).</returns>
    public static int WriteHeader(Span<byte> destination, byte type, byte code, ushort identifier, ushort sequenceNumber)
    {
        Guard.Space(destination, HeaderLength);
        destination[0] = type;
        destination[1] = code;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], sequenceNumber);
        return HeaderLength;
    }
}
