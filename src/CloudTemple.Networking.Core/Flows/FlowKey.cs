using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CloudTemple.Networking.Buffers;
using CloudTemple.Networking.Packets;

namespace CloudTemple.Networking;

/// <summary>
/// The 5-tuple of an IPv4 flow (source, destination, protocol, ports), with the ICMP query identifier
/// standing where ports stand. It keys sessions, picks the next hop of an ECMP route and the source port
/// of a tunnel through <see cref="StableHash"/>.
/// </summary>
/// <remarks>
/// <para>
/// Ports: TCP and UDP carry theirs. An ICMP query (echo, timestamp, information, address mask) carries its
/// identifier on the side of the host that chose it, as a client's port: a request from A to B has the key
/// <c>(A, B, 1, id, 0)</c> and its reply from B to A has <c>(B, A, 1, 0, id)</c>, so the reply's key is the
/// request's <see cref="Reverse"/> (and the other way round), and a NAT rewriting the identifier rewrites
/// the request's source "port" and the reply's destination "port". Other ICMP messages (errors
/// included) and other protocols have ports 0. A non-first fragment has no ports: extraction gives its
/// 3-tuple (ports 0) and reports <see cref="FlowKeyError.NonFirstFragment"/>.
/// </para>
/// <para>
/// <see cref="StableHash"/> is exactly MurmurHash3_x86_32 (<see cref="MurmurHash3.Hash32"/>) with seed
/// 0x5EEDEC30 over the 16 bytes that <see cref="WriteTo"/> writes, never <see cref="HashCode"/>, which is
/// randomized per process: the same flow takes the same next hop on every run, on every host and in
/// every version of these libraries.
/// </para>
/// <para>This type is immutable and thread-safe.</para>
/// </remarks>
/// <param name="Source">The source address.</param>
/// <param name="Destination">The destination address (the one looked up).</param>
/// <param name="Protocol">The IP protocol number (6 TCP, 17 UDP, 1 ICMP).</param>
/// <param name="SourcePort">The source port; an ICMP request's identifier; otherwise 0.</param>
/// <param name="DestinationPort">The destination port; an ICMP reply's identifier; otherwise 0.</param>
[StructLayout(LayoutKind.Auto)]
public readonly record struct FlowKey(
    Ipv4Address Source,
    Ipv4Address Destination,
    byte Protocol,
    ushort SourcePort,
    ushort DestinationPort)
{
    /// <summary>The length of the serialization hashed by <see cref="StableHash"/> and written by <see cref="WriteTo"/>.</summary>
    public const int SerializedLength = 16;

    /// <summary>The MurmurHash3 seed of <see cref="StableHash"/>.</summary>
    public const uint HashSeed = 0x5EED_EC30;

    private const byte IcmpTimestampRequest = 13;
    private const byte IcmpTimestampReply = 14;
    private const byte IcmpInformationRequest = 15;
    private const byte IcmpInformationReply = 16;
    private const byte IcmpAddressMaskRequest = 17;
    private const byte IcmpAddressMaskReply = 18;

    /// <summary>The key of the reply direction: addresses swapped, ports swapped.</summary>
    /// <returns>The reversed key.</returns>
    public FlowKey Reverse() => new(Destination, Source, Protocol, DestinationPort, SourcePort);

    /// <summary>
    /// Writes the 16-byte serialization that <see cref="StableHash"/> hashes: four little-endian 32-bit
    /// words, the source and destination addresses as their <see cref="Ipv4Address.Value"/>, the protocol
    /// zero-extended, and <c>SourcePort &lt;&lt; 16 | DestinationPort</c>.
    /// </summary>
    /// <param name="destination">At least <see cref="SerializedLength"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < SerializedLength)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; {SerializedLength} are needed.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, Source.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Destination.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Protocol);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], PortWord);
    }

    /// <summary>MurmurHash3_x86_32 (seed <see cref="HashSeed"/>) of the serialization of <see cref="WriteTo"/>: the same on every run, host and version.</summary>
    /// <returns>The 32-bit hash.</returns>
    public uint StableHash()
    {
        // The four words of WriteTo, mixed without writing them out: the same function as Hash32 over the 16 bytes.
        uint h = HashSeed;
        h = MurmurHash3.MixBlock(h, Source.Value);
        h = MurmurHash3.MixBlock(h, Destination.Value);
        h = MurmurHash3.MixBlock(h, Protocol);
        h = MurmurHash3.MixBlock(h, PortWord);
        return MurmurHash3.Finalize(h, SerializedLength);
    }

    /// <summary>Maps <see cref="StableHash"/> onto <c>[0, count)</c> by multiply-shift (no modulo bias, no division).</summary>
    /// <param name="count">The number of choices, at least 1.</param>
    /// <returns>The chosen index.</returns>
    public int SelectIndex(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return (int)(((ulong)StableHash() * (uint)count) >> 32);
    }

    private uint PortWord => ((uint)SourcePort << 16) | DestinationPort;

    /// <summary>Reads the key of an Ethernet frame, skipping 802.1Q and 802.1ad tags (see <see cref="PacketLayout"/>).</summary>
    /// <param name="frame">The frame, starting with the destination MAC.</param>
    /// <param name="key">The key; for a non-first fragment the 3-tuple; otherwise <see langword="default"/> when the method returns <see langword="false"/>.</param>
    /// <param name="error">Why no complete key was read, or <see cref="FlowKeyError.None"/>.</param>
    /// <returns>Whether a complete key was read.</returns>
    public static bool TryExtract(ReadOnlySpan<byte> frame, out FlowKey key, out FlowKeyError error)
    {
        if (!PacketLayout.TryParse(frame, out var layout, out var parseError))
        {
            key = default;
            error = ToFlowKeyError(parseError);
            return false;
        }

        return TryExtract(layout, frame, out key, out error);
    }

    /// <summary>Reads the key of a bare IPv4 packet (no L2 header).</summary>
    /// <param name="packet">The packet, starting with the version field.</param>
    /// <param name="key">The key; for a non-first fragment the 3-tuple; otherwise <see langword="default"/> when the method returns <see langword="false"/>.</param>
    /// <param name="error">Why no complete key was read, or <see cref="FlowKeyError.None"/>.</param>
    /// <returns>Whether a complete key was read.</returns>
    public static bool TryExtractFromIpv4(ReadOnlySpan<byte> packet, out FlowKey key, out FlowKeyError error)
    {
        if (!PacketLayout.TryParseIpv4(packet, out var layout, out var parseError))
        {
            key = default;
            error = ToFlowKeyError(parseError);
            return false;
        }

        return TryExtract(layout, packet, out key, out error);
    }

    /// <summary>Reads the key of a frame whose layout is already parsed.</summary>
    /// <param name="layout">The frame's layout.</param>
    /// <param name="frame">The frame the layout was parsed from.</param>
    /// <param name="key">The key; for a non-first fragment the 3-tuple; otherwise <see langword="default"/> when the method returns <see langword="false"/>.</param>
    /// <param name="error">Why no complete key was read, or <see cref="FlowKeyError.None"/>.</param>
    /// <returns>Whether a complete key was read.</returns>
    /// <exception cref="ArgumentException">The frame's length is not the layout's.</exception>
    public static bool TryExtract(in PacketLayout layout, ReadOnlySpan<byte> frame, out FlowKey key, out FlowKeyError error)
    {
        if (frame.Length != layout.Length)
        {
            throw new ArgumentException($"The layout describes a frame of {layout.Length} bytes; this one has {frame.Length}.", nameof(frame));
        }

        key = default;
        if (!layout.IsIpv4)
        {
            error = FlowKeyError.NotIpv4;
            return false;
        }

        var source = Ipv4Address.Read(frame[(layout.NetworkOffset + 12)..]);
        var destination = Ipv4Address.Read(frame[(layout.NetworkOffset + 16)..]);
        byte protocol = layout.Protocol;
        ushort sourcePort = 0;
        ushort destinationPort = 0;
        if (layout.FragmentOffset != 0)
        {
            key = new FlowKey(source, destination, protocol, 0, 0);
            error = FlowKeyError.NonFirstFragment;
            return false;
        }

        ReadOnlySpan<byte> transport = frame[layout.TransportOffset..];
        switch (protocol)
        {
            case IpProtocols.Tcp or IpProtocols.Udp:
                sourcePort = BinaryPrimitives.ReadUInt16BigEndian(transport);
                destinationPort = BinaryPrimitives.ReadUInt16BigEndian(transport[2..]);
                break;
            case IpProtocols.Icmp:
                ushort identifier = BinaryPrimitives.ReadUInt16BigEndian(transport[4..]);
                switch (transport[0])
                {
                    case IcmpMessage.TypeEchoRequest or IcmpTimestampRequest or IcmpInformationRequest or IcmpAddressMaskRequest:
                        sourcePort = identifier;
                        break;
                    case IcmpMessage.TypeEchoReply or IcmpTimestampReply or IcmpInformationReply or IcmpAddressMaskReply:
                        destinationPort = identifier;
                        break;
                }

                break;
        }

        key = new FlowKey(source, destination, protocol, sourcePort, destinationPort);
        error = FlowKeyError.None;
        return true;
    }

    private static FlowKeyError ToFlowKeyError(PacketParseError error) => error switch
    {
        PacketParseError.Truncated or PacketParseError.TotalLengthBeyondBuffer => FlowKeyError.Truncated,
        _ => FlowKeyError.Malformed,
    };
}
