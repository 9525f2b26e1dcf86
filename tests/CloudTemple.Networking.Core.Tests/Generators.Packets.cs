using System.Buffers.Binary;
using CloudTemple.Networking.Core.Tests.Checksums;
using CloudTemple.Networking.Core.Tests.Packets;
using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.Core.Tests;

/// <summary>
/// Valid IPv4 packets (TCP with options, UDP with each checksum mode, ICMP, another protocol; IP options), built byte by
/// byte with the plain reference checksums, and mutations of them: so that the properties run on accepted packets.
/// </summary>
public static partial class Generators
{
    public static Gen<byte> AnyByte => Gen.Choose(0, 255).Select(b => (byte)b);

    public static Gen<ushort> Port =>
        Gen.Frequency((5, Gen.Choose(0, 0xFFFF).Select(p => (ushort)p)), (1, Gen.Elements<ushort>(0, 1, 53, 1023, 1024, 0x7FFF, 0xFFFF)));

    public static Gen<Ipv4Address> Address => Word32.Select(v => new Ipv4Address(v));

    /// <summary>A well-formed TCP option list (MSS often, at either alignment), padded with zeros to 4-byte words, at most 40 bytes.</summary>
    public static Gen<byte[]> TcpOptionList
    {
        get
        {
            var mss = Gen.Choose(0, 0xFFFF).Select(v => new byte[] { 2, 4, (byte)(v >> 8), (byte)v });
            var nop = Gen.Constant(new byte[] { 1 });
            var windowScale = Gen.Choose(0, 14).Select(s => new byte[] { 3, 3, (byte)s });
            var sackPermitted = Gen.Constant(new byte[] { 4, 2 });
            var timestamps = Gen.ArrayOf(AnyByte, 8).Select(t => new byte[] { 8, 10 }.Concat(t).ToArray());
            var sack = Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(AnyByte, 8 * n), (n, blocks) => new byte[] { 5, (byte)(2 + blocks.Length) }.Concat(blocks).ToArray());
            var option = Gen.Frequency((3, mss), (3, nop), (1, windowScale), (1, sackPermitted), (1, timestamps), (1, sack));
            return Gen.ListOf(option, 6).SelectMany(_ => Gen.Choose(0, 6), (options, count) =>
            {
                var bytes = new List<byte>();
                foreach (var o in options.Take(count))
                {
                    if (bytes.Count + o.Length <= 40)
                    {
                        bytes.AddRange(o);
                    }
                }

                while (bytes.Count % 4 != 0)
                {
                    bytes.Add(0);
                }

                return bytes.ToArray();
            });
        }
    }

    /// <summary>TCP control bits: the usual combinations (SYN and SYN-ACK often, for MSS clamping), and any byte.</summary>
    public static Gen<byte> TcpFlagsByte =>
        Gen.Frequency((2, Gen.Elements<byte>(0x02, 0x12, 0x10, 0x18, 0x11, 0x04)), (1, AnyByte));

    public static Gen<GeneratedPacket> ValidPacketGen =>
        Gen.Frequency((4, Gen.Constant((byte)6)), (4, Gen.Constant((byte)17)), (1, Gen.Constant((byte)1)), (1, Gen.Constant((byte)47)))
            .SelectMany(ValidPacketOf, (_, packet) => packet);

    public static Gen<GeneratedPacket> ValidTcpPacketGen => ValidPacketOf(6);

    public static Gen<GeneratedPacket> ValidUdpPacketGen => ValidPacketOf(17);

    public static Gen<GeneratedPacket> ValidTransportPacketGen => Gen.OneOf(ValidTcpPacketGen, ValidUdpPacketGen);

    public static Gen<GeneratedPacket> ValidPacketOf(byte protocol) =>
        from headerWords in Gen.Frequency((3, Gen.Constant(5)), (1, Gen.Choose(6, 15)))
        from ipOptions in Gen.ArrayOf(AnyByte, (headerWords - 5) * 4)
        from tos in AnyByte
        from identification in Port
        from dontFragment in Gen.Elements(true, false)
        from ttl in Gen.Frequency((1, Gen.Elements(0, 1, 2, 255)), (3, Gen.Choose(0, 255)))
        from source in Address
        from destination in Address
        from payload in Bytes(64)
        from sourcePort in Port
        from destinationPort in Port
        from sequence in Word32
        from acknowledgment in Word32
        from flags in TcpFlagsByte
        from window in Port
        from tcpOptions in TcpOptionList
        from udpMode in Gen.Frequency((4, Gen.Constant(UdpChecksumMode.Computed)), (1, Gen.Constant(UdpChecksumMode.None)), (1, Gen.Constant(UdpChecksumMode.ComputedZero)))
        select Build(protocol, ipOptions, tos, (ushort)identification, dontFragment, (byte)ttl, source, destination,
            protocol switch
            {
                6 => TcpSegmentBytes(sourcePort, destinationPort, sequence, acknowledgment, flags, window, tcpOptions, payload),
                17 => UdpDatagramBytes(sourcePort, destinationPort, udpMode == UdpChecksumMode.ComputedZero && payload.Length < 2 ? [0, 0] : payload),
                _ => payload,
            },
            udpMode);

    /// <summary>A valid packet, then nothing, one or two byte changes, a cut, or trailing bytes (link-layer padding).</summary>
    public static Gen<MutatedPacket> MutatedPacketGen =>
        from packet in ValidPacketGen
        from kind in Gen.Choose(0, 4)
        from at in Gen.Choose(0, packet.Bytes.Length - 1)
        from at2 in Gen.Choose(0, packet.Bytes.Length - 1)
        from xor in Gen.Choose(1, 255)
        from cut in Gen.Choose(0, packet.Bytes.Length)
        from tail in Gen.Choose(1, 32).SelectMany(n => Gen.ArrayOf(AnyByte, n), (_, bytes) => bytes)
        select Mutate(packet, kind, at, at2, (byte)xor, cut, tail);

    public static Arbitrary<GeneratedPacket> ValidPacketArb() => Arb.From(ValidPacketGen);

    public static Arbitrary<MutatedPacket> MutatedPacketArb() => Arb.From(MutatedPacketGen);

    public static Arbitrary<TransportPacket> TransportPacketArb() => Arb.From(ValidTransportPacketGen.Select(p => new TransportPacket(p)));

    public static Arbitrary<TcpPacket> TcpPacketArb() => Arb.From(ValidTcpPacketGen.Select(p => new TcpPacket(p)));

    public static Arbitrary<UdpPacketWithChecksum> UdpPacketWithChecksumArb() =>
        Arb.From(ValidUdpPacketGen.Where(p => p.UdpMode != UdpChecksumMode.None).Select(p => new UdpPacketWithChecksum(p)));

    private static MutatedPacket Mutate(GeneratedPacket packet, int kind, int at, int at2, byte xor, int cut, byte[] tail)
    {
        var bytes = (byte[])packet.Bytes.Clone();
        switch (kind)
        {
            case 1:
                bytes[at] ^= xor;
                return new MutatedPacket(bytes, Mutation.OneByteChanged, at, packet);
            case 2:
                bytes[at] ^= xor;
                bytes[at2] ^= (byte)(xor * 7 + 1);
                return new MutatedPacket(bytes, Mutation.TwoBytesChanged, at, packet);
            case 3:
                return new MutatedPacket(bytes[..cut], Mutation.Cut, cut, packet);
            case 4:
                return new MutatedPacket([.. bytes, .. tail], Mutation.Appended, bytes.Length, packet);
            default:
                return new MutatedPacket(bytes, Mutation.None, 0, packet);
        }
    }

    private static GeneratedPacket Build(byte protocol, byte[] ipOptions, byte tos, ushort identification, bool dontFragment, byte ttl,
        Ipv4Address source, Ipv4Address destination, byte[] transport, UdpChecksumMode udpMode)
    {
        int headerLength = 20 + ipOptions.Length;
        var bytes = new byte[headerLength + transport.Length];
        bytes[0] = (byte)(0x40 | (headerLength / 4));
        bytes[1] = tos;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)bytes.Length);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), identification);
        bytes[6] = dontFragment ? (byte)0x40 : (byte)0;
        bytes[8] = ttl;
        bytes[9] = protocol;
        source.WriteTo(bytes.AsSpan(12));
        destination.WriteTo(bytes.AsSpan(16));
        ipOptions.CopyTo(bytes, 20);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), ReferencePacketChecksum.Ipv4Header(bytes.AsSpan(0, headerLength)));
        transport.CopyTo(bytes, headerLength);

        var segment = bytes.AsSpan(headerLength);
        var src = bytes.AsSpan(12, 4);
        var dst = bytes.AsSpan(16, 4);
        switch (protocol)
        {
            case 6:
                BinaryPrimitives.WriteUInt16BigEndian(segment[16..], ReferencePacketChecksum.Transport(src, dst, 6, segment));
                break;
            case 17 when udpMode == UdpChecksumMode.ComputedZero:
                // The first payload word is set to the checksum computed with it zeroed: the sum then comes to all ones,
                // the computed checksum to 0, which RFC 768 sends as 0xFFFF.
                segment[8] = 0;
                segment[9] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(segment[8..], ReferencePacketChecksum.Transport(src, dst, 17, segment));
                BinaryPrimitives.WriteUInt16BigEndian(segment[6..], ReferencePacketChecksum.Transport(src, dst, 17, segment));
                break;
            case 17 when udpMode == UdpChecksumMode.Computed:
                BinaryPrimitives.WriteUInt16BigEndian(segment[6..], ReferencePacketChecksum.Transport(src, dst, 17, segment));
                break;
            case 1 when segment.Length >= 4:
                segment[2] = 0;
                segment[3] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(segment[2..], ReferenceChecksum.Compute(segment));
                break;
        }

        return new GeneratedPacket(bytes, protocol, headerLength, source, destination, ttl, protocol == 17 ? udpMode : UdpChecksumMode.Computed);
    }

    private static byte[] TcpSegmentBytes(ushort sourcePort, ushort destinationPort, uint sequence, uint acknowledgment, byte flags, ushort window,
        byte[] options, byte[] payload)
    {
        var segment = new byte[20 + options.Length + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(segment, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8), acknowledgment);
        segment[12] = (byte)((20 + options.Length) / 4 << 4);
        segment[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(14), window);
        options.CopyTo(segment, 20);
        payload.CopyTo(segment, 20 + options.Length);
        return segment;
    }

    private static byte[] UdpDatagramBytes(ushort sourcePort, ushort destinationPort, byte[] payload)
    {
        var datagram = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)datagram.Length);
        payload.CopyTo(datagram, 8);
        return datagram;
    }
}
