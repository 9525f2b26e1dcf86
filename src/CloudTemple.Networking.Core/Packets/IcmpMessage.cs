using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;

namespace CloudTemple.Networking.Packets;

/// <summary>A view over an ICMP message (RFC 792): type, code, checksum, the 4-byte rest of header, and data.</summary>
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

    /// <summary>The identifier of an echo or other query (bytes 4-5); setting it updates the checksum incrementally, as NAT does.</summary>
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

    /// <summary>The data after the 8-byte header.</summary>
    public Span<byte> Data => _buffer[HeaderLength..];

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
