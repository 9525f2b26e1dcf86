using System.Buffers.Binary;
using CloudTemple.Networking.Core.Tests.Checksums;
using CloudTemple.Networking.Core.Tests.Packets;
using CloudTemple.Networking.Packets;

namespace CloudTemple.Networking.Core.Tests.Rewrites;

/// <summary>Checks of a rewritten packet against a full recomputation by the plain reference.</summary>
public static class PacketAssert
{
    /// <summary>
    /// The header checksum, and the TCP or UDP checksum, equal the reference's full recomputation; a UDP checksum of 0
    /// ("none") stayed 0; the payload of any other protocol is untouched.
    /// </summary>
    public static void ChecksumsMatchReference(byte[] packet, GeneratedPacket original)
    {
        Assert.True(Ipv4Packet.TryParse(packet, out var ip, out var error), $"no longer parses: {error}");
        Assert.Equal(ReferencePacketChecksum.Ipv4Header(packet.AsSpan(0, ip.HeaderLength)), ip.HeaderChecksum);
        Assert.True(ip.IsHeaderChecksumValid);
        var segment = ip.Payload;
        var source = packet.AsSpan(12, 4);
        var destination = packet.AsSpan(16, 4);
        if (original.IsTcp)
        {
            Assert.Equal(ReferencePacketChecksum.Transport(source, destination, 6, segment), BinaryPrimitives.ReadUInt16BigEndian(segment[16..]));
            Assert.True(TcpSegment.TryParse(segment, out var tcp, out _) && tcp.IsChecksumValid(ip.Source, ip.Destination));
        }
        else if (original.IsUdp)
        {
            ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(segment[6..]);
            if (original.UdpMode == UdpChecksumMode.None)
            {
                Assert.Equal(0, checksum);
            }
            else
            {
                Assert.Equal(ReferencePacketChecksum.Transport(source, destination, 17, segment), checksum);
                Assert.True(UdpDatagram.TryParse(segment, out var udp, out _) && udp.IsChecksumValid(ip.Source, ip.Destination));
            }
        }
        else
        {
            Assert.Equal(original.Bytes.AsSpan(original.HeaderLength).ToArray(), segment.ToArray());
        }
    }
}
