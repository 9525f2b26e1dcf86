using CloudTemple.Networking.Core.Tests.Checksums;
using CloudTemple.Networking.Core.Tests.Rewrites;
using CloudTemple.Networking.Packets;
using CloudTemple.Networking.Rewrites;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Packets;

/// <summary>
/// Packet views read valid packets as written, detect a changed byte, never throw on a mutated packet, and what they
/// accept (and rewrite) stays inside the buffer. The inputs are valid packets and mutations of them, so that most are
/// accepted and the checks on accepted packets run.
/// </summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 1000)]
public class PacketViewProperties
{
    [Property]
    public bool Ethernet_view_never_throws(byte[] bytes)
    {
        if (!EthernetFrame.TryParse(bytes, out var frame, out var error))
        {
            return error != PacketParseError.None;
        }

        _ = (frame.Destination, frame.Source, frame.VlanId, frame.VlanPriority, frame.EtherType);
        return frame.Length + frame.Payload.Length == bytes.Length;
    }

    [Property]
    public void Ipv4_view_reads_a_valid_packet_as_written_and_its_checksums_verify(GeneratedPacket packet)
    {
        Assert.True(Ipv4Packet.TryParse(packet.Bytes, out var ip, out var error), error.ToString());
        Assert.Equal((packet.Source, packet.Destination, packet.Protocol, packet.TimeToLive), (ip.Source, ip.Destination, ip.Protocol, ip.TimeToLive));
        Assert.Equal((packet.HeaderLength, packet.Bytes.Length, packet.Bytes.Length - packet.HeaderLength), (ip.HeaderLength, (int)ip.TotalLength, ip.Payload.Length));
        Assert.False(ip.IsFragment);
        Assert.True(ip.IsHeaderChecksumValid);
        if (packet.IsTcp)
        {
            Assert.True(TcpSegment.TryParse(ip.Payload, out var tcp, out _));
            Assert.True(tcp.IsChecksumValid(ip.Source, ip.Destination));
        }
        else if (packet.IsUdp)
        {
            Assert.True(UdpDatagram.TryParse(ip.Payload, out var udp, out _));
            Assert.Equal(ip.Payload.Length, udp.Length);
            Assert.True(udp.IsChecksumValid(ip.Source, ip.Destination));
            Assert.Equal(packet.UdpMode == UdpChecksumMode.None, udp.Checksum == 0);
            Assert.True(packet.UdpMode != UdpChecksumMode.ComputedZero || udp.Checksum == 0xFFFF);
        }
        else if (packet.Protocol == IpProtocols.Icmp && ip.Payload.Length >= IcmpMessage.HeaderLength)
        {
            Assert.True(IcmpMessage.TryParse(ip.Payload, out var icmp, out _));
            Assert.True(icmp.IsChecksumValid);
        }
    }

    [Property]
    public void Ipv4_view_never_throws_and_stays_inside_the_buffer(MutatedPacket mutated)
    {
        // Guard bytes after the packet: nothing the view reads or rewrites may reach them.
        var buffer = new byte[mutated.Bytes.Length + 16];
        buffer.AsSpan(mutated.Bytes.Length).Fill(0xA5);
        mutated.Bytes.CopyTo(buffer, 0);
        var bytes = buffer.AsSpan(0, mutated.Bytes.Length);
        if (!Ipv4Packet.TryParse(bytes, out var packet, out var error))
        {
            Assert.NotEqual(PacketParseError.None, error);
            Assert.True(mutated.Mutation is not (Mutation.None or Mutation.Appended), "a valid packet was refused");
            return;
        }

        Assert.Equal(packet.HeaderLength + packet.Payload.Length, packet.TotalLength);
        Assert.Equal(packet.HeaderLength - 20, packet.Options.Length);
        Assert.InRange(packet.TotalLength, packet.HeaderLength, bytes.Length);
        Assert.True(packet.Buffer.Overlaps(bytes, out int offset) && offset == 0);
        _ = (packet.Source, packet.Destination, packet.Protocol, packet.TimeToLive, packet.FragmentOffset, packet.DontFragment,
            packet.MoreFragments, packet.IsFragment, packet.Dscp, packet.Ecn, packet.Identification);

        int changed = mutated.Mutation == Mutation.OneByteChanged ? mutated.At : -1;
        bool headerIntact = mutated.Mutation is Mutation.None or Mutation.Appended;
        if (headerIntact)
        {
            Assert.True(packet.IsHeaderChecksumValid);
        }
        else if (changed >= 1 && changed < packet.HeaderLength)
        {
            // One changed byte always changes the one's complement sum (byte 0, IHL, would change what is summed).
            Assert.False(packet.IsHeaderChecksumValid, $"byte {changed} changed and the header checksum still verifies");
        }

        int l4Changed = changed - packet.HeaderLength;
        if (packet.Protocol == IpProtocols.Tcp && !packet.IsFragment && TcpSegment.TryParse(packet.Payload, out var tcp, out _))
        {
            bool valid = tcp.IsChecksumValid(packet.Source, packet.Destination);
            Assert.True(!headerIntact || valid);
            Assert.True(l4Changed < 0 || !valid, "a changed TCP byte went unnoticed");
        }

        if (packet.Protocol == IpProtocols.Udp && !packet.IsFragment && UdpDatagram.TryParse(packet.Payload, out var udp, out _))
        {
            bool valid = udp.IsChecksumValid(packet.Source, packet.Destination);
            Assert.True(!headerIntact || valid);
            bool checked_ = mutated.Original.UdpMode != UdpChecksumMode.None && l4Changed is >= 0 and not (4 or 5 or 6 or 7);
            Assert.True(!checked_ || !valid, "a changed UDP byte went unnoticed");
        }

        // Every rewrite runs on what was accepted without throwing or writing outside the packet.
        RewriteStep[] steps =
        [
            new RewriteSourceAddress(Ipv4Address.Parse("203.0.113.5")), new RewriteEndpoint(EndpointSide.Destination, Ipv4Address.Parse("10.0.0.1"), 8080),
            new PrecomputedRewrite(EndpointSide.Source, Ipv4Address.Parse("198.51.100.1"), 1024), new RewritePort(EndpointSide.Source, 7),
            new DecrementTimeToLive(), new SetHeaderField(HeaderField.Dscp, 46), new SetTcpField(TcpField.Window, 512), new ClampMaximumSegmentSize(1410),
        ];
        foreach (var step in steps)
        {
            step.Apply(bytes);
        }

        Assert.All(buffer[mutated.Bytes.Length..], b => Assert.Equal(0xA5, b));
        Assert.Equal(mutated.Bytes.AsSpan(packet.TotalLength).ToArray(), buffer.AsSpan(packet.TotalLength, mutated.Bytes.Length - packet.TotalLength).ToArray());
    }

    [Fact]
    public void Most_mutated_packets_are_accepted_so_that_the_checks_on_accepted_packets_run()
    {
        var samples = Generators.MutatedPacketGen.Sample(2000);
        int ipv4 = 0, transport = 0;
        foreach (var sample in samples)
        {
            if (Ipv4Packet.TryParse(sample.Bytes, out var ip, out _))
            {
                ipv4++;
                if (TcpSegment.TryParse(ip.Payload, out _, out _) || UdpDatagram.TryParse(ip.Payload, out _, out _))
                {
                    transport++;
                }
            }
        }

        Assert.InRange(ipv4, 1400, 2000);
        Assert.InRange(transport, 1000, 2000);
    }

    [Property]
    public void Transport_views_never_throw_and_verify_checksums_as_the_reference_does(byte[] bytes, Ipv4Address source, Ipv4Address destination)
    {
        if (UdpDatagram.TryParse(bytes, out var udp, out _))
        {
            Assert.Equal(udp.Length, udp.Buffer.Length);
            Assert.Equal(udp.Length - 8, udp.Payload.Length);
            bool expected = udp.Checksum == 0 || ExplicitSum(source, destination, 17, udp.Buffer) == 0xFFFF;
            Assert.Equal(expected, udp.IsChecksumValid(source, destination));
        }

        if (TcpSegment.TryParse(bytes, out var tcp, out _))
        {
            Assert.InRange(tcp.HeaderLength, 20, bytes.Length);
            Assert.Equal(tcp.HeaderLength - 20, tcp.Options.Length);
            _ = (tcp.Flags, tcp.SequenceNumber, tcp.AcknowledgmentNumber, tcp.Window, tcp.UrgentPointer);
            Assert.Equal(ExplicitSum(source, destination, 6, bytes) == 0xFFFF, tcp.IsChecksumValid(source, destination));
        }

        if (IcmpMessage.TryParse(bytes, out var icmp, out _))
        {
            _ = (icmp.Type, icmp.Code, icmp.Identifier, icmp.SequenceNumber, icmp.Data.Length);
            Assert.Equal(ReferenceChecksum.Sum(icmp.Buffer) == 0xFFFF, icmp.IsChecksumValid);
        }

        if (ArpPacket.TryParse(bytes, out var arp, out _))
        {
            _ = (arp.Operation, arp.SenderHardwareAddress, arp.SenderProtocolAddress, arp.TargetHardwareAddress, arp.TargetProtocolAddress);
        }
    }

    // The reference sum over an explicit pseudo-header followed by the segment, checksum field included.
    private static ushort ExplicitSum(Ipv4Address source, Ipv4Address destination, byte protocol, ReadOnlySpan<byte> segment) =>
        ReferenceChecksum.Sum(ReferencePacketChecksum.WithPseudoHeader(source, destination, protocol, segment));
}
