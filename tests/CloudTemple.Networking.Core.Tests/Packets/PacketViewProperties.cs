using CloudTemple.Networking.Packets;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Packets;

/// <summary>Packet views accept or refuse any byte sequence without throwing, and what they accept stays inside the buffer.</summary>
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
    public bool Ipv4_view_never_throws_and_stays_inside_the_buffer(byte[] bytes)
    {
        if (!Ipv4Packet.TryParse(bytes, out var packet, out var error))
        {
            return error != PacketParseError.None;
        }

        _ = (packet.Source, packet.Destination, packet.Protocol, packet.TimeToLive, packet.FragmentOffset,
            packet.DontFragment, packet.MoreFragments, packet.IsFragment, packet.IsHeaderChecksumValid, packet.Dscp, packet.Ecn, packet.Identification);
        return packet.HeaderLength + packet.Payload.Length == packet.TotalLength
            && packet.Options.Length == packet.HeaderLength - 20
            && packet.TotalLength <= bytes.Length;
    }

    [Property]
    public bool Transport_views_never_throw(byte[] bytes)
    {
        bool ok = true;
        if (UdpDatagram.TryParse(bytes, out var udp, out _))
        {
            ok &= udp.Length == udp.Buffer.Length && udp.Payload.Length == udp.Length - 8;
            _ = udp.IsChecksumValid(Ipv4Address.Any, Ipv4Address.Broadcast);
        }

        if (TcpSegment.TryParse(bytes, out var tcp, out _))
        {
            ok &= tcp.HeaderLength <= bytes.Length && tcp.Options.Length == tcp.HeaderLength - 20;
            _ = (tcp.Flags, tcp.SequenceNumber, tcp.AcknowledgmentNumber, tcp.Window, tcp.UrgentPointer, tcp.IsChecksumValid(Ipv4Address.Any, Ipv4Address.Any));
        }

        if (IcmpMessage.TryParse(bytes, out var icmp, out _))
        {
            _ = (icmp.Type, icmp.Code, icmp.Identifier, icmp.SequenceNumber, icmp.IsChecksumValid, icmp.Data.Length);
        }

        if (ArpPacket.TryParse(bytes, out var arp, out _))
        {
            _ = (arp.Operation, arp.SenderHardwareAddress, arp.SenderProtocolAddress, arp.TargetHardwareAddress, arp.TargetProtocolAddress);
        }

        return ok;
    }
}
