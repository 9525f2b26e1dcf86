using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CloudTemple.Networking.Packets;

namespace CloudTemple.Networking.Buffers;

/// <summary>
/// Where the headers of one frame are: offsets and lengths of L2, L3 (IPv4), L4 (TCP, UDP, ICMP) and the
/// payload, the EtherType, up to two VLAN tags, the IP protocol and the fragment fields, computed in one
/// call. Unlike the <see langword="ref struct"/> views it is an ordinary value: a pipeline stores it beside
/// its <see cref="PacketBuffer"/> across <see langword="await"/>s and gets the views back with
/// <see cref="GetIpv4"/>, <see cref="GetTcp"/>, <see cref="GetUdp"/>, <see cref="GetIcmp"/> and <see cref="GetPayload"/>.
/// </summary>
/// <remarks>
/// <para>
/// A layout describes the bytes it was parsed from: it holds offsets, not the bytes. Once a header
/// moves (an outer header prepended, a tag popped, bytes appended) parse again; the getters check the
/// frame's length and re-parse the header they return, so a stale layout gives an
/// <see cref="InvalidOperationException"/>, never a view over the wrong bytes.
/// </para>
/// <para>
/// Accepted as tags: an 802.1Q tag (TPID 0x8100), or an 802.1ad service tag (TPID 0x88A8) followed by
/// an optional 802.1Q tag (QinQ); two 802.1Q tags are accepted too. A third tag is not skipped: the
/// frame then has EtherType 0x8100 and no IPv4 layout. IPv6 is out of scope: its frames get an L2 layout only.
/// The IPv4, TCP, UDP and ICMP headers must pass the same checks as <see cref="Ipv4Packet.TryParse"/>,
/// <see cref="TcpSegment.TryParse"/>, <see cref="UdpDatagram.TryParse"/> and <see cref="IcmpMessage.TryParse"/>.
/// A non-first fragment has no transport header (<see cref="HasTransportHeader"/> is false and its
/// payload is the fragment's data); a first fragment too short for its transport header (RFC 1858's tiny
/// fragment) is refused as truncated. Other IP protocols have a transport offset but no transport header.
/// </para>
/// <para>This type is immutable and thread-safe; the buffers it is applied to are not.</para>
/// </remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct PacketLayout
{
    private const ushort ServiceTagProtocolId = 0x88A8; // IEEE 802.1ad S-tag
    private const int TagLength = 4;

    // Narrow fields keep the value small (it is copied into every pipeline stage); the properties widen them.
    private readonly int _length;
    private readonly int _networkLength;
    private readonly int _transportLength;
    private readonly ushort _etherType;
    private readonly ushort _outerVlanId;
    private readonly ushort _innerVlanId;
    private readonly ushort _fragmentOffset;
    private readonly byte _networkOffset;
    private readonly byte _vlanTagCount;
    private readonly byte _networkHeaderLength;
    private readonly byte _transportHeaderLength;
    private readonly byte _protocol;
    private readonly bool _isIpv4;
    private readonly bool _isFragment;

    private PacketLayout(int length, int networkOffset, ushort etherType, int vlanTagCount, ushort outerVlanId, ushort innerVlanId)
    {
        _length = length;
        _networkOffset = (byte)networkOffset;
        _etherType = etherType;
        _vlanTagCount = (byte)vlanTagCount;
        _outerVlanId = outerVlanId;
        _innerVlanId = innerVlanId;
        _networkLength = length - networkOffset;
        _transportLength = _networkLength;
    }

    private PacketLayout(in PacketLayout l2, int networkLength, int networkHeaderLength, byte protocol, bool isFragment, int fragmentOffset,
        int transportLength, int transportHeaderLength)
        : this(l2._length, l2._networkOffset, l2._etherType, l2._vlanTagCount, l2._outerVlanId, l2._innerVlanId)
    {
        _isIpv4 = true;
        _networkLength = networkLength;
        _networkHeaderLength = (byte)networkHeaderLength;
        _protocol = protocol;
        _isFragment = isFragment;
        _fragmentOffset = (ushort)fragmentOffset;
        _transportLength = transportLength;
        _transportHeaderLength = (byte)transportHeaderLength;
    }

    /// <summary>The length of the frame the layout was parsed from (link-layer padding included).</summary>
    public int Length => _length;

    /// <summary>The offset of the L3 header: 14 untagged, 18 with one tag, 22 with two; 0 for a layout of a bare IPv4 packet.</summary>
    public int NetworkOffset => _networkOffset;

    /// <summary>The EtherType after the tags (0x0800 for IPv4).</summary>
    public ushort EtherType => _etherType;

    /// <summary>The number of VLAN tags skipped: 0, 1 or 2.</summary>
    public int VlanTagCount => _vlanTagCount;

    /// <summary>The VLAN id of the first (outer) tag: the service VLAN of a QinQ frame or the only tag; 0 when untagged.</summary>
    public ushort OuterVlanId => _outerVlanId;

    /// <summary>The VLAN id of the second (inner, customer) tag; 0 unless <see cref="VlanTagCount"/> is 2.</summary>
    public ushort InnerVlanId => _innerVlanId;

    /// <summary>Whether the frame carries an IPv4 packet whose header parsed (all the L3/L4 members below describe it).</summary>
    public bool IsIpv4 => _isIpv4;

    /// <summary>The L3 length: the IPv4 total length, or for another EtherType every byte after the L2 header.</summary>
    public int NetworkLength => _networkLength;

    /// <summary>The IPv4 header length (20 to 60), or 0 when not IPv4.</summary>
    public int NetworkHeaderLength => _networkHeaderLength;

    /// <summary>The IP protocol (see <see cref="IpProtocols"/>), or 0 when not IPv4.</summary>
    public byte Protocol => _protocol;

    /// <summary>Whether the IPv4 packet is a fragment (MF set or a non-zero fragment offset).</summary>
    public bool IsFragment => _isFragment;

    /// <summary>The fragment offset in bytes; non-zero for a non-first fragment, which has no transport header.</summary>
    public int FragmentOffset => _fragmentOffset;

    /// <summary>The offset of the IPv4 payload: the transport header, or a non-first fragment's data.</summary>
    public int TransportOffset => NetworkOffset + NetworkHeaderLength;

    /// <summary>The transport length: the UDP length field for UDP, otherwise the IPv4 payload length.</summary>
    public int TransportLength => _transportLength;

    /// <summary>The transport header length: TCP data offset × 4, 8 for UDP and ICMP, 0 when there is none.</summary>
    public int TransportHeaderLength => _transportHeaderLength;

    /// <summary>Whether a TCP, UDP or ICMP header was parsed (false for non-first fragments and other protocols).</summary>
    public bool HasTransportHeader => TransportHeaderLength != 0;

    /// <summary>The offset of the payload after the innermost parsed header.</summary>
    public int PayloadOffset => TransportOffset + TransportHeaderLength;

    /// <summary>The payload length (what the transport view's payload holds).</summary>
    public int PayloadLength => TransportLength - TransportHeaderLength;

    /// <summary>Parses the layout of an Ethernet II frame (without preamble or FCS), skipping up to two VLAN tags.</summary>
    /// <param name="frame">The frame, starting with the destination MAC.</param>
    /// <param name="layout">The layout when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the frame was refused, or <see cref="PacketParseError.None"/>.</param>
    /// <returns>Whether the L2 header and, for IPv4, the IPv4 and transport headers are whole and consistent.</returns>
    public static bool TryParse(ReadOnlySpan<byte> frame, out PacketLayout layout, out PacketParseError error)
    {
        layout = default;
        if (frame.Length < EthernetFrame.HeaderLength)
        {
            error = PacketParseError.Truncated;
            return false;
        }

        int typeOffset = 12;
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[typeOffset..]);
        int tags = 0;
        ushort outer = 0;
        ushort inner = 0;
        while (tags < 2 && (etherType == EtherTypes.Vlan || (tags == 0 && etherType == ServiceTagProtocolId)))
        {
            if (frame.Length < typeOffset + TagLength + 2)
            {
                error = PacketParseError.Truncated;
                return false;
            }

            ushort vlanId = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(frame[(typeOffset + 2)..]) & 0x0FFF);
            if (tags == 0)
            {
                outer = vlanId;
            }
            else
            {
                inner = vlanId;
            }

            tags++;
            typeOffset += TagLength;
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[typeOffset..]);
        }

        var l2 = new PacketLayout(frame.Length, typeOffset + 2, etherType, tags, outer, inner);
        return TryParseNetwork(l2, frame, out layout, out error);
    }

    /// <summary>Parses the layout of a bare IPv4 packet (no L2 header: <see cref="NetworkOffset"/> is 0), as read from a TUN device or a raw socket.</summary>
    /// <param name="packet">The packet, starting with the version field.</param>
    /// <param name="layout">The layout when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the packet was refused, or <see cref="PacketParseError.None"/>.</param>
    /// <returns>Whether the IPv4 and transport headers are whole and consistent.</returns>
    public static bool TryParseIpv4(ReadOnlySpan<byte> packet, out PacketLayout layout, out PacketParseError error) =>
        TryParseNetwork(new PacketLayout(packet.Length, 0, EtherTypes.Ipv4, 0, 0, 0), packet, out layout, out error);

    private static bool TryParseNetwork(in PacketLayout l2, ReadOnlySpan<byte> frame, out PacketLayout layout, out PacketParseError error)
    {
        layout = default;
        if (l2.EtherType != EtherTypes.Ipv4)
        {
            layout = l2;
            error = PacketParseError.None;
            return true;
        }

        // The views are only read here; they hold the validation rules, so that a layout exists exactly when they parse.
        Span<byte> bytes = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(frame), frame.Length);
        if (!Ipv4Packet.TryParse(bytes[l2.NetworkOffset..], out var ip, out error))
        {
            return false;
        }

        int transportLength = ip.Payload.Length;
        int transportHeaderLength = 0;
        if (ip.FragmentOffset == 0 && !TryParseTransport(ip.Protocol, ip.Payload, ref transportLength, out transportHeaderLength, out error))
        {
            return false;
        }

        layout = new PacketLayout(l2, ip.TotalLength, ip.HeaderLength, ip.Protocol, ip.IsFragment, ip.FragmentOffset, transportLength, transportHeaderLength);
        error = PacketParseError.None;
        return true;
    }

    private static bool TryParseTransport(byte protocol, Span<byte> payload, ref int length, out int headerLength, out PacketParseError error)
    {
        headerLength = 0;
        error = PacketParseError.None;
        switch (protocol)
        {
            case IpProtocols.Tcp:
                if (!TcpSegment.TryParse(payload, out var tcp, out error))
                {
                    return false;
                }

                headerLength = tcp.HeaderLength;
                return true;
            case IpProtocols.Udp:
                if (!UdpDatagram.TryParse(payload, out var udp, out error))
                {
                    return false;
                }

                headerLength = UdpDatagram.HeaderLength;
                length = udp.Length;
                return true;
            case IpProtocols.Icmp:
                if (!IcmpMessage.TryParse(payload, out _, out error))
                {
                    return false;
                }

                headerLength = IcmpMessage.HeaderLength;
                return true;
            default:
                return true;
        }
    }

    /// <summary>The L3 bytes (<see cref="NetworkOffset"/>, <see cref="NetworkLength"/>) of the frame the layout was parsed from.</summary>
    /// <param name="frame">The same frame (same length) the layout was parsed from.</param>
    /// <returns>The L3 bytes.</returns>
    /// <exception cref="InvalidOperationException">The frame's length differs from <see cref="Length"/>.</exception>
    public Span<byte> GetNetwork(Span<byte> frame) => Check(frame).Slice(NetworkOffset, NetworkLength);

    /// <summary>The payload bytes (<see cref="PayloadOffset"/>, <see cref="PayloadLength"/>) of the frame the layout was parsed from.</summary>
    /// <param name="frame">The same frame (same length) the layout was parsed from.</param>
    /// <returns>The payload bytes.</returns>
    /// <exception cref="InvalidOperationException">The frame's length differs from <see cref="Length"/>.</exception>
    public Span<byte> GetPayload(Span<byte> frame) => Check(frame).Slice(PayloadOffset, PayloadLength);

    /// <summary>The IPv4 view of the frame the layout was parsed from.</summary>
    /// <param name="frame">The same frame (same length) the layout was parsed from.</param>
    /// <returns>The view.</returns>
    /// <exception cref="InvalidOperationException">The layout is not IPv4, or the frame is not the one it was parsed from.</exception>
    public Ipv4Packet GetIpv4(Span<byte> frame)
    {
        Require(IsIpv4, "IPv4");
        if (!Ipv4Packet.TryParse(Check(frame)[NetworkOffset..], out var packet, out _)
            || packet.TotalLength != NetworkLength || packet.HeaderLength != NetworkHeaderLength)
        {
            throw Stale();
        }

        return packet;
    }

    /// <summary>The TCP view of the frame the layout was parsed from.</summary>
    /// <param name="frame">The same frame (same length) the layout was parsed from.</param>
    /// <returns>The view.</returns>
    /// <exception cref="InvalidOperationException">The layout has no TCP header, or the frame is not the one it was parsed from.</exception>
    public TcpSegment GetTcp(Span<byte> frame)
    {
        Require(HasTransportHeader && Protocol == IpProtocols.Tcp, "a TCP header");
        if (!TcpSegment.TryParse(Transport(frame), out var segment, out _) || segment.HeaderLength != TransportHeaderLength)
        {
            throw Stale();
        }

        return segment;
    }

    /// <summary>The UDP view of the frame the layout was parsed from.</summary>
    /// <param name="frame">The same frame (same length) the layout was parsed from.</param>
    /// <returns>The view.</returns>
    /// <exception cref="InvalidOperationException">The layout has no UDP header, or the frame is not the one it was parsed from.</exception>
    public UdpDatagram GetUdp(Span<byte> frame)
    {
        Require(HasTransportHeader && Protocol == IpProtocols.Udp, "a UDP header");
        if (!UdpDatagram.TryParse(Transport(frame), out var datagram, out _) || datagram.Length != TransportLength)
        {
            throw Stale();
        }

        return datagram;
    }

    /// <summary>The ICMP view of the frame the layout was parsed from.</summary>
    /// <param name="frame">The same frame (same length) the layout was parsed from.</param>
    /// <returns>The view.</returns>
    /// <exception cref="InvalidOperationException">The layout has no ICMP header, or the frame is not the one it was parsed from.</exception>
    public IcmpMessage GetIcmp(Span<byte> frame)
    {
        Require(HasTransportHeader && Protocol == IpProtocols.Icmp, "an ICMP header");
        if (!IcmpMessage.TryParse(Transport(frame), out var message, out _))
        {
            throw Stale();
        }

        return message;
    }

    private Span<byte> Transport(Span<byte> frame) => Check(frame).Slice(TransportOffset, TransportLength);

    private Span<byte> Check(Span<byte> frame)
    {
        if (frame.Length != Length)
        {
            throw new InvalidOperationException(
                $"The layout describes a frame of {Length} bytes; this one has {frame.Length}. Parse the layout again after changing the frame.");
        }

        return frame;
    }

    private static void Require(bool present, string what)
    {
        if (!present)
        {
            throw new InvalidOperationException($"The frame has no {what} (see the layout's IsIpv4, Protocol and HasTransportHeader).");
        }
    }

    private static InvalidOperationException Stale() =>
        new("The frame's headers no longer match the layout. Parse the layout again after changing the frame.");
}
