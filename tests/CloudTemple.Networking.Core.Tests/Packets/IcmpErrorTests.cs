using System.Buffers.Binary;
using CloudTemple.Networking.Packets;

namespace CloudTemple.Networking.Core.Tests.Packets;

public class IcmpErrorTests
{
    private static readonly Ipv4Address Router = Ipv4Address.Parse("10.0.1.1");
    private static readonly Ipv4Address Vm = Ipv4Address.Parse("10.0.1.10");
    private static readonly Ipv4Address Remote = Ipv4Address.Parse("192.0.2.7");

    [Fact]
    public void Error_and_query_types_are_the_ones_of_RFC_792()
    {
        var errors = Enumerable.Range(0, 256).Where(t => IcmpTypes.IsError((byte)t)).ToArray();
        var queries = Enumerable.Range(0, 256).Where(t => IcmpTypes.IsQuery((byte)t)).ToArray();
        Assert.Equal([3, 4, 5, 11, 12], errors);
        Assert.Equal([0, 8, 13, 14, 15, 16, 17, 18], queries);
    }

    [Fact]
    public void A_1500_byte_datagram_is_quoted_up_to_576_bytes_of_error()
    {
        var offending = UdpPacket(Vm, Remote, payloadLength: 1472);
        Assert.True(Ipv4Packet.TryParse(offending, out var packet, out _));
        var error = new byte[IcmpError.DefaultMaxLength];

        Assert.True(IcmpError.TryWriteDestinationUnreachable(error, packet, Router, DestinationUnreachableCode.PortUnreachable, out int written));

        Assert.Equal(576, written);
        Assert.True(Ipv4Packet.TryParse(error, out var ip, out _));
        Assert.True(ip.IsHeaderChecksumValid);
        Assert.Equal(48, ip.Dscp); // precedence 6, RFC 1812 section 4.3.2.5
        Assert.Equal((Router, Vm), (ip.Source, ip.Destination));
        Assert.True(IcmpMessage.TryParse(ip.Payload, out var icmp, out _));
        Assert.True(icmp.IsChecksumValid);
        Assert.Equal((IcmpTypes.DestinationUnreachable, (byte)3), (icmp.Type, icmp.Code));
        Assert.Equal(548, icmp.Data.Length);
        Assert.True(icmp.TryParseQuotedPacket(out var quoted, out _));
        Assert.True(quoted.IsTruncated);
        Assert.Equal(1500, quoted.TotalLength);
        Assert.Equal(548, quoted.Buffer.Length);
        Assert.Equal((Vm, Remote, IpProtocols.Udp), (quoted.Source, quoted.Destination, quoted.Protocol));
        Assert.Equal((40000, 53), (quoted.SourcePort, quoted.DestinationPort));
    }

    [Fact]
    public void A_small_datagram_is_quoted_whole_and_the_limit_is_a_parameter()
    {
        var offending = UdpPacket(Vm, Remote, payloadLength: 12);
        Assert.True(Ipv4Packet.TryParse(offending, out var packet, out _));
        var error = new byte[200];
        Assert.True(IcmpError.TryWriteTimeExceeded(error, packet, Router, TimeExceededCode.TimeToLiveExceededInTransit, out int written, timeToLive: 255));
        Assert.Equal(28 + 40, written);
        Assert.Equal(255, error[8]);
        Assert.True(IcmpMessage.TryParse(error.AsSpan(20, written - 20), out var icmp, out _));
        Assert.True(icmp.TryParseQuotedPacket(out var quoted, out _));
        Assert.False(quoted.IsTruncated);
        Assert.Equal(offending, quoted.Buffer.ToArray());

        // A limit of 56 bytes leaves exactly the header and 8 bytes of the offending datagram.
        Assert.Equal(56, IcmpError.GetLength(packet, maxLength: 56));
        Assert.Throws<ArgumentOutOfRangeException>(() => IcmpError.GetLength(Parse(offending), maxLength: 55));
    }

    [Fact]
    public void Fragmentation_needed_carries_the_next_hop_MTU()
    {
        var offending = UdpPacket(Vm, Remote, payloadLength: 1472);
        Assert.True(Ipv4Packet.TryParse(offending, out var packet, out _));
        var error = new byte[576];
        Assert.True(IcmpError.TryWriteFragmentationNeeded(error, packet, Router, 1450, out _));
        Assert.True(IcmpMessage.TryParse(error.AsSpan(20), out var icmp, out _));
        Assert.Equal(1450, icmp.NextHopMtu);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(icmp.Buffer[4..])); // unused, RFC 1191
        Assert.Equal(1450, icmp.SequenceNumber);

        // Only type 3 code 4 has a next-hop MTU.
        icmp.Buffer[1] = 3;
        Assert.Equal(0, icmp.NextHopMtu);

        var misuse = Assert.Throws<ArgumentException>(() =>
            IcmpError.TryWriteDestinationUnreachable(new byte[576], Parse(offending), Router, DestinationUnreachableCode.FragmentationNeeded, out _));
        Assert.Contains("TryWriteFragmentationNeeded", misuse.Message);
    }

    [Theory]
    [InlineData(DestinationUnreachableCode.NetworkUnreachable)]
    [InlineData(DestinationUnreachableCode.HostUnreachable)]
    [InlineData(DestinationUnreachableCode.ProtocolUnreachable)]
    [InlineData(DestinationUnreachableCode.NetworkAdministrativelyProhibited)]
    [InlineData(DestinationUnreachableCode.HostAdministrativelyProhibited)]
    [InlineData(DestinationUnreachableCode.CommunicationAdministrativelyProhibited)]
    public void Every_router_code_is_written_as_given(DestinationUnreachableCode code)
    {
        var offending = UdpPacket(Vm, Remote, payloadLength: 20);
        var error = new byte[576];
        Assert.True(IcmpError.TryWriteDestinationUnreachable(error, Parse(offending), Router, code, out int written));
        Assert.Equal((byte)code, error[21]);
        Assert.True(IcmpMessage.TryParse(error.AsSpan(20, written - 20), out var icmp, out _));
        Assert.True(icmp.IsChecksumValid);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            IcmpError.TryWriteDestinationUnreachable(error, Parse(offending), Router, (DestinationUnreachableCode)16, out _));
    }

    [Fact]
    public void No_error_about_an_error_a_fragment_a_broadcast_or_a_source_that_is_no_single_host()
    {
        Assert.Equal(IcmpErrorSuppression.None, IcmpError.GetSuppression(Parse(UdpPacket(Vm, Remote, 8))));
        Assert.True(IcmpError.MayReplyTo(Parse(IcmpDatagram(IcmpTypes.EchoRequest))));

        Assert.Equal(IcmpErrorSuppression.IcmpError, IcmpError.GetSuppression(Parse(IcmpDatagram(IcmpTypes.DestinationUnreachable))));
        Assert.Equal(IcmpErrorSuppression.IcmpError, IcmpError.GetSuppression(Parse(IcmpDatagram(IcmpTypes.TimeExceeded))));

        var fragment = UdpPacket(Vm, Remote, 100);
        BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(6), 0x2000 | 185); // MF, offset 1480
        Assert.Equal(IcmpErrorSuppression.NonInitialFragment, IcmpError.GetSuppression(Parse(fragment)));
        BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(6), 0x2000); // the first fragment is fine
        Assert.Equal(IcmpErrorSuppression.None, IcmpError.GetSuppression(Parse(fragment)));

        foreach (var destination in new[] { "255.255.255.255", "224.0.0.251", "239.1.2.3" })
        {
            Assert.Equal(IcmpErrorSuppression.BroadcastOrMulticastDestination,
                IcmpError.GetSuppression(Parse(UdpPacket(Vm, Ipv4Address.Parse(destination), 8))));
        }

        var directed = Parse(UdpPacket(Vm, Ipv4Address.Parse("10.0.1.255"), 8));
        Assert.True(IcmpError.MayReplyTo(directed));
        Assert.Equal(IcmpErrorSuppression.BroadcastOrMulticastDestination, IcmpError.GetSuppression(directed, subnetBroadcast: Ipv4Address.Parse("10.0.1.255")));
        Assert.Equal(IcmpErrorSuppression.LinkLayerBroadcast, IcmpError.GetSuppression(Parse(UdpPacket(Vm, Remote, 8)), linkLayerBroadcast: true));

        foreach (var source in new[] { "0.0.0.0", "127.0.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255" })
        {
            Assert.Equal(IcmpErrorSuppression.SourceNotSingleHost, IcmpError.GetSuppression(Parse(UdpPacket(Ipv4Address.Parse(source), Remote, 8))));
        }

        // The writers refuse in the same cases and write nothing.
        var error = new byte[576];
        Assert.False(IcmpError.TryWriteTimeExceeded(error, Parse(IcmpDatagram(IcmpTypes.Redirect)), Router, TimeExceededCode.TimeToLiveExceededInTransit, out int written));
        Assert.Equal(0, written);
        Assert.All(error, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Quoted_packet_parse_reports_each_reason()
    {
        var datagram = UdpPacket(Vm, Remote, payloadLength: 100);
        Assert.Equal(PacketParseError.Truncated, QuoteError(datagram[..27]));
        Assert.Equal(PacketParseError.Truncated, QuoteError(datagram[..19]));
        Assert.Equal(PacketParseError.None, QuoteError(datagram[..28]));

        var badVersion = (byte[])datagram.Clone();
        badVersion[0] = 0x65;
        Assert.Equal(PacketParseError.BadVersion, QuoteError(badVersion));
        var badLength = (byte[])datagram.Clone();
        badLength[0] = 0x44;
        Assert.Equal(PacketParseError.BadHeaderLength, QuoteError(badLength));
        var longHeader = (byte[])datagram.Clone();
        longHeader[0] = 0x4F; // 60-byte header: 68 bytes needed
        Assert.Equal(PacketParseError.Truncated, QuoteError(longHeader[..67]));
        var shortTotal = (byte[])datagram.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(shortTotal.AsSpan(2), 27);
        Assert.Equal(PacketParseError.TotalLengthTooShort, QuoteError(shortTotal));

        // Trailing bytes (padding, RFC 4884 extensions) after a whole datagram are left out of the view.
        var padded = datagram.Concat(new byte[16]).ToArray();
        Assert.True(IcmpQuotedPacket.TryParse(padded, out var quoted, out _));
        Assert.Equal(datagram.Length, quoted.Buffer.Length);
        Assert.False(quoted.IsTruncated);

        var message = IcmpDatagram(IcmpTypes.EchoRequest);
        Assert.True(IcmpMessage.TryParse(message.AsSpan(20), out var echo, out _));
        Assert.False(echo.TryParseQuotedPacket(out _, out var error));
        Assert.Equal(PacketParseError.NotAnIcmpError, error);
    }

    [Fact]
    public void A_quoted_icmp_query_shows_its_identifier()
    {
        var echo = IcmpDatagram(IcmpTypes.EchoRequest);
        var error = new byte[576];
        Assert.True(IcmpError.TryWriteDestinationUnreachable(error, Parse(echo), Router, DestinationUnreachableCode.HostUnreachable, out int written));
        Assert.True(IcmpMessage.TryParse(error.AsSpan(20, written - 20), out var icmp, out _));
        Assert.True(icmp.TryParseQuotedPacket(out var quoted, out _));
        Assert.Equal(IcmpTypes.EchoRequest, quoted.IcmpType);
        Assert.Equal(0x4242, quoted.IcmpIdentifier);
        Assert.Equal(0, quoted.FragmentOffset);
    }

    [Fact]
    public void Identifier_is_rewritten_with_its_checksum_in_one_call()
    {
        var echo = IcmpDatagram(IcmpTypes.EchoRequest);
        Assert.True(IcmpMessage.TryParse(echo.AsSpan(20), out var icmp, out _));
        Assert.True(icmp.IsQuery);
        Assert.False(icmp.IsError);
        icmp.Identifier = 0x1111;
        Assert.Equal(0x1111, icmp.Identifier);
        Assert.True(icmp.IsChecksumValid);
    }

    private static PacketParseError QuoteError(byte[] data)
    {
        bool parsed = IcmpQuotedPacket.TryParse(data, out _, out var error);
        Assert.Equal(parsed, error == PacketParseError.None);
        return error;
    }

    private static Ipv4Packet Parse(byte[] bytes)
    {
        Assert.True(Ipv4Packet.TryParse(bytes, out var packet, out var error), error.ToString());
        return packet;
    }

    private static byte[] UdpPacket(Ipv4Address source, Ipv4Address destination, int payloadLength)
    {
        var bytes = new byte[28 + payloadLength];
        Ipv4Packet.WriteHeader(bytes, source, destination, IpProtocols.Udp, 8 + payloadLength);
        UdpDatagram.WriteHeader(bytes.AsSpan(20), 40000, 53, payloadLength);
        return bytes;
    }

    private static byte[] IcmpDatagram(byte type)
    {
        var bytes = new byte[20 + 8 + 32];
        Ipv4Packet.WriteHeader(bytes, Vm, Remote, IpProtocols.Icmp, 40);
        IcmpMessage.WriteHeader(bytes.AsSpan(20), type, 0, 0x4242, 1);
        Assert.True(IcmpMessage.TryParse(bytes.AsSpan(20), out var icmp, out _));
        icmp.UpdateChecksum();
        return bytes;
    }
}
