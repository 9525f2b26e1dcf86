using System.Buffers.Binary;
using CloudTemple.Networking.Core.Tests.Checksums;
using CloudTemple.Networking.Packets;
using FsCheck.Xunit;
using static CloudTemple.Networking.Core.Tests.Generators;

namespace CloudTemple.Networking.Core.Tests.Packets;

/// <summary>ICMP errors written about generated datagrams parse back to what was written; quotes never throw.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 500)]
public class IcmpErrorProperties
{
    private static readonly Ipv4Address Router = Ipv4Address.Parse("10.0.1.1");

    [Property]
    public void Writers_refuse_exactly_what_RFC_1812_forbids_and_otherwise_quote_the_datagram(IcmpErrorCase c)
    {
        var offendingBytes = (byte[])c.Offending.Clone();
        Assert.True(Ipv4Packet.TryParse(offendingBytes, out var offending, out _));
        var suppression = IcmpError.GetSuppression(offending);
        var destination = new byte[2100];
        bool written = Write(destination, offending, c, out int length);

        Assert.Equal(suppression == IcmpErrorSuppression.None, written);
        Assert.Equal(c.Offending, offendingBytes); // the offending datagram is only read
        if (!written)
        {
            Assert.Equal(0, length);
            Assert.All(destination, b => Assert.Equal(0, b));
            return;
        }

        int quoteLength = Math.Min(c.Offending.Length, c.MaxLength - 28);
        Assert.Equal(28 + quoteLength, length);
        Assert.Equal(IcmpError.GetLength(offending, c.MaxLength), length);
        Assert.True(length <= c.MaxLength);

        // The error's IPv4 header: from the router to the offending source, a fresh TTL, a valid checksum.
        Assert.True(Ipv4Packet.TryParse(destination.AsSpan(0, length), out var ip, out var error), error.ToString());
        Assert.Equal(length, ip.TotalLength);
        Assert.True(ip.IsHeaderChecksumValid);
        Assert.Equal(ReferenceChecksum.Compute(ZeroedAt(ip.Buffer[..20], 10)), ip.HeaderChecksum);
        Assert.Equal(IpProtocols.Icmp, ip.Protocol);
        Assert.Equal(Router, ip.Source);
        Assert.Equal(offending.Source, ip.Destination);
        Assert.Equal(64, ip.TimeToLive);
        Assert.False(ip.IsFragment);

        // The ICMP message: type, code, MTU and a checksum equal to a full recomputation by the plain reference.
        Assert.True(IcmpMessage.TryParse(ip.Payload, out var icmp, out _));
        Assert.True(icmp.IsError);
        Assert.False(icmp.IsQuery);
        Assert.Equal((c.Type, c.Code), (icmp.Type, icmp.Code));
        Assert.Equal(c.NextHopMtu, icmp.NextHopMtu);
        Assert.True(icmp.IsChecksumValid);
        Assert.Equal(ReferenceChecksum.Compute(ZeroedAt(icmp.Buffer, 2)), icmp.Checksum);
        Assert.Equal(c.Offending.AsSpan(0, quoteLength).ToArray(), icmp.Data.ToArray());

        // The quote parses back to the offending datagram's fields, unless the datagram had fewer than 8 payload bytes.
        if (offending.Payload.Length < 8)
        {
            Assert.False(icmp.TryParseQuotedPacket(out _, out error));
            Assert.Equal(PacketParseError.TotalLengthTooShort, error);
            return;
        }

        Assert.True(icmp.TryParseQuotedPacket(out var quoted, out error), error.ToString());
        Assert.Equal(offending.Source, quoted.Source);
        Assert.Equal(offending.Destination, quoted.Destination);
        Assert.Equal(offending.Protocol, quoted.Protocol);
        Assert.Equal(offending.TotalLength, quoted.TotalLength);
        Assert.Equal(offending.Identification, quoted.Identification);
        Assert.Equal(offending.TimeToLive, quoted.TimeToLive);
        Assert.Equal(offending.HeaderLength, quoted.HeaderLength);
        Assert.True(quoted.IsHeaderChecksumValid);
        Assert.Equal(quoteLength < offending.TotalLength, quoted.IsTruncated);
        Assert.Equal(offending.Payload[..8].ToArray(), quoted.TransportHeader.ToArray());
        Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(offending.Payload), quoted.SourcePort);
        Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(offending.Payload[2..]), quoted.DestinationPort);
    }

    [Property]
    public void Quoted_packet_parse_never_throws_and_stays_inside_the_buffer(QuotedData q)
    {
        var data = (byte[])q.Data.Clone();
        if (!IcmpQuotedPacket.TryParse(data, out var quoted, out var error))
        {
            Assert.NotEqual(PacketParseError.None, error);
            // An untouched quote of a header and 8 bytes, of a datagram that has 8 payload bytes, is never refused.
            bool whole = data.Length >= 20
                && data.Length >= ((data[0] & 0x0F) * 4) + 8
                && BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(2)) >= ((data[0] & 0x0F) * 4) + 8;
            Assert.False(!q.Mutated && whole, $"refused with {error}");
            return;
        }

        Assert.Equal(PacketParseError.None, error);
        Assert.True(quoted.Buffer.Length <= data.Length);
        Assert.True(quoted.HeaderLength >= 20);
        Assert.True(quoted.HeaderLength + 8 <= quoted.Buffer.Length);
        Assert.Equal(Math.Min(quoted.TotalLength, data.Length), quoted.Buffer.Length);
        Assert.Equal(quoted.TotalLength > data.Length, quoted.IsTruncated);
        _ = (quoted.Source, quoted.Destination, quoted.Protocol, quoted.TimeToLive, quoted.Identification, quoted.FragmentOffset,
            quoted.IsHeaderChecksumValid, quoted.SourcePort, quoted.DestinationPort, quoted.IcmpType, quoted.IcmpIdentifier);
        Assert.Equal(8, quoted.TransportHeader.Length);
        if (!q.Mutated)
        {
            Assert.Equal(data.AsSpan(0, Math.Min(q.CutAt, quoted.TotalLength)).ToArray(), quoted.Buffer.ToArray());
            Assert.Equal(q.CutAt < quoted.TotalLength, quoted.IsTruncated);
        }
    }

    [Property]
    public void Identifier_rewrite_keeps_the_checksum_equal_to_a_full_recomputation(IcmpQueryCase c)
    {
        var message = (byte[])c.Message.Clone();
        Assert.True(IcmpMessage.TryParse(message, out var icmp, out _));
        Assert.True(icmp.IsQuery);
        ushort original = icmp.Identifier;

        icmp.Identifier = c.NewIdentifier;

        Assert.Equal(c.NewIdentifier, icmp.Identifier);
        Assert.True(icmp.IsChecksumValid);
        AssertSameOnesComplement(ReferenceChecksum.Compute(ZeroedAt(message, 2)), icmp.Checksum);
        Assert.Equal(c.Message[6..], message[6..]); // nothing else moved

        // The inverse rewrite restores the original message (up to the two forms of zero of the checksum).
        icmp.Identifier = original;
        Assert.Equal(c.Message[..2], message[..2]);
        Assert.Equal(c.Message[4..], message[4..]);
        AssertSameOnesComplement(BinaryPrimitives.ReadUInt16BigEndian(c.Message.AsSpan(2)), icmp.Checksum);
    }

    // 0x0000 and 0xFFFF are the two forms of zero in one's complement; an incremental update (RFC 1624) may
    // produce either where a full computation gives one (it happens only when every other word is zero).
    private static void AssertSameOnesComplement(ushort expected, ushort actual)
    {
        if (expected is 0 or 0xFFFF)
        {
            Assert.Contains(actual, new ushort[] { 0, 0xFFFF });
        }
        else
        {
            Assert.Equal(expected, actual);
        }
    }

    private static byte[] ZeroedAt(ReadOnlySpan<byte> bytes, int checksumOffset)
    {
        var copy = bytes.ToArray();
        copy[checksumOffset] = 0;
        copy[checksumOffset + 1] = 0;
        return copy;
    }

    private static bool Write(Span<byte> destination, Ipv4Packet offending, IcmpErrorCase c, out int length) => (c.Type, c.Code) switch
    {
        (3, 4) => IcmpError.TryWriteFragmentationNeeded(destination, offending, Router, c.NextHopMtu, out length, c.MaxLength),
        (3, _) => IcmpError.TryWriteDestinationUnreachable(destination, offending, Router, (DestinationUnreachableCode)c.Code, out length, c.MaxLength),
        _ => IcmpError.TryWriteTimeExceeded(destination, offending, Router, (TimeExceededCode)c.Code, out length, c.MaxLength),
    };
}
