using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;
using CloudTemple.Networking.Packets;
using CloudTemple.Networking.Rewrites;

namespace CloudTemple.Networking.Core.Tests.Rewrites;

public class RewriteTests
{
    private static readonly Ipv4Address Vm = Ipv4Address.Parse("10.0.1.10");
    private static readonly Ipv4Address Remote = Ipv4Address.Parse("192.0.2.7");
    private static readonly Ipv4Address Public = Ipv4Address.Parse("203.0.113.5");

    [Theory]
    [InlineData(0, true, 0)]
    [InlineData(1, true, 1)]
    [InlineData(2, false, 1)]
    [InlineData(64, false, 63)]
    [InlineData(255, false, 254)]
    public void Ttl_decrement_reports_expiry_and_never_goes_below_zero(byte ttl, bool expired, byte after)
    {
        var packet = UdpPacket(ttl);
        Assert.True(Ipv4Packet.TryParse(packet, out var ip, out _));
        Assert.Equal(expired, ip.DecrementTimeToLive());
        Assert.Equal(after, ip.TimeToLive);
        Assert.True(ip.IsHeaderChecksumValid);
    }

    [Fact]
    public void Source_nat_and_its_reply_rewrite_restore_the_original_flow()
    {
        var outbound = UdpPacket(64);
        var snat = EndpointRewrite.Source(Vm, 40000, Public, 61000);
        Assert.True(Ipv4Packet.TryParse(outbound, out var ip, out _));
        Assert.True(snat.TryApply(ip));
        Assert.True(UdpDatagram.TryParse(ip.Payload, out var udp, out _));
        Assert.Equal((Public, (ushort)61000), (ip.Source, udp.SourcePort));
        Assert.True(ip.IsHeaderChecksumValid && udp.IsChecksumValid(ip.Source, ip.Destination));

        // The reply comes back to the public endpoint and is translated back to the VM.
        var reply = new byte[outbound.Length];
        Ipv4Packet.WriteHeader(reply, Remote, Public, IpProtocols.Udp, outbound.Length - 20);
        UdpDatagram.WriteHeader(reply.AsSpan(20), 40001, 61000, outbound.Length - 28);
        Assert.True(Ipv4Packet.TryParse(reply, out var replyIp, out _));
        Assert.True(UdpDatagram.TryParse(replyIp.Payload, out var replyUdp, out _));
        replyUdp.UpdateChecksum(Remote, Public);
        var back = snat.ForReply();
        Assert.Equal(EndpointSide.Destination, back.Side);
        Assert.True(back.TryApply(replyIp));
        Assert.Equal((Vm, (ushort)40000), (replyIp.Destination, replyUdp.DestinationPort));
        Assert.True(replyIp.IsHeaderChecksumValid && replyUdp.IsChecksumValid(Remote, Vm));
    }

    [Fact]
    public void A_precomputed_rewrite_refuses_a_packet_of_another_flow_and_changes_nothing()
    {
        var packet = UdpPacket(64);
        var before = (byte[])packet.Clone();
        Assert.True(Ipv4Packet.TryParse(packet, out var ip, out _));
        Assert.False(EndpointRewrite.Source(Vm, 40001, Public, 61000).TryApply(ip));
        Assert.False(EndpointRewrite.Source(Remote, 40000, Public, 61000).TryApply(ip));
        Assert.False(EndpointRewrite.Destination(Vm, 40000, Public, 61000).TryApply(ip));
        Assert.Equal(before, packet);
    }

    [Fact]
    public void A_delta_and_its_negation_cancel_and_deltas_add_up()
    {
        var address = ChecksumDelta.Between(Vm, Public);
        var port = ChecksumDelta.Between((ushort)40000, (ushort)61000);
        const ushort Checksum = 0x1c46;
        Assert.Equal(Checksum, address.Negate().ApplyTo(address.ApplyTo(Checksum)));
        Assert.Equal(port.ApplyTo(address.ApplyTo(Checksum)), (address + port).ApplyTo(Checksum));
        Assert.Equal(InternetChecksum.Update(InternetChecksum.Update(Checksum, Vm, Public), (ushort)40000, (ushort)61000), (address + port).ApplyTo(Checksum));
        Assert.Equal(Checksum, default(ChecksumDelta).ApplyTo(Checksum));
        Assert.Equal(0, address.ApplyToUdp(0));
    }

    [Fact]
    public void Mss_clamp_for_the_overlay_lowers_1460_to_1410_even_when_the_option_is_at_an_odd_offset()
    {
        // NOP then MSS: the MSS value lands at offset 23, across two checksum words.
        byte[] options = [1, 2, 4, 0x05, 0xB4, 1, 1, 0];
        var segment = new byte[20 + options.Length];
        TcpSegment.WriteHeader(segment, 40000, 443, 1, 0, TcpFlags.Syn, 64240, options);
        Assert.True(TcpSegment.TryParse(segment, out var tcp, out _));
        tcp.UpdateChecksum(Vm, Remote);

        Assert.True(tcp.ClampMaximumSegmentSize(1410));
        Assert.True(tcp.TryGetMaximumSegmentSize(out ushort mss));
        Assert.Equal(1410, mss);
        Assert.True(tcp.IsChecksumValid(Vm, Remote));
        Assert.False(tcp.ClampMaximumSegmentSize(1410));
        Assert.False(tcp.ClampMaximumSegmentSize(1460));

        tcp.Flags = TcpFlags.Ack;
        Assert.False(tcp.ClampMaximumSegmentSize(536));
        Assert.True(tcp.IsChecksumValid(Vm, Remote));
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0 }, 0)]            // length 0
    [InlineData(new byte[] { 1, 3, 1, 0 }, 1)]            // window scale with length 1
    [InlineData(new byte[] { 1, 1, 1, 8 }, 3)]            // a kind with no length byte
    [InlineData(new byte[] { 4, 2, 8, 10, 0, 0, 0, 0 }, 1)] // timestamps running past the header
    public void The_enumerator_stops_at_a_malformed_option_and_says_so(byte[] options, int wellFormedBefore)
    {
        var segment = new byte[20 + options.Length];
        TcpSegment.WriteHeader(segment, 1, 2, 0, 0, TcpFlags.Syn, 0, options);
        Assert.True(TcpSegment.TryParse(segment, out var tcp, out _));
        var enumerator = tcp.EnumerateOptions();
        int count = 0;
        while (enumerator.MoveNext())
        {
            count++;
        }

        Assert.Equal(wellFormedBefore, count);
        Assert.True(enumerator.IsMalformed);
        Assert.False(tcp.TryGetMaximumSegmentSize(out _));
    }

    [Fact]
    public void The_enumerator_stops_at_end_of_option_list_without_reporting_malformation()
    {
        byte[] options = [2, 4, 0x05, 0xB4, 0, 2, 0, 0];
        var segment = new byte[20 + options.Length];
        TcpSegment.WriteHeader(segment, 1, 2, 0, 0, TcpFlags.Syn, 0, options);
        Assert.True(TcpSegment.TryParse(segment, out var tcp, out _));
        var kinds = new List<byte>();
        foreach (var option in tcp.EnumerateOptions())
        {
            kinds.Add(option.Kind);
            Assert.Equal([0x05, 0xB4], option.Data.ToArray());
        }

        Assert.Equal([TcpOptionKinds.MaximumSegmentSize], kinds);
        var enumerator = tcp.EnumerateOptions();
        while (enumerator.MoveNext())
        {
        }

        Assert.False(enumerator.IsMalformed);
    }

    [Fact]
    public void Header_setters_refuse_out_of_range_values()
    {
        var packet = UdpPacket(64);
        Assert.True(Ipv4Packet.TryParse(packet, out var ip, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            Assert.True(Ipv4Packet.TryParse(packet, out var view, out _));
            view.Dscp = 64;
        });
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            Assert.True(Ipv4Packet.TryParse(packet, out var view, out _));
            view.Ecn = 4;
        });
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            Assert.True(Ipv4Packet.TryParse(packet, out var view, out _));
            view.TotalLength = 19;
        });
        Assert.True(ip.IsHeaderChecksumValid);
    }

    [Fact]
    public void Total_length_and_protocol_setters_keep_the_header_checksum()
    {
        var packet = UdpPacket(64);
        Assert.True(Ipv4Packet.TryParse(packet, out var ip, out _));
        ip.TotalLength = 30;
        ip.Protocol = IpProtocols.Tcp;
        Assert.True(ip.IsHeaderChecksumValid);
        Assert.Equal(30, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)));
        Assert.True(Ipv4Packet.TryParse(packet, out var reparsed, out _));
        Assert.Equal((30, IpProtocols.Tcp), (reparsed.Buffer.Length, reparsed.Protocol));
    }

    private static byte[] UdpPacket(byte ttl)
    {
        var packet = new byte[20 + 8 + 13];
        Ipv4Packet.WriteHeader(packet, Vm, Remote, IpProtocols.Udp, 8 + 13, timeToLive: ttl);
        UdpDatagram.WriteHeader(packet.AsSpan(20), 40000, 40001, 13);
        packet.AsSpan(28).Fill(0x5A);
        Assert.True(UdpDatagram.TryParse(packet.AsSpan(20), out var udp, out _));
        udp.UpdateChecksum(Vm, Remote);
        return packet;
    }
}
