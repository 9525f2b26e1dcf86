using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;

namespace CloudTemple.Networking.Packets;

/// <summary>
/// A view over an IPv4 packet (RFC 791): header fields, options, fragment fields and payload.
/// Setters of the addresses and TTL keep the header checksum valid incrementally (RFC 1624).
/// </summary>
public readonly ref struct Ipv4Packet
{
    /// <summary>The length of a header without options.</summary>
    public const int MinHeaderLength = 20;

    /// <summary>The length of the longest header (IHL 15).</summary>
    public const int MaxHeaderLength = 60;

    private const ushort DontFragmentFlag = 0x4000;
    private const ushort MoreFragmentsFlag = 0x2000;

    private readonly Span<byte> _buffer;

    private Ipv4Packet(Span<byte> buffer) => _buffer = buffer;

    /// <summary>
    /// Parses an IPv4 header. The view covers the packet's total length (trailing link-layer padding is left out).
    /// </summary>
    /// <param name="buffer">The packet, starting with the version field.</param>
    /// <param name="packet">The view when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the buffer was refused, or <see cref="PacketParseError.None"/>.</param>
    /// <returns>Whether the buffer holds a consistent IPv4 header.</returns>
    public static bool TryParse(Span<byte> buffer, out Ipv4Packet packet, out PacketParseError error)
    {
        packet = default;
        if (buffer.Length < MinHeaderLength)
        {
            error = PacketParseError.Truncated;
            return false;
        }

        if (buffer[0] >> 4 != 4)
        {
            error = PacketParseError.BadVersion;
            return false;
        }

        int headerLength = (buffer[0] & 0x0F) * 4;
        if (headerLength < MinHeaderLength || headerLength > buffer.Length)
        {
            error = PacketParseError.BadHeaderLength;
            return false;
        }

        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        if (totalLength > buffer.Length)
        {
            error = PacketParseError.TotalLengthBeyondBuffer;
            return false;
        }

        if (totalLength < headerLength)
        {
            error = PacketParseError.TotalLengthTooShort;
            return false;
        }

        packet = new Ipv4Packet(buffer[..totalLength]);
        error = PacketParseError.None;
        return true;
    }

    /// <summary>The bytes of the packet (header and payload, total length).</summary>
    public Span<byte> Buffer => _buffer;

    /// <summary>The header length in bytes (IHL × 4), 20 to 60.</summary>
    public int HeaderLength => (_buffer[0] & 0x0F) * 4;

    /// <summary>The DSCP (6 bits).</summary>
    public byte Dscp => (byte)(_buffer[1] >> 2);

    /// <summary>The ECN field (2 bits).</summary>
    public byte Ecn => (byte)(_buffer[1] & 0x03);

    /// <summary>The total length field.</summary>
    public ushort TotalLength => BinaryPrimitives.ReadUInt16BigEndian(_buffer[2..]);

    /// <summary>The identification field.</summary>
    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(_buffer[4..]);

    private ushort FlagsAndOffset => BinaryPrimitives.ReadUInt16BigEndian(_buffer[6..]);

    /// <summary>The DF (don't fragment) flag.</summary>
    public bool DontFragment => (FlagsAndOffset & DontFragmentFlag) != 0;

    /// <summary>The MF (more fragments) flag.</summary>
    public bool MoreFragments => (FlagsAndOffset & MoreFragmentsFlag) != 0;

    /// <summary>The fragment offset in bytes (the field × 8).</summary>
    public int FragmentOffset => (FlagsAndOffset & 0x1FFF) * 8;

    /// <summary>Whether this packet is a fragment (MF set or a non-zero offset).</summary>
    public bool IsFragment => (FlagsAndOffset & (MoreFragmentsFlag | 0x1FFF)) != 0;

    /// <summary>The time to live; setting it updates the header checksum incrementally.</summary>
    public byte TimeToLive
    {
        get => _buffer[8];
        set
        {
            ushort oldWord = BinaryPrimitives.ReadUInt16BigEndian(_buffer[8..]);
            _buffer[8] = value;
            HeaderChecksum = InternetChecksum.Update(HeaderChecksum, oldWord, BinaryPrimitives.ReadUInt16BigEndian(_buffer[8..]));
        }
    }

    /// <summary>The protocol of the payload (see <see cref="IpProtocols"/>).</summary>
    public byte Protocol => _buffer[9];

    /// <summary>The header checksum field.</summary>
    public ushort HeaderChecksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[10..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[10..], value);
    }

    /// <summary>The source address; setting it updates the header checksum incrementally (not the TCP/UDP one: see <see cref="InternetChecksum.Update(ushort, Ipv4Address, Ipv4Address)"/>).</summary>
    public Ipv4Address Source
    {
        get => Ipv4Address.Read(_buffer[12..]);
        set
        {
            HeaderChecksum = InternetChecksum.Update(HeaderChecksum, Source, value);
            value.WriteTo(_buffer[12..]);
        }
    }

    /// <summary>The destination address; setting it updates the header checksum incrementally.</summary>
    public Ipv4Address Destination
    {
        get => Ipv4Address.Read(_buffer[16..]);
        set
        {
            HeaderChecksum = InternetChecksum.Update(HeaderChecksum, Destination, value);
            value.WriteTo(_buffer[16..]);
        }
    }

    /// <summary>The options bytes (empty when IHL is 5).</summary>
    public Span<byte> Options => _buffer[MinHeaderLength..HeaderLength];

    /// <summary>The payload after the header, up to the total length.</summary>
    public Span<byte> Payload => _buffer[HeaderLength..];

    /// <summary>Whether the header checksum is correct.</summary>
    public bool IsHeaderChecksumValid => InternetChecksum.Sum(_buffer[..HeaderLength]) == 0xFFFF;

    /// <summary>Recomputes the header checksum from scratch.</summary>
    public void UpdateHeaderChecksum()
    {
        HeaderChecksum = 0;
        HeaderChecksum = InternetChecksum.Compute(_buffer[..HeaderLength]);
    }

    /// <summary>Writes an IPv4 header, options included, with a correct header checksum.</summary>
    /// <param name="destination">Where to write; at least the header length.</param>
    /// <param name="source">The source address.</param>
    /// <param name="destinationAddress">The destination address.</param>
    /// <param name="protocol">The payload's protocol (see <see cref="IpProtocols"/>).</param>
    /// <param name="payloadLength">The length of the payload that will follow the header.</param>
    /// <param name="timeToLive">The TTL.</param>
    /// <param name="identification">The identification field.</param>
    /// <param name="dontFragment">Whether to set DF.</param>
    /// <param name="dscp">The DSCP, 0 to 63.</param>
    /// <param name="options">Options, padded by the caller to a multiple of 4 bytes, at most 40.</param>
    /// <returns>The header length written.</returns>
    /// <exception cref="ArgumentException">The destination is too short, the options are not a multiple of 4 bytes or too long, or the total length would exceed 65,535.</exception>
    public static int WriteHeader(Span<byte> destination, Ipv4Address source, Ipv4Address destinationAddress, byte protocol, int payloadLength,
        byte timeToLive = 64, ushort identification = 0, bool dontFragment = true, byte dscp = 0, ReadOnlySpan<byte> options = default)
    {
        if (options.Length % 4 != 0 || options.Length > MaxHeaderLength - MinHeaderLength)
        {
            throw new ArgumentException($"IPv4 options must be padded to a multiple of 4 bytes and at most 40; got {options.Length}.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(dscp, (byte)63);
        int headerLength = MinHeaderLength + options.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, ushort.MaxValue - headerLength);
        Guard.Space(destination, headerLength);

        destination[0] = (byte)(0x40 | (headerLength / 4));
        destination[1] = (byte)(dscp << 2);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(headerLength + payloadLength));
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], identification);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], dontFragment ? DontFragmentFlag : (ushort)0);
        destination[8] = timeToLive;
        destination[9] = protocol;
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], 0);
        source.WriteTo(destination[12..]);
        destinationAddress.WriteTo(destination[16..]);
        options.CopyTo(destination[MinHeaderLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], InternetChecksum.Compute(destination[..headerLength]));
        return headerLength;
    }
}
