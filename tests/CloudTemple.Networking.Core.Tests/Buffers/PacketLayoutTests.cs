using System.Buffers.Binary;
using CloudTemple.Networking.Buffers;
using CloudTemple.Networking.Core.Tests.Flows;
using CloudTemple.Networking.Packets;

namespace CloudTemple.Networking.Core.Tests.Buffers;

public class PacketLayoutTests
{
    private static readonly TestFrame QinQUdp = new(2, true, 100, 200, Ipv4Address.Parse("10.0.1.7"), Ipv4Address.Parse("10.0.2.9"),
        IpProtocols.Udp, 5353, 53, 0, 8, 30, FragmentPlace.None, 6);

    [Fact]
    public void A_qinq_udp_frame_has_its_offsets_tags_and_lengths()
    {
        var frame = QinQUdp.Build();
        Assert.True(PacketLayout.TryParse(frame, out var layout, out _));

        Assert.Equal((22, 2, (ushort)100, (ushort)200), (layout.NetworkOffset, layout.VlanTagCount, layout.OuterVlanId, layout.InnerVlanId));
        Assert.Equal((28, 50, IpProtocols.Udp), (layout.NetworkHeaderLength, layout.TransportOffset, layout.Protocol));
        Assert.Equal((38, 8, 58, 30), (layout.TransportLength, layout.TransportHeaderLength, layout.PayloadOffset, layout.PayloadLength));
        Assert.Equal(frame.Length - 6, layout.NetworkOffset + layout.NetworkLength); // the padding is outside L3
        Assert.Equal((ushort)53, layout.GetUdp(frame).DestinationPort);
    }

    [Fact]
    public async Task A_layout_kept_across_an_await_gets_the_views_back_from_its_buffer()
    {
        using var buffer = PacketBuffer.CopyOf(QinQUdp.Build());
        Assert.True(PacketLayout.TryParse(buffer.Data, out var layout, out _));
        await Task.Yield(); // any await: the layout is a plain value
        Ipv4Packet ip = layout.GetIpv4(buffer.Data);
        ip.TimeToLive--;

        Assert.True(layout.GetIpv4(buffer.Data).IsHeaderChecksumValid);
        Assert.Equal((byte)63, layout.GetIpv4(buffer.Data).TimeToLive);
        Assert.Equal((ushort)53, layout.GetUdp(buffer.Data).DestinationPort);
    }

    [Fact]
    public void An_arp_frame_has_an_l2_layout_only()
    {
        var frame = new byte[60];
        EthernetFrame.WriteTaggedHeader(frame, MacAddress.Parse("ff:ff:ff:ff:ff:ff"), MacAddress.Parse("02:00:00:00:00:01"), 42, 0, EtherTypes.Arp);
        Assert.True(PacketLayout.TryParse(frame, out var layout, out _));

        Assert.Equal((EtherTypes.Arp, 18, 1, (ushort)42, false), (layout.EtherType, layout.NetworkOffset, layout.VlanTagCount, layout.OuterVlanId, layout.IsIpv4));
        Assert.Equal(42, layout.NetworkLength);
        Assert.Equal(42, layout.GetPayload(frame).Length);
        Assert.Throws<InvalidOperationException>(() => layout.GetIpv4(frame).TimeToLive);
    }

    [Fact]
    public void Getters_refuse_a_missing_header_another_frame_or_changed_headers()
    {
        var frame = QinQUdp.Build();
        Assert.True(PacketLayout.TryParse(frame, out var layout, out _));

        Assert.Throws<InvalidOperationException>(() => layout.GetTcp(frame).SourcePort);
        Assert.Throws<InvalidOperationException>(() => layout.GetIcmp(frame).Type);
        Assert.Throws<InvalidOperationException>(() => layout.GetUdp(frame.AsSpan(1)).SourcePort);
        Assert.Throws<InvalidOperationException>(() => layout.GetPayload(frame.AsSpan(0, frame.Length - 1)).Length);

        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(layout.TransportOffset + 4), 12); // UDP length changed
        Assert.Throws<InvalidOperationException>(() => layout.GetUdp(frame).SourcePort);
        frame[layout.NetworkOffset] = 0x46; // IHL changed
        Assert.Throws<InvalidOperationException>(() => layout.GetIpv4(frame).TimeToLive);
    }

    [Fact]
    public void A_bare_ipv4_packet_has_a_layout_at_offset_zero()
    {
        var packet = QinQUdp.BuildIpv4();
        Assert.True(PacketLayout.TryParseIpv4(packet, out var layout, out _));
        Assert.Equal((0, 0, EtherTypes.Ipv4, 28, 30), (layout.NetworkOffset, layout.VlanTagCount, layout.EtherType, layout.TransportOffset, layout.PayloadLength));

        Assert.False(PacketLayout.TryParseIpv4(packet.AsSpan(0, 40), out _, out var error));
        Assert.Equal(PacketParseError.TotalLengthBeyondBuffer, error);
    }

    [Fact]
    public void A_first_fragment_too_short_for_its_tcp_header_is_refused_as_truncated()
    {
        var packet = new byte[20 + 8];
        Ipv4Packet.WriteHeader(packet, Ipv4Address.Parse("10.0.0.1"), Ipv4Address.Parse("10.0.0.2"), IpProtocols.Tcp, 8, dontFragment: false);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), 0x2000); // MF, offset 0
        Assert.False(PacketLayout.TryParseIpv4(packet, out _, out var error));
        Assert.Equal(PacketParseError.Truncated, error);
    }
}
