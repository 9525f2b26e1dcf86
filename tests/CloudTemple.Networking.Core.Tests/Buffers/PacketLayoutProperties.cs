using CloudTemple.Networking.Buffers;
using CloudTemple.Networking.Core.Tests.Flows;
using CloudTemple.Networking.Packets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Buffers;

/// <summary>The layout of a generated valid frame is the one written and agrees with the views; damaged frames never make it throw or point outside.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 500)]
public class PacketLayoutProperties
{
    [Property]
    public Property The_layout_of_a_valid_frame_is_the_one_written(TestFrame spec)
    {
        var frame = spec.Build();
        if (!PacketLayout.TryParse(frame, out var layout, out var error))
        {
            return false.Label($"refused: {error}");
        }

        return (layout.Length == frame.Length
                && layout.NetworkOffset == spec.NetworkOffset
                && layout.VlanTagCount == spec.Tags
                && layout.OuterVlanId == (spec.Tags > 0 ? spec.OuterVlan : 0)
                && layout.InnerVlanId == (spec.Tags == 2 ? spec.InnerVlan : 0)
                && layout.EtherType == EtherTypes.Ipv4
                && layout.IsIpv4
                && layout.NetworkLength == spec.NetworkLength
                && layout.NetworkHeaderLength == spec.NetworkHeaderLength
                && layout.Protocol == spec.Protocol
                && layout.IsFragment == (spec.Fragment != FragmentPlace.None)
                && layout.FragmentOffset == (spec.Fragment == FragmentPlace.Later ? TestFrame.LaterFragmentOffset : 0)
                && layout.TransportHeaderLength == spec.TransportHeaderLength
                && layout.HasTransportHeader == (spec.TransportHeaderLength != 0)
                && layout.PayloadLength == spec.PayloadLength
                && layout.GetPayload(frame).ToArray().All(b => b == TestFrame.PayloadByte))
            .Label(layout.ToString());
    }

    [Property]
    public Property The_views_got_back_from_the_layout_read_the_fields_written(TestFrame spec)
    {
        var frame = spec.Build();
        Assert.True(PacketLayout.TryParse(frame, out var layout, out _));
        var ip = layout.GetIpv4(frame);
        bool ok = ip.Source == spec.Source && ip.Destination == spec.Destination && ip.Protocol == spec.Protocol && ip.IsHeaderChecksumValid;
        if (layout.HasTransportHeader)
        {
            switch (spec.Protocol)
            {
                case IpProtocols.Tcp:
                    var tcp = layout.GetTcp(frame);
                    ok &= tcp.SourcePort == spec.SourcePort && tcp.DestinationPort == spec.DestinationPort && tcp.Payload.Length == spec.PayloadLength;
                    break;
                case IpProtocols.Udp:
                    var udp = layout.GetUdp(frame);
                    ok &= udp.SourcePort == spec.SourcePort && udp.DestinationPort == spec.DestinationPort && udp.Payload.Length == spec.PayloadLength;
                    break;
                case IpProtocols.Icmp:
                    var icmp = layout.GetIcmp(frame);
                    ok &= icmp.Type == spec.IcmpType && icmp.Identifier == spec.SourcePort && icmp.Data.Length == spec.PayloadLength;
                    break;
            }
        }

        return ok.Label(layout.ToString());
    }

    /// <summary>The same checks as the views, so the layout parses exactly when the step-by-step views do (here for untagged or 802.1Q frames, which EthernetFrame reads).</summary>
    [Property(MaxTest = 2000)]
    public Property A_damaged_frame_never_throws_and_is_accepted_exactly_when_the_views_accept_it(MutatedFrame mutated)
    {
        var bytes = mutated.Build();
        bool parsed = PacketLayout.TryParse(bytes, out var layout, out var error);
        if (!parsed)
        {
            return (error != PacketParseError.None && layout == default).Label($"refused with {error}");
        }

        bool inside = layout.NetworkOffset + layout.NetworkLength <= bytes.Length
            && layout.PayloadOffset + layout.PayloadLength <= bytes.Length
            && layout.PayloadLength >= 0
            && layout.GetNetwork(bytes).Length == layout.NetworkLength;
        if (layout.IsIpv4)
        {
            _ = layout.GetIpv4(bytes).TimeToLive;
            if (layout.HasTransportHeader)
            {
                int length = layout.Protocol switch
                {
                    IpProtocols.Tcp => layout.GetTcp(bytes).Buffer.Length,
                    IpProtocols.Udp => layout.GetUdp(bytes).Buffer.Length,
                    _ => layout.GetIcmp(bytes).Buffer.Length,
                };
                inside &= length == layout.TransportLength;
            }
        }

        return (inside && (layout.VlanTagCount == 2 || layout.IsIpv4 == ViewsAccept(bytes))).Label(layout.ToString());
    }

    private static bool ViewsAccept(byte[] bytes)
    {
        if (!EthernetFrame.TryParse(bytes, out var frame, out _) || frame.EtherType != EtherTypes.Ipv4 || !Ipv4Packet.TryParse(frame.Payload, out var ip, out _))
        {
            return false;
        }

        return ip.FragmentOffset != 0 || ip.Protocol switch
        {
            IpProtocols.Tcp => TcpSegment.TryParse(ip.Payload, out _, out _),
            IpProtocols.Udp => UdpDatagram.TryParse(ip.Payload, out _, out _),
            IpProtocols.Icmp => IcmpMessage.TryParse(ip.Payload, out _, out _),
            _ => true,
        };
    }
}
