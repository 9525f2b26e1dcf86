using System.Buffers.Binary;
using CloudTemple.Networking.Packets;

namespace CloudTemple.Networking.Core.Tests.Packets;

public class PacketViewTests
{
    private static readonly Ipv4Address Source = Ipv4Address.Parse("10.0.1.10");
    private static readonly Ipv4Address Destination = Ipv4Address.Parse("192.0.2.7");

    [Fact]
    public void Ipv4_parse_reports_each_reason()
    {
        var packet = new byte[40];
        Ipv4Packet.WriteHeader(packet, Source, Destination, IpProtocols.Udp, 20);
        Assert.True(Ipv4Packet.TryParse(packet, out _, out var none));
        Assert.Equal(PacketParseError.None, none);

        Assert.Equal(PacketParseError.Truncated, ErrorOf(packet.AsSpan(0, 19).ToArray()));

        var badVersion = (byte[])packet.Clone();
        badVersion[0] = 0x65;
        Assert.Equal(PacketParseError.BadVersion, ErrorOf(badVersion));

        var shortHeader = (byte[])packet.Clone();
        shortHeader[0] = 0x44;
        Assert.Equal(PacketParseError.BadHeaderLength, ErrorOf(shortHeader));

        var longHeader = (byte[])packet.Clone();
        longHeader[0] = 0x4F;
        Assert.Equal(PacketParseError.BadHeaderLength, ErrorOf(longHeader));

        var beyond = (byte[])packet.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(beyond.AsSpan(2), 41);
        Assert.Equal(PacketParseError.TotalLengthBeyondBuffer, ErrorOf(beyond));

        var tooShort = (byte[])packet.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(tooShort.AsSpan(2), 19);
        Assert.Equal(PacketParseError.TotalLengthTooShort, ErrorOf(tooShort));

        static PacketParseError ErrorOf(byte[] bytes)
        {
            Assert.False(Ipv4Packet.TryParse(bytes, out _, out var error));
            return error;
        }
    }

    [Fact]
    public void Ipv4_header_with_options_and_fragment_fields()
    {
        var packet = new byte[24 + 8];
        byte[] routerAlert = [0x94, 0x04, 0x00, 0x00];
        Ipv4Packet.WriteHeader(packet, Source, Destination, IpProtocols.Udp, 8, timeToLive: 7, identification: 0x1234, dontFragment: false, dscp: 46, options: routerAlert);
        Assert.True(Ipv4Packet.TryParse(packet, out var view, out _));
        Assert.Equal(24, view.HeaderLength);
        Assert.Equal(routerAlert, view.Options.ToArray());
        Assert.Equal(46, view.Dscp);
        Assert.Equal(0x1234, view.Identification);
        Assert.False(view.DontFragment);
        Assert.False(view.IsFragment);
        Assert.True(view.IsHeaderChecksumValid);

        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), 0x2000 | 185); // MF, offset 1480
        Assert.True(view.MoreFragments);
        Assert.Equal(1480, view.FragmentOffset);
        Assert.True(view.IsFragment);
    }

    [Fact]
    public void Rewriting_addresses_and_ttl_keeps_the_header_checksum_valid()
    {
        var packet = new byte[20];
        Ipv4Packet.WriteHeader(packet, Source, Destination, IpProtocols.Icmp, 0);
        Assert.True(Ipv4Packet.TryParse(packet, out var view, out _));
        view.Source = Ipv4Address.Parse("203.0.113.9");
        view.Destination = Ipv4Address.Parse("198.51.100.200");
        view.TimeToLive--;
        Assert.True(view.IsHeaderChecksumValid);
        Assert.Equal(63, view.TimeToLive);
    }

    [Fact]
    public void Udp_parse_reports_lengths()
    {
        var datagram = new byte[12];
        UdpDatagram.WriteHeader(datagram, 68, 67, 4);
        Assert.True(UdpDatagram.TryParse(datagram, out var udp, out _));
        Assert.Equal(4, udp.Payload.Length);
        Assert.False(UdpDatagram.TryParse(datagram.AsSpan(0, 11), out _, out var beyond));
        Assert.Equal(PacketParseError.TotalLengthBeyondBuffer, beyond);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), 7);
        Assert.False(UdpDatagram.TryParse(datagram, out _, out var tooShort));
        Assert.Equal(PacketParseError.TotalLengthTooShort, tooShort);
        Assert.False(UdpDatagram.TryParse(datagram.AsSpan(0, 7), out _, out var truncated));
        Assert.Equal(PacketParseError.Truncated, truncated);
    }

    [Fact]
    public void Tcp_parse_refuses_a_data_offset_past_the_buffer()
    {
        var segment = new byte[24];
        TcpSegment.WriteHeader(segment, 40000, 443, 1, 0, TcpFlags.Syn, 65535, [0x02, 0x04, 0x05, 0xB4]);
        Assert.True(TcpSegment.TryParse(segment, out var tcp, out _));
        Assert.Equal(TcpFlags.Syn, tcp.Flags);
        Assert.Equal(24, tcp.HeaderLength);
        Assert.False(TcpSegment.TryParse(segment.AsSpan(0, 22), out _, out var error));
        Assert.Equal(PacketParseError.BadHeaderLength, error);
    }

    [Fact]
    public void Vlan_tag_fields_are_read_back()
    {
        var frame = new byte[18];
        EthernetFrame.WriteTaggedHeader(frame, MacAddress.Broadcast, MacAddress.Parse("02:00:00:00:00:01"), 100, 5, EtherTypes.Arp);
        Assert.True(EthernetFrame.TryParse(frame, out var view, out _));
        Assert.True(view.HasVlanTag);
        Assert.Equal(100, view.VlanId);
        Assert.Equal(5, view.VlanPriority);
        Assert.Equal(EtherTypes.Arp, view.EtherType);
        Assert.False(EthernetFrame.TryParse(frame.AsSpan(0, 16), out _, out var error));
        Assert.Equal(PacketParseError.Truncated, error);
    }

    [Fact]
    public void Writers_refuse_a_short_destination_with_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Ipv4Packet.WriteHeader(new byte[10], Source, Destination, IpProtocols.Udp, 0));
        Assert.Contains("20 are needed", error.Message);
    }
}
