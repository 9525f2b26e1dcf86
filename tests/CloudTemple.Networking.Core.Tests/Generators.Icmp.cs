using System.Buffers.Binary;
using CloudTemple.Networking.Packets;
using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.Core.Tests;

/// <summary>
/// Generators of valid IPv4 datagrams (TCP, UDP, ICMP queries and errors, other protocols, with options and
/// fragment fields) that ICMP errors are written about, and of the quotes cut and mutated from them.
/// </summary>
public static partial class Generators
{
    private static readonly byte[] QueryTypes = [0, 8, 13, 14, 15, 16, 17, 18];
    private static readonly byte[] ErrorTypes = [3, 4, 5, 11, 12];

    /// <summary>A first octet that names a single host: 1-223 without 127.</summary>
    public static Gen<Ipv4Address> UnicastHostGen =>
        from first in Gen.Choose(1, 223).Where(o => o != 127)
        from rest in Gen.Choose(0, 0xFFFFFF)
        select new Ipv4Address(((uint)first << 24) | (uint)rest);

    /// <summary>Addresses that RFC 1812 section 4.3.2.7 singles out: this network, loopback, multicast, class E, broadcast.</summary>
    public static Gen<Ipv4Address> SpecialAddressGen =>
        Gen.Elements("0.0.0.0", "0.1.2.3", "127.0.0.1", "224.0.0.5", "239.255.255.250", "240.0.0.1", "255.255.255.255")
            .Select(Ipv4Address.Parse);

    /// <summary>A well-formed IPv4 datagram whose source and destination are single hosts; never a non-first fragment nor an ICMP error.</summary>
    public static Gen<byte[]> UnicastDatagramGen =>
        from protocol in Gen.Elements(IpProtocols.Tcp, IpProtocols.Udp, IpProtocols.Icmp, (byte)47)
        from source in UnicastHostGen
        from destination in UnicastHostGen
        from icmpType in Gen.Elements(QueryTypes)
        from fragmentZero in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        from datagram in DatagramGen(protocol, source, destination, icmpType, fragmentOffsetUnits: 0, moreFragments: fragmentZero)
        select datagram;

    /// <summary>Datagrams of every kind, including those RFC 1812 forbids an error about.</summary>
    public static Gen<byte[]> AnyDatagramGen =>
        Gen.Frequency(
            (4, UnicastDatagramGen),
            (1, from source in Gen.OneOf(UnicastHostGen, SpecialAddressGen)
                from destination in Gen.OneOf(UnicastHostGen, SpecialAddressGen)
                from protocol in Gen.Elements(IpProtocols.Tcp, IpProtocols.Udp, IpProtocols.Icmp)
                from icmpType in Gen.Elements(ErrorTypes.Concat(QueryTypes).Concat([(byte)9, (byte)10, (byte)42]).ToArray())
                from offset in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(1, 0x1FFF)))
                from moreFragments in Gen.Elements(false, true)
                from datagram in DatagramGen(protocol, source, destination, icmpType, offset, moreFragments)
                select datagram));

    private static Gen<byte[]> DatagramGen(byte protocol, Ipv4Address source, Ipv4Address destination, byte icmpType, int fragmentOffsetUnits, bool moreFragments) =>
        from optionWords in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(1, 10)))
        from payloadLength in Gen.Frequency((3, Gen.Choose(8, 120)), (2, Gen.Choose(120, 1480)), (1, Gen.Choose(0, 7)))
        from payload in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), payloadLength)
        from ttl in Gen.Choose(0, 255)
        from identification in Gen.Choose(0, 0xFFFF)
        from dontFragment in Gen.Elements(false, true)
        select BuildDatagram(protocol, source, destination, icmpType, optionWords, payload, (byte)ttl, (ushort)identification, dontFragment, fragmentOffsetUnits, moreFragments);

    private static byte[] BuildDatagram(byte protocol, Ipv4Address source, Ipv4Address destination, byte icmpType, int optionWords, byte[] payload,
        byte ttl, ushort identification, bool dontFragment, int fragmentOffsetUnits, bool moreFragments)
    {
        // No-operation options (type 1) then an end of list: any content is fine, only the length matters here.
        var options = new byte[optionWords * 4];
        Array.Fill(options, (byte)1);
        if (options.Length > 0)
        {
            options[^1] = 0;
        }

        int headerLength = 20 + options.Length;
        var bytes = new byte[headerLength + payload.Length];
        Ipv4Packet.WriteHeader(bytes, source, destination, protocol, payload.Length, ttl, identification, dontFragment, options: options);
        payload.CopyTo(bytes, headerLength);
        if (protocol == IpProtocols.Icmp && payload.Length >= 8)
        {
            bytes[headerLength] = icmpType;
            bytes[headerLength + 1] = 0;
            Assert.True(IcmpMessage.TryParse(bytes.AsSpan(headerLength), out var icmp, out _));
            icmp.UpdateChecksum();
        }
        else if (protocol == IpProtocols.Icmp && payload.Length > 0)
        {
            bytes[headerLength] = icmpType;
        }

        ushort flags = (ushort)((dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | fragmentOffsetUnits);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), flags);
        Assert.True(Ipv4Packet.TryParse(bytes, out var packet, out _));
        packet.UpdateHeaderChecksum();
        return bytes;
    }

    /// <summary>An ICMP error to write: the offending datagram, which error, and the length limit.</summary>
    public sealed record IcmpErrorCase(byte[] Offending, byte Type, byte Code, ushort NextHopMtu, int MaxLength)
    {
        public override string ToString() => $"type {Type} code {Code} mtu {NextHopMtu} max {MaxLength} offending {Convert.ToHexString(Offending)}";
    }

    public static Gen<IcmpErrorCase> IcmpErrorCaseGen(Gen<byte[]> datagrams) =>
        from offending in datagrams
        from kind in Gen.Choose(0, 2)
        from unreachableCode in Gen.Choose(0, 15).Where(c => c != 4)
        from timeCode in Gen.Choose(0, 1)
        from mtu in Gen.Choose(68, 9000)
        let minimum = 28 + Math.Min(offending.Length, ((offending[0] & 0x0F) * 4) + 8)
        from maxLength in Gen.Frequency((3, Gen.Constant(576)), (2, Gen.Choose(minimum, 2000)), (1, Gen.Constant(minimum)))
        select kind switch
        {
            0 => new IcmpErrorCase(offending, 3, (byte)unreachableCode, 0, Math.Max(maxLength, minimum)),
            1 => new IcmpErrorCase(offending, 3, 4, (ushort)mtu, Math.Max(maxLength, minimum)),
            _ => new IcmpErrorCase(offending, 11, (byte)timeCode, 0, Math.Max(maxLength, minimum)),
        };

    /// <summary>The data of an ICMP error cut short (the usual quote) and sometimes mutated.</summary>
    public sealed record QuotedData(byte[] Data, int CutAt, bool Mutated)
    {
        public override string ToString() => $"cut at {CutAt} mutated {Mutated}: {Convert.ToHexString(Data)}";
    }

    public static Gen<QuotedData> QuotedDataGen =>
        from datagram in AnyDatagramGen
        from cut in Gen.Frequency((3, Gen.Choose(28, 576)), (1, Gen.Choose(0, 90)), (1, Gen.Constant(datagram.Length)))
        from trailer in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(1, 12)))
        from mutations in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(1, 4)))
        from positions in Gen.ArrayOf(Gen.Choose(0, 59), mutations)
        from values in Gen.ArrayOf(Gen.Choose(0, 255), mutations)
        select MakeQuote(datagram, Math.Min(cut, datagram.Length), trailer, positions, values);

    private static QuotedData MakeQuote(byte[] datagram, int cut, int trailer, int[] positions, int[] values)
    {
        // Trailing bytes stand for padding or RFC 4884 extensions after a whole quoted datagram.
        var data = new byte[cut + (cut == datagram.Length ? trailer : 0)];
        datagram.AsSpan(0, cut).CopyTo(data);
        bool mutated = false;
        for (int i = 0; i < positions.Length; i++)
        {
            if (positions[i] < data.Length && data[positions[i]] != (byte)values[i])
            {
                data[positions[i]] = (byte)values[i];
                mutated = true;
            }
        }

        return new QuotedData(data, cut, mutated);
    }

    /// <summary>A valid ICMP query message and a new identifier for it.</summary>
    public sealed record IcmpQueryCase(byte[] Message, ushort NewIdentifier)
    {
        public override string ToString() => $"id -> {NewIdentifier}: {Convert.ToHexString(Message)}";
    }

    public static Gen<IcmpQueryCase> IcmpQueryCaseGen =>
        from type in Gen.Elements(QueryTypes)
        from identifier in Gen.Frequency((1, Gen.Elements(0, 0xFFFF)), (4, Gen.Choose(0, 0xFFFF)))
        from sequence in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(0, 0xFFFF)))
        from dataLength in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 120)))
        from data in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Choose(0, 255))).Select(b => (byte)b), dataLength)
        from newIdentifier in Gen.Frequency((1, Gen.Elements(0, 0xFFFF)), (4, Gen.Choose(0, 0xFFFF)))
        select new IcmpQueryCase(BuildQuery(type, (ushort)identifier, (ushort)sequence, data), (ushort)newIdentifier);

    private static byte[] BuildQuery(byte type, ushort identifier, ushort sequence, byte[] data)
    {
        var message = new byte[8 + data.Length];
        IcmpMessage.WriteHeader(message, type, 0, identifier, sequence);
        data.CopyTo(message, 8);
        Assert.True(IcmpMessage.TryParse(message, out var icmp, out _));
        icmp.UpdateChecksum();
        return message;
    }

    public static Arbitrary<IcmpErrorCase> IcmpErrorCaseArb() => Arb.From(IcmpErrorCaseGen(AnyDatagramGen));

    public static Arbitrary<QuotedData> QuotedDataArb() => Arb.From(QuotedDataGen);

    public static Arbitrary<IcmpQueryCase> IcmpQueryCaseArb() => Arb.From(IcmpQueryCaseGen);
}
