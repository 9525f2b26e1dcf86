using System.Buffers.Binary;
using CloudTemple.Networking.Buffers;
using CloudTemple.Networking.Packets;

namespace CloudTemple.Networking.Core.Tests.Flows;

public class FlowKeyTests
{
    private static readonly Ipv4Address Client = Ipv4Address.Parse("10.0.1.7");
    private static readonly Ipv4Address Server = Ipv4Address.Parse("192.0.2.9");

    private static TestFrame Frame(byte protocol, ushort sourcePort = 40000, ushort destinationPort = 443, byte icmpType = 8,
        int tags = 0, bool serviceTag = false, FragmentPlace fragment = FragmentPlace.None, int payload = 10) =>
        new(tags, serviceTag, 100, 200, Client, Server, protocol, sourcePort, destinationPort, icmpType, 0, payload, fragment, 0);

    private static FlowKey Extract(byte[] frame)
    {
        Assert.True(FlowKey.TryExtract(frame, out var key, out var error), error.ToString());
        Assert.Equal(FlowKeyError.None, error);
        return key;
    }

    [Fact]
    public void The_stable_hash_is_MurmurHash3_of_the_documented_serialization()
    {
        var key = new FlowKey(Client, Server, IpProtocols.Tcp, 40000, 443);
        Span<byte> bytes = stackalloc byte[FlowKey.SerializedLength];
        key.WriteTo(bytes);

        // Four little-endian words: source, destination, protocol, ports.
        Assert.Equal(Convert.FromHexString("07 01 00 0A 09 02 00 C0 06 00 00 00 BB 01 40 9C".Replace(" ", "", StringComparison.Ordinal)), bytes.ToArray());
        Assert.Equal(MurmurHash3.Hash32(bytes, FlowKey.HashSeed), key.StableHash());
    }

    [Fact]
    public void The_stable_hash_keeps_the_values_of_the_version_before_the_move_to_Core()
    {
        // Computed by Routing's FlowKey before it became MurmurHash3 over a serialization: a change re-routes every ECMP flow.
        Assert.Equal(2590155738u, new FlowKey(Client, Server, IpProtocols.Tcp, 40000, 443).StableHash());
    }

    [Fact]
    public void Write_to_refuses_a_short_destination() =>
        Assert.Throws<ArgumentException>(() => default(FlowKey).WriteTo(new byte[15]));

    [Fact]
    public void Select_index_maps_the_hash_by_multiply_shift_and_refuses_zero_choices()
    {
        var key = new FlowKey(Client, Server, IpProtocols.Udp, 5353, 53);
        Assert.Equal((int)(((ulong)key.StableHash() * 7) >> 32), key.SelectIndex(7));
        Assert.Equal(0, key.SelectIndex(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => key.SelectIndex(0));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void A_tcp_key_is_read_through_any_vlan_tags(int tags, bool serviceTag)
    {
        var frame = Frame(IpProtocols.Tcp, tags: tags, serviceTag: serviceTag).Build();
        Assert.Equal(new FlowKey(Client, Server, IpProtocols.Tcp, 40000, 443), Extract(frame));
    }

    [Fact]
    public void A_udp_key_is_read_from_a_bare_ipv4_packet()
    {
        var packet = Frame(IpProtocols.Udp, 5353, 53).BuildIpv4();
        Assert.True(FlowKey.TryExtractFromIpv4(packet, out var key, out var error));
        Assert.Equal(FlowKeyError.None, error);
        Assert.Equal(new FlowKey(Client, Server, IpProtocols.Udp, 5353, 53), key);
    }

    [Theory]
    [InlineData(8, 0)]
    [InlineData(13, 14)]
    [InlineData(15, 16)]
    [InlineData(17, 18)]
    public void The_reverse_of_an_icmp_request_key_is_its_reply_key(byte requestType, byte replyType)
    {
        var request = Extract(Frame(IpProtocols.Icmp, sourcePort: 0x4242, icmpType: requestType).Build());
        var reply = Extract(new TestFrame(0, false, 0, 0, Server, Client, IpProtocols.Icmp, 0x4242, 1, replyType, 0, 10, FragmentPlace.None, 0).Build());

        Assert.Equal(new FlowKey(Client, Server, IpProtocols.Icmp, 0x4242, 0), request);
        Assert.Equal(new FlowKey(Server, Client, IpProtocols.Icmp, 0, 0x4242), reply);
        Assert.Equal(reply, request.Reverse());
        Assert.Equal(request, reply.Reverse());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(5)]
    public void An_icmp_error_has_no_ports(byte type) =>
        Assert.Equal(new FlowKey(Client, Server, IpProtocols.Icmp, 0, 0), Extract(Frame(IpProtocols.Icmp, icmpType: type).Build()));

    [Fact]
    public void Another_protocol_has_no_ports() =>
        Assert.Equal(new FlowKey(Client, Server, TestFrame.Gre, 0, 0), Extract(Frame(TestFrame.Gre).Build()));

    [Fact]
    public void A_first_fragment_has_its_ports_and_a_later_one_gives_its_three_tuple_with_a_reason()
    {
        Assert.Equal(new FlowKey(Client, Server, IpProtocols.Udp, 40000, 443), Extract(Frame(IpProtocols.Udp, fragment: FragmentPlace.First).Build()));

        Assert.False(FlowKey.TryExtract(Frame(IpProtocols.Udp, fragment: FragmentPlace.Later).Build(), out var key, out var error));
        Assert.Equal(FlowKeyError.NonFirstFragment, error);
        Assert.Equal(new FlowKey(Client, Server, IpProtocols.Udp, 0, 0), key);
    }

    [Fact]
    public void Non_ipv4_frames_are_refused_as_such()
    {
        var arp = new byte[42];
        EthernetFrame.WriteHeader(arp, MacAddress.Parse("ff:ff:ff:ff:ff:ff"), MacAddress.Parse("02:00:00:00:00:01"), EtherTypes.Arp);
        Assert.False(FlowKey.TryExtract(arp, out var key, out var error));
        Assert.Equal(FlowKeyError.NotIpv4, error);
        Assert.Equal(default, key);

        // A third tag is not skipped.
        var tripleTagged = Frame(IpProtocols.Tcp, tags: 2).Build();
        BinaryPrimitives.WriteUInt16BigEndian(tripleTagged.AsSpan(20), EtherTypes.Vlan);
        Assert.False(FlowKey.TryExtract(tripleTagged, out _, out error));
        Assert.Equal(FlowKeyError.NotIpv4, error);
    }

    [Fact]
    public void Truncated_and_malformed_frames_are_refused_with_their_reason()
    {
        var frame = Frame(IpProtocols.Tcp, tags: 1).Build();
        foreach (int length in new[] { 0, 13, 17, 18 + 19, 18 + 20 + 19 })
        {
            Assert.False(FlowKey.TryExtract(frame.AsSpan(0, length), out _, out var error));
            Assert.Equal(FlowKeyError.Truncated, error);
        }

        var badVersion = (byte[])frame.Clone();
        badVersion[18] = 0x65;
        Assert.False(FlowKey.TryExtract(badVersion, out _, out var malformed));
        Assert.Equal(FlowKeyError.Malformed, malformed);

        var badDataOffset = (byte[])frame.Clone();
        badDataOffset[18 + 20 + 12] = 0x40;
        Assert.False(FlowKey.TryExtract(badDataOffset, out _, out malformed));
        Assert.Equal(FlowKeyError.Malformed, malformed);
    }

    [Fact]
    public void A_key_from_a_layout_refuses_another_frame()
    {
        var frame = Frame(IpProtocols.Tcp).Build();
        Assert.True(PacketLayout.TryParse(frame, out var layout, out _));
        Assert.Throws<ArgumentException>(() => FlowKey.TryExtract(layout, frame.AsSpan(1), out _, out _));
    }
}
