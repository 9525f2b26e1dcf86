using System.Buffers.Binary;
using CloudTemple.Networking.Packets;

namespace CloudTemple.Networking.Core.Tests.Flows;

/// <summary>Where a generated IPv4 packet sits in its datagram.</summary>
public enum FragmentPlace
{
    /// <summary>Not fragmented (DF set).</summary>
    None,

    /// <summary>The first fragment: MF set, offset 0, the transport header present.</summary>
    First,

    /// <summary>A later fragment: a non-zero offset, no transport header.</summary>
    Later,
}

/// <summary>
/// The fields of a valid Ethernet/IPv4 frame (0, 1 or 2 VLAN tags; TCP, UDP, ICMP or GRE; IP options;
/// fragments; link-layer padding), written with the library's writers, and the key and layout it must give.
/// </summary>
public sealed record TestFrame(
    int Tags,
    bool ServiceTag,
    ushort OuterVlan,
    ushort InnerVlan,
    Ipv4Address Source,
    Ipv4Address Destination,
    byte Protocol,
    ushort SourcePort,
    ushort DestinationPort,
    byte IcmpType,
    int OptionsLength,
    int PayloadLength,
    FragmentPlace Fragment,
    int Padding)
{
    public const byte PayloadByte = 0x5A;
    public const byte Gre = 47;
    public const int LaterFragmentOffset = 1480;

    private static readonly MacAddress SourceMac = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly MacAddress DestinationMac = MacAddress.Parse("02:00:00:00:00:02");

    public int NetworkOffset => EthernetFrame.HeaderLength + (4 * Tags);

    public int TransportHeaderLength => Fragment == FragmentPlace.Later ? 0 : Protocol switch
    {
        IpProtocols.Tcp => TcpSegment.MinHeaderLength,
        IpProtocols.Udp => UdpDatagram.HeaderLength,
        IpProtocols.Icmp => IcmpMessage.HeaderLength,
        _ => 0,
    };

    public int NetworkHeaderLength => Ipv4Packet.MinHeaderLength + OptionsLength;

    public int NetworkLength => NetworkHeaderLength + TransportHeaderLength + PayloadLength;

    public int Length => NetworkOffset + NetworkLength + Padding;

    /// <summary>The key the frame must give: ICMP query ids on the side that chose them, nothing for a later fragment.</summary>
    public FlowKey ExpectedKey => Fragment == FragmentPlace.Later
        ? new FlowKey(Source, Destination, Protocol, 0, 0)
        : Protocol switch
        {
            IpProtocols.Tcp or IpProtocols.Udp => new FlowKey(Source, Destination, Protocol, SourcePort, DestinationPort),
            IpProtocols.Icmp when IcmpType is 8 or 13 or 15 or 17 => new FlowKey(Source, Destination, Protocol, SourcePort, 0),
            IpProtocols.Icmp when IcmpType is 0 or 14 or 16 or 18 => new FlowKey(Source, Destination, Protocol, 0, SourcePort),
            _ => new FlowKey(Source, Destination, Protocol, 0, 0),
        };

    public byte[] Build()
    {
        var frame = new byte[Length];
        WriteLinkHeader(frame);
        Span<byte> ip = frame.AsSpan(NetworkOffset, NetworkLength);
        Span<byte> options = stackalloc byte[OptionsLength];
        options.Fill(1); // NOP
        Ipv4Packet.WriteHeader(ip, Source, Destination, Protocol, NetworkLength - NetworkHeaderLength,
            identification: 0x1234, dontFragment: Fragment == FragmentPlace.None, options: options);
        if (Fragment != FragmentPlace.None)
        {
            ushort flagsAndOffset = Fragment == FragmentPlace.First ? (ushort)0x2000 : (ushort)(0x2000 | (LaterFragmentOffset / 8));
            BinaryPrimitives.WriteUInt16BigEndian(ip[6..], flagsAndOffset);
            Assert.True(Ipv4Packet.TryParse(ip, out var fragment, out _));
            fragment.UpdateHeaderChecksum();
        }

        Span<byte> transport = ip[NetworkHeaderLength..];
        transport[TransportHeaderLength..].Fill(PayloadByte);
        if (TransportHeaderLength != 0)
        {
            WriteTransportHeader(transport);
        }

        return frame;
    }

    /// <summary>The IPv4 packet alone, without L2 header or padding.</summary>
    public byte[] BuildIpv4() => Build().AsSpan(NetworkOffset, NetworkLength).ToArray();

    private void WriteLinkHeader(Span<byte> frame)
    {
        switch (Tags)
        {
            case 0:
                EthernetFrame.WriteHeader(frame, DestinationMac, SourceMac, EtherTypes.Ipv4);
                break;
            case 1:
                EthernetFrame.WriteTaggedHeader(frame, DestinationMac, SourceMac, OuterVlan, 3, EtherTypes.Ipv4);
                break;
            default:
                // QinQ: the outer tag written by the 802.1Q writer, its TPID turned into 802.1ad's, then the inner tag.
                EthernetFrame.WriteTaggedHeader(frame, DestinationMac, SourceMac, OuterVlan, 5, EtherTypes.Vlan);
                if (ServiceTag)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(frame[12..], 0x88A8);
                }

                BinaryPrimitives.WriteUInt16BigEndian(frame[18..], InnerVlan);
                BinaryPrimitives.WriteUInt16BigEndian(frame[20..], EtherTypes.Ipv4);
                break;
        }
    }

    private void WriteTransportHeader(Span<byte> transport)
    {
        bool whole = Fragment == FragmentPlace.None;
        switch (Protocol)
        {
            case IpProtocols.Tcp:
                TcpSegment.WriteHeader(transport, SourcePort, DestinationPort, 1000, 2000, TcpFlags.Ack, 65535);
                if (whole && TcpSegment.TryParse(transport, out var tcp, out _))
                {
                    tcp.UpdateChecksum(Source, Destination);
                }

                break;
            case IpProtocols.Udp:
                UdpDatagram.WriteHeader(transport, SourcePort, DestinationPort, PayloadLength);
                if (whole && UdpDatagram.TryParse(transport, out var udp, out _))
                {
                    udp.UpdateChecksum(Source, Destination);
                }

                break;
            case IpProtocols.Icmp:
                IcmpMessage.WriteHeader(transport, IcmpType, 0, SourcePort, DestinationPort);
                if (whole && IcmpMessage.TryParse(transport, out var icmp, out _))
                {
                    icmp.UpdateChecksum();
                }

                break;
        }
    }

    public override string ToString() =>
        $"{Tags} tag(s){(ServiceTag && Tags == 2 ? " 802.1ad" : "")} {OuterVlan}/{InnerVlan}, {Source} > {Destination} proto {Protocol} " +
        $"{SourcePort} > {DestinationPort} icmp {IcmpType}, options {OptionsLength}, payload {PayloadLength}, {Fragment}, padding {Padding}";
}
