using System.Buffers.Binary;
using CloudTemple.Networking.Core.Tests.Checksums;
using CloudTemple.Networking.Core.Tests.Packets;
using CloudTemple.Networking.Packets;
using CloudTemple.Networking.Rewrites;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Rewrites;

/// <summary>Only the first fragment carries the TCP or UDP header: rewrites patch it there, and never a later fragment's payload.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 500)]
public class FragmentRewriteProperties
{
    [Property]
    public void A_later_fragment_gets_only_its_header_rewritten(TransportPacket transport, Ipv4Address source, Ipv4Address destination, ushort port, ushort offset)
    {
        var packet = transport.Packet;
        var bytes = (byte[])packet.Bytes.Clone();
        int fragmentOffset = 1 + offset % 0x1FFF;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), (ushort)fragmentOffset);
        SetHeaderChecksum(bytes, packet.HeaderLength);
        var payload = bytes.AsSpan(packet.HeaderLength).ToArray();

        Assert.True(Ipv4Packet.TryParse(bytes, out var ip, out _));
        ip.RewriteSource(source);
        ip.RewriteDestination(destination);
        Assert.Equal((source, destination), (ip.Source, ip.Destination));
        Assert.Equal(payload, ip.Payload.ToArray());
        Assert.Equal(ReferencePacketChecksum.Ipv4Header(bytes.AsSpan(0, packet.HeaderLength)), ip.HeaderChecksum);

        var rewritten = (byte[])bytes.Clone();
        Assert.False(ip.TryRewriteSource(packet.Source, port));
        Assert.False(ip.TryRewriteDestination(packet.Destination, port));
        Assert.False(EndpointRewrite.Source(source, BinaryPrimitives.ReadUInt16BigEndian(payload), packet.Source, port).TryApply(ip));
        Assert.Equal(rewritten, bytes);
    }

    [Property]
    public void A_first_fragment_gets_the_checksum_of_the_whole_datagram(TransportPacket transport, Ipv4Address address, ushort port, byte cut)
    {
        var packet = transport.Packet;
        var whole = (byte[])packet.Bytes.Clone();
        int payloadLength = whole.Length - packet.HeaderLength;
        int fragmentPayload = Math.Min(payloadLength, 8 * (1 + cut % Math.Max(1, payloadLength / 8)));
        var fragment = whole[..(packet.HeaderLength + fragmentPayload)];
        BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(2), (ushort)fragment.Length);
        fragment[6] |= 0x20; // MF
        SetHeaderChecksum(fragment, packet.HeaderLength);

        Assert.True(Ipv4Packet.TryParse(whole, out var wholeIp, out _));
        Assert.True(Ipv4Packet.TryParse(fragment, out var fragmentIp, out _));
        bool holdsChecksum = fragmentPayload >= (packet.IsTcp ? 18 : 8);
        Assert.True(wholeIp.TryRewriteSource(address, port));
        Assert.Equal(holdsChecksum, fragmentIp.TryRewriteSource(address, port));
        if (holdsChecksum)
        {
            // The first fragment's checksum field covers the whole datagram: it must end as the unfragmented one's.
            Assert.Equal(whole.AsSpan(packet.HeaderLength, fragmentPayload).ToArray(), fragmentIp.Payload.ToArray());
        }
        else
        {
            fragmentIp.RewriteSource(address);
            Assert.Equal(packet.Bytes.AsSpan(packet.HeaderLength, fragmentPayload).ToArray(), fragmentIp.Payload.ToArray());
        }

        Assert.Equal(ReferencePacketChecksum.Ipv4Header(fragment.AsSpan(0, packet.HeaderLength)), fragmentIp.HeaderChecksum);
        PacketAssert.ChecksumsMatchReference(whole, packet);
    }

    private static void SetHeaderChecksum(byte[] packet, int headerLength) =>
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), ReferencePacketChecksum.Ipv4Header(packet.AsSpan(0, headerLength)));
}
