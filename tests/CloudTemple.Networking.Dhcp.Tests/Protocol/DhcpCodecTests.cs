using System.Buffers.Binary;
using CloudTemple.Networking.Dhcp.Protocol;

namespace CloudTemple.Networking.Dhcp.Tests.Protocol;

public class DhcpCodecTests
{
    /// <summary>
    /// A DHCPDISCOVER laid out byte by byte from RFC 2131 section 2 as ISC dhclient sends it: xid 0x3903f326,
    /// chaddr 00:0c:29:13:5a:8b, options 53 DISCOVER, 50 192.168.1.100, 12 "vm1", 55 with dhclient's default list.
    /// </summary>
    internal static byte[] DhclientDiscover()
    {
        var packet = new List<byte>
        {
            0x01, 0x01, 0x06, 0x00,             // op BOOTREQUEST, htype Ethernet, hlen 6, hops 0
            0x39, 0x03, 0xF3, 0x26,             // xid
            0x00, 0x00, 0x00, 0x00,             // secs, flags
        };
        packet.AddRange(new byte[16]);          // ciaddr, yiaddr, siaddr, giaddr
        packet.AddRange([0x00, 0x0C, 0x29, 0x13, 0x5A, 0x8B]);
        packet.AddRange(new byte[10 + 64 + 128]); // rest of chaddr, sname, file
        packet.AddRange([99, 130, 83, 99]);
        packet.AddRange([53, 1, 1]);
        packet.AddRange([50, 4, 192, 168, 1, 100]);
        packet.AddRange([12, 3, (byte)'v', (byte)'m', (byte)'1']);
        packet.AddRange([55, 13, 1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42]);
        packet.Add(255);
        return [.. packet];
    }

    [Fact]
    public void A_dhclient_discover_is_decoded_field_by_field()
    {
        Assert.True(DhcpMessageReader.TryParse(DhclientDiscover(), out var message, out var error), error.ToString());
        Assert.Equal(DhcpOpCode.BootRequest, message.OpCode);
        Assert.Equal(0x3903F326u, message.TransactionId);
        Assert.False(message.IsBroadcast);
        Assert.True(message.TryGetMacAddress(out var mac));
        Assert.Equal(MacAddress.Parse("00:0c:29:13:5a:8b"), mac);
        Assert.Equal(DhcpMessageType.Discover, message.MessageType);
        Assert.True(message.TryGetAddress(DhcpOptionCode.RequestedIPAddress, out var requested));
        Assert.Equal(Ipv4Address.Parse("192.168.1.100"), requested);
        Assert.Equal("vm1", message.GetText(DhcpOptionCode.HostName));
        Assert.True(message.TryGetOption(DhcpOptionCode.ParameterRequestList, out var prl));
        Assert.Contains((byte)DhcpOptionCode.ClasslessStaticRoute, prl.ToArray());
        Assert.Equal(DhcpOptionOverload.None, message.Overload);
    }

    [Theory]
    [InlineData(0, DhcpParseError.Truncated)]
    [InlineData(239, DhcpParseError.Truncated)]
    public void A_short_buffer_is_refused_as_truncated(int length, DhcpParseError expected)
    {
        Assert.False(DhcpMessageReader.TryParse(DhclientDiscover().AsSpan(0, length), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_bad_magic_cookie_is_refused()
    {
        var packet = DhclientDiscover();
        packet[239] = 98;
        Assert.False(DhcpMessageReader.TryParse(packet, out _, out var error));
        Assert.Equal(DhcpParseError.BadMagicCookie, error);
    }

    [Fact]
    public void A_bad_op_code_and_an_oversized_hlen_are_refused()
    {
        var packet = DhclientDiscover();
        packet[0] = 3;
        Assert.False(DhcpMessageReader.TryParse(packet, out _, out var error));
        Assert.Equal(DhcpParseError.BadOpCode, error);
        packet[0] = 1;
        packet[2] = 17;
        Assert.False(DhcpMessageReader.TryParse(packet, out _, out error));
        Assert.Equal(DhcpParseError.BadHardwareAddressLength, error);
    }

    [Fact]
    public void An_option_running_past_the_end_is_refused()
    {
        var packet = DhclientDiscover()[..^1];
        packet[^14] = 200; // the parameter request list claims 200 bytes
        Assert.False(DhcpMessageReader.TryParse(packet, out _, out var error));
        Assert.Equal(DhcpParseError.OptionTruncated, error);
    }

    [Fact]
    public void A_malformed_overload_option_is_refused()
    {
        var packet = DhclientDiscover()[..^1].Concat(new byte[] { 52, 1, 4, 255 }).ToArray();
        Assert.False(DhcpMessageReader.TryParse(packet, out _, out var error));
        Assert.Equal(DhcpParseError.BadOptionOverload, error);
    }

    [Fact]
    public void Options_in_file_and_sname_are_read_after_the_options_field_and_split_instances_are_joined()
    {
        var packet = DhclientDiscover()[..^1].Concat(new byte[] { 52, 1, 3, 121, 2, 8, 10, 255 }).ToArray();
        // file: rest of the route (router 10.0.0.1), then an option that only lives here; sname: host name.
        byte[] file = [121, 4, 10, 0, 0, 1, 15, 7, .. "example"u8, 255];
        file.CopyTo(packet, 108);
        byte[] sname = [66, 3, .. "tft"u8, 255];
        sname.CopyTo(packet, 44);

        Assert.True(DhcpMessageReader.TryParse(packet, out var message, out var error), error.ToString());
        Assert.Equal(DhcpOptionOverload.File | DhcpOptionOverload.ServerName, message.Overload);
        Assert.True(message.TryGetOption(DhcpOptionCode.ClasslessStaticRoute, out var routes));
        Assert.True(ClasslessStaticRoute.TryDecode(routes, out var decoded));
        Assert.Equal([new ClasslessStaticRoute(Ipv4Prefix.Parse("10.0.0.0/8"), Ipv4Address.Parse("10.0.0.1"))], decoded);
        Assert.Equal("example", message.GetText(DhcpOptionCode.DomainName));
        Assert.Equal("tft", message.GetText((DhcpOptionCode)66));
        Assert.Equal(DhcpMessageType.Discover, message.MessageType);
    }

    [Fact]
    public void Unknown_options_are_kept_in_order()
    {
        var packet = DhclientDiscover()[..^1].Concat(new byte[] { 224, 2, 0xAB, 0xCD, 250, 0, 255 }).ToArray();
        Assert.True(DhcpMessageReader.TryParse(packet, out var message, out _));
        var codes = new List<byte>();
        foreach (var option in message.Options)
        {
            codes.Add((byte)option.Code);
        }

        Assert.Equal(new byte[] { 53, 50, 12, 55, 224, 250 }, codes);
        Assert.True(message.TryGetOption((DhcpOptionCode)224, out var value));
        Assert.Equal(new byte[] { 0xAB, 0xCD }, value.ToArray());
    }

    [Fact]
    public void A_long_option_is_written_as_several_instances_and_the_reply_is_padded()
    {
        var buffer = new byte[1500];
        var writer = new DhcpMessageWriter(buffer) { OpCode = DhcpOpCode.BootReply };
        writer.WriteOption((DhcpOptionCode)224, new byte[600]);
        int length = writer.Complete();

        Assert.Equal(DhcpConstants.OptionsOffset + 2 + 255 + 2 + 255 + 2 + 90 + 1, length);
        Assert.Equal(224, buffer[240]);
        Assert.Equal(255, buffer[241]);
        Assert.Equal(224, buffer[240 + 257]);
        Assert.Equal(90, buffer[240 + 514 + 1]);

        var small = new DhcpMessageWriter(buffer) { OpCode = DhcpOpCode.BootReply };
        small.WriteMessageType(DhcpMessageType.Offer);
        Assert.Equal(DhcpConstants.MinimumMessageLength, small.Complete());
        Assert.True(buffer.AsSpan(244, 300 - 244).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void A_writer_refuses_a_buffer_too_small_for_its_options()
    {
        var buffer = new byte[300];
        var writer = new DhcpMessageWriter(buffer);
        bool threw = false;
        try
        {
            writer.WriteOption((DhcpOptionCode)224, new byte[100]);
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    [Fact]
    public void Typed_options_are_written_in_network_order()
    {
        var buffer = new byte[600];
        var writer = new DhcpMessageWriter(buffer) { OpCode = DhcpOpCode.BootReply };
        writer.WriteUInt32Option(DhcpOptionCode.LeaseTime, 3600);
        writer.WriteUInt16Option(DhcpOptionCode.InterfaceMtu, 1450);
        writer.WriteAddressesOption(DhcpOptionCode.DomainNameServer, [Ipv4Address.Parse("10.0.0.2"), Ipv4Address.Parse("10.0.0.3")]);
        writer.WriteTextOption(DhcpOptionCode.DomainName, "vpc.internal");
        int length = writer.Complete();

        Assert.True(DhcpMessageReader.TryParse(buffer.AsSpan(0, length), out var message, out _));
        Assert.True(message.TryGetUInt32(DhcpOptionCode.LeaseTime, out uint lease));
        Assert.Equal(3600u, lease);
        Assert.True(message.TryGetUInt16(DhcpOptionCode.InterfaceMtu, out ushort mtu));
        Assert.Equal(1450, mtu);
        Assert.True(message.TryGetOption(DhcpOptionCode.DomainNameServer, out var dns));
        Assert.Equal(new byte[] { 10, 0, 0, 2, 10, 0, 0, 3 }, dns.ToArray());
        Assert.Equal("vpc.internal", message.GetText(DhcpOptionCode.DomainName));
        Assert.Equal(0x63825363u, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(236)));
    }

    [Fact]
    public void Classless_static_routes_use_only_the_significant_octets()
    {
        // RFC 3442's examples: 10.17.0.0/16 -> 2 octets, 0.0.0.0/0 -> none, 10.27.129.0/24 -> 3.
        ClasslessStaticRoute[] routes =
        [
            new(Ipv4Prefix.Parse("10.17.0.0/16"), Ipv4Address.Parse("10.0.0.1")),
            new(Ipv4Prefix.Any, Ipv4Address.Parse("10.0.0.1")),
            new(Ipv4Prefix.Parse("10.27.129.0/24"), Ipv4Address.Parse("10.0.0.9")),
        ];
        var bytes = new byte[ClasslessStaticRoute.GetEncodedLength(routes)];
        ClasslessStaticRoute.Encode(routes, bytes);
        Assert.Equal(new byte[] { 16, 10, 17, 10, 0, 0, 1, 0, 10, 0, 0, 1, 24, 10, 27, 129, 10, 0, 0, 9 }, bytes);
    }

    [Fact]
    public void Domain_search_uses_compression_pointers_as_in_rfc_3397()
    {
        // RFC 3397 section 2's example: eng.apple.com and marketing.apple.com.
        var bytes = DomainSearchList.Encode(["eng.apple.com", "marketing.apple.com"]);
        byte[] expected =
        [
            3, .. "eng"u8, 5, .. "apple"u8, 3, .. "com"u8, 0,
            9, .. "marketing"u8, 0xC0, 0x04,
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void A_domain_search_pointer_loop_is_refused()
    {
        Assert.False(DomainSearchList.TryDecode([0xC0, 0x00], out _));
        Assert.False(DomainSearchList.TryDecode([1, (byte)'a', 0xC0, 0x00], out _));
    }

    [Fact]
    public void Address_lists_and_relay_agent_sub_options_are_read_without_allocating()
    {
        var buffer = new byte[600];
        var writer = new DhcpMessageWriter(buffer) { OpCode = DhcpOpCode.BootRequest };
        writer.WriteAddressesOption(DhcpOptionCode.DomainNameServer, [Ipv4Address.Parse("10.0.0.2"), Ipv4Address.Parse("10.0.0.3"), Ipv4Address.Parse("10.0.0.4")]);
        writer.WriteOption(DhcpOptionCode.RelayAgentInformation, [1, 4, .. "eth7"u8, 2, 2, 0xAB, 0xCD]);
        int length = writer.Complete();
        Assert.True(DhcpMessageReader.TryParse(buffer.AsSpan(0, length), out var message, out _));

        Span<Ipv4Address> dns = stackalloc Ipv4Address[2];
        Assert.True(message.TryGetAddresses(DhcpOptionCode.DomainNameServer, dns, out int count));
        Assert.Equal(3, count);
        Assert.Equal(Ipv4Address.Parse("10.0.0.3"), dns[1]);
        Assert.False(message.TryGetAddresses(DhcpOptionCode.Router, dns, out _));

        Assert.True(message.TryGetOption(DhcpOptionCode.RelayAgentInformation, out var relay));
        Assert.True(RelayAgentInformation.TryGetSubOption(relay, RelayAgentInformation.CircuitId, out var circuit));
        Assert.Equal("eth7"u8.ToArray(), circuit.ToArray());
        Assert.True(RelayAgentInformation.TryGetSubOption(relay, RelayAgentInformation.RemoteId, out var remote));
        Assert.Equal(new byte[] { 0xAB, 0xCD }, remote.ToArray());
        Assert.False(RelayAgentInformation.TryGetSubOption(relay, 9, out _));
    }
}
