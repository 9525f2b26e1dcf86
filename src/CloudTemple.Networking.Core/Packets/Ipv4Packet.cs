using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;

namespace CloudTemple.Networking.Packets;

/// <summary>
/// A view over an IPv4 packet (RFC 791): header fields, options, fragment fields and payload.
/// Every setter of a header field keeps the header checksum valid incrementally (RFC 1624); the rewrite methods
/// (<see cref="RewriteSource(Ipv4Address)"/>, <see cref="TryRewriteSource(Ipv4Address, ushort)"/> and their
/// destination twins) also keep the TCP or UDP checksum valid.
/// </summary>
/// <remarks>
/// A view over a caller's buffer: not safe for concurrent use of the same bytes. The TCP or UDP header is only in
/// the first fragment (fragment offset 0): rewrites patch it there and never touch the payload of a later fragment.
/// </remarks>
public readonly ref struct Ipv4Packet
{
    /// <summary>The length of a header without options.</summary>
    public const int MinHeaderLength = 20;

    /// <summary>The length of the longest header (IHL 15).</summary>
    public const int MaxHeaderLength = 60;

    private const ushort DontFragmentFlag = 0x4000;
    private const ushort MoreFragmentsFlag = 0x2000;
    internal const int SourceOffset = 12;
    internal const int DestinationOffset = 16;
    private const int TcpChecksumOffset = 16;
    private const int UdpChecksumOffset = 6;

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

    /// <summary>The DSCP (6 bits); setting it keeps the ECN bits and updates the header checksum incrementally.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set exceeds 63.</exception>
    public byte Dscp
    {
        get => (byte)(_buffer[1] >> 2);
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, (byte)63);
            SetHeaderBits(0, 0x00FC, (ushort)(value << 2));
        }
    }

    /// <summary>The ECN field (2 bits); setting it keeps the DSCP and updates the header checksum incrementally.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set exceeds 3.</exception>
    public byte Ecn
    {
        get => (byte)(_buffer[1] & 0x03);
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, (byte)3);
            SetHeaderBits(0, 0x0003, value);
        }
    }

    /// <summary>
    /// The total length field; setting it updates the header checksum incrementally. The view is not resized (parse the
    /// buffer again to see the new length), and a TCP or UDP checksum, whose pseudo-header holds the length, is not updated.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is shorter than the header.</exception>
    public ushort TotalLength
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[2..]);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, HeaderLength);
            SetHeaderBits(2, 0xFFFF, value);
        }
    }

    /// <summary>The identification field; setting it updates the header checksum incrementally.</summary>
    public ushort Identification
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[4..]);
        set => SetHeaderBits(4, 0xFFFF, value);
    }

    private ushort FlagsAndOffset => BinaryPrimitives.ReadUInt16BigEndian(_buffer[6..]);

    /// <summary>The DF (don't fragment) flag; setting it updates the header checksum incrementally.</summary>
    public bool DontFragment
    {
        get => (FlagsAndOffset & DontFragmentFlag) != 0;
        set => SetHeaderBits(6, DontFragmentFlag, value ? DontFragmentFlag : (ushort)0);
    }

    /// <summary>The MF (more fragments) flag; setting it updates the header checksum incrementally.</summary>
    public bool MoreFragments
    {
        get => (FlagsAndOffset & MoreFragmentsFlag) != 0;
        set => SetHeaderBits(6, MoreFragmentsFlag, value ? MoreFragmentsFlag : (ushort)0);
    }

    /// <summary>The fragment offset in bytes (the field × 8).</summary>
    public int FragmentOffset => (FlagsAndOffset & 0x1FFF) * 8;

    /// <summary>Whether this packet is a fragment (MF set or a non-zero offset).</summary>
    public bool IsFragment => (FlagsAndOffset & (MoreFragmentsFlag | 0x1FFF)) != 0;

    /// <summary>The time to live; setting it updates the header checksum incrementally.</summary>
    public byte TimeToLive
    {
        get => _buffer[8];
        set => SetHeaderBits(8, 0xFF00, (ushort)(value << 8));
    }

    /// <summary>
    /// The protocol of the payload (see <see cref="IpProtocols"/>); setting it updates the header checksum incrementally
    /// (not a TCP or UDP checksum, whose pseudo-header holds the protocol).
    /// </summary>
    public byte Protocol
    {
        get => _buffer[9];
        set => SetHeaderBits(8, 0x00FF, value);
    }

    /// <summary>The header checksum field.</summary>
    public ushort HeaderChecksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[10..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[10..], value);
    }

    /// <summary>
    /// The source address; setting it updates the header checksum incrementally, not the TCP or UDP checksum:
    /// <see cref="RewriteSource(Ipv4Address)"/> updates both.
    /// </summary>
    public Ipv4Address Source
    {
        get => Ipv4Address.Read(_buffer[12..]);
        set
        {
            HeaderChecksum = InternetChecksum.Update(HeaderChecksum, Source, value);
            value.WriteTo(_buffer[12..]);
        }
    }

    /// <summary>
    /// The destination address; setting it updates the header checksum incrementally, not the TCP or UDP checksum:
    /// <see cref="RewriteDestination(Ipv4Address)"/> updates both.
    /// </summary>
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

    /// <summary>
    /// Rewrites the source address and keeps every checksum right: the header checksum, and the TCP or UDP checksum
    /// whose pseudo-header holds the address, both incrementally (RFC 1624).
    /// </summary>
    /// <remarks>
    /// The TCP or UDP checksum is patched only where it is in this packet: an unfragmented packet or a first fragment
    /// (offset 0, where it covers the whole datagram) whose payload reaches the checksum field. A later fragment
    /// gets its header checksum updated and its payload left alone. A UDP checksum of 0 ("none") stays 0, and an
    /// updated checksum of 0 is stored as 0xFFFF (RFC 768). Other protocols' payloads (ICMP has no pseudo-header)
    /// are not touched.
    /// </remarks>
    /// <param name="address">The new source address.</param>
    public void RewriteSource(Ipv4Address address) => RewriteAddress(SourceOffset, address);

    /// <summary>
    /// Rewrites the destination address and keeps every checksum right, as <see cref="RewriteSource(Ipv4Address)"/> does
    /// for the source.
    /// </summary>
    /// <param name="address">The new destination address.</param>
    public void RewriteDestination(Ipv4Address address) => RewriteAddress(DestinationOffset, address);

    /// <summary>
    /// Rewrites the source address and the TCP or UDP source port together (source NAT) and keeps the header checksum
    /// and the TCP or UDP checksum right, incrementally. A UDP checksum of 0 stays 0; an updated 0 is stored as 0xFFFF.
    /// </summary>
    /// <param name="address">The new source address.</param>
    /// <param name="port">The new source port.</param>
    /// <returns>
    /// Whether the packet was rewritten; <see langword="false"/>, with the packet unchanged, when it carries no port to
    /// rewrite: not TCP or UDP, a fragment other than the first, or a payload too short to hold the checksum field.
    /// </returns>
    public bool TryRewriteSource(Ipv4Address address, ushort port) => TryRewriteEndpoint(SourceOffset, 0, address, port);

    /// <summary>
    /// Rewrites the destination address and the TCP or UDP destination port together (destination NAT), as
    /// <see cref="TryRewriteSource(Ipv4Address, ushort)"/> does for the source.
    /// </summary>
    /// <param name="address">The new destination address.</param>
    /// <param name="port">The new destination port.</param>
    /// <returns>Whether the packet was rewritten; <see langword="false"/>, with the packet unchanged, when it carries no port to rewrite.</returns>
    public bool TryRewriteDestination(Ipv4Address address, ushort port) => TryRewriteEndpoint(DestinationOffset, 2, address, port);

    /// <summary>
    /// Decrements the time to live as a router forwarding the packet does (RFC 1812 section 5.3.1), updating the header
    /// checksum incrementally.
    /// </summary>
    /// <returns>
    /// Whether the TTL expired: <see langword="true"/> when it was 0 or 1, the packet must then be dropped (and answered
    /// with an ICMP time exceeded); the packet is left as it arrived, so that the ICMP error quotes it unchanged and the
    /// TTL never goes below 0.
    /// </returns>
    public bool DecrementTimeToLive()
    {
        byte ttl = _buffer[8];
        if (ttl <= 1)
        {
            return true;
        }

        TimeToLive = (byte)(ttl - 1);
        return false;
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

    /// <summary>
    /// The offset of the TCP or UDP checksum field inside <see cref="Payload"/>, or -1 when this packet carries none that
    /// can be patched: not TCP or UDP, not the first fragment, or a payload that does not reach the field.
    /// </summary>
    internal int TransportChecksumOffset
    {
        get
        {
            if ((FlagsAndOffset & 0x1FFF) != 0)
            {
                return -1;
            }

            int payloadLength = _buffer.Length - HeaderLength;
            return _buffer[9] switch
            {
                IpProtocols.Tcp when payloadLength >= TcpChecksumOffset + 2 => TcpChecksumOffset,
                IpProtocols.Udp when payloadLength >= UdpChecksumOffset + 2 => UdpChecksumOffset,
                _ => -1,
            };
        }
    }

    /// <summary>
    /// Writes a new address and port at the given offsets and applies precomputed deltas to the header checksum and the
    /// transport checksum found by <see cref="TransportChecksumOffset"/> (which the caller has checked is not -1).
    /// </summary>
    internal void RewriteEndpoint(int addressOffset, int portOffset, Ipv4Address address, ushort port,
        ChecksumDelta headerDelta, ChecksumDelta transportDelta, int transportChecksumOffset)
    {
        address.WriteTo(_buffer[addressOffset..]);
        HeaderChecksum = headerDelta.ApplyTo(HeaderChecksum);
        var transport = _buffer[HeaderLength..];
        BinaryPrimitives.WriteUInt16BigEndian(transport[portOffset..], port);
        PatchTransportChecksum(transport, transportChecksumOffset, transportDelta);
    }

    private bool TryRewriteEndpoint(int addressOffset, int portOffset, Ipv4Address address, ushort port)
    {
        int checksumOffset = TransportChecksumOffset;
        if (checksumOffset < 0)
        {
            return false;
        }

        var addressDelta = ChecksumDelta.Between(Ipv4Address.Read(_buffer[addressOffset..]), address);
        var portDelta = ChecksumDelta.Between(BinaryPrimitives.ReadUInt16BigEndian(_buffer[(HeaderLength + portOffset)..]), port);
        RewriteEndpoint(addressOffset, portOffset, address, port, addressDelta, addressDelta + portDelta, checksumOffset);
        return true;
    }

    private void RewriteAddress(int offset, Ipv4Address address)
    {
        var delta = ChecksumDelta.Between(Ipv4Address.Read(_buffer[offset..]), address);
        address.WriteTo(_buffer[offset..]);
        HeaderChecksum = delta.ApplyTo(HeaderChecksum);
        int checksumOffset = TransportChecksumOffset;
        if (checksumOffset >= 0)
        {
            PatchTransportChecksum(_buffer[HeaderLength..], checksumOffset, delta);
        }
    }

    private static void PatchTransportChecksum(Span<byte> transport, int checksumOffset, ChecksumDelta delta)
    {
        var field = transport[checksumOffset..];
        ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(field);
        // UDP's checksum sits at offset 6, TCP's at 16: the offset tells the rules apart.
        checksum = checksumOffset == UdpChecksumOffset ? delta.ApplyToUdp(checksum) : delta.ApplyTo(checksum);
        BinaryPrimitives.WriteUInt16BigEndian(field, checksum);
    }

    // Replaces the bits of one header word under a mask and updates the header checksum by RFC 1624 equation 3.
    private void SetHeaderBits(int wordOffset, ushort mask, ushort bits)
    {
        var word = _buffer[wordOffset..];
        ushort oldWord = BinaryPrimitives.ReadUInt16BigEndian(word);
        ushort newWord = (ushort)((oldWord & ~mask) | (bits & mask));
        BinaryPrimitives.WriteUInt16BigEndian(word, newWord);
        HeaderChecksum = InternetChecksum.Update(HeaderChecksum, oldWord, newWord);
    }
}
