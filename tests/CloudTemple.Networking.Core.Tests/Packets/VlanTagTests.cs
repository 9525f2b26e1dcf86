using CloudTemple.Networking.Packets;

namespace CloudTemple.Networking.Core.Tests.Packets;

public class VlanTagTests
{
    private static readonly MacAddress Source = MacAddress.Parse("02:00:00:00:00:01");

    [Fact]
    public void QinQ_frame_exposes_both_tags()
    {
        var frame = new byte[22 + 4];
        int written = EthernetFrame.WriteDoubleTaggedHeader(frame, MacAddress.Broadcast, Source, VlanTag.Service(300, 3), VlanTag.Customer(100, 5), EtherTypes.Ipv4);
        Assert.Equal(22, written);
        Assert.Equal([0x88, 0xA8, 0x61, 0x2C, 0x81, 0x00, 0xA0, 0x64, 0x08, 0x00], frame[12..22]);

        Assert.True(EthernetFrame.TryParse(frame, out var view, out _));
        Assert.Equal(2, view.TagCount);
        Assert.True(view.OuterTag.IsServiceTag);
        Assert.Equal((300, 3), (view.OuterTag.VlanId, view.OuterTag.Priority));
        Assert.False(view.InnerTag.IsServiceTag);
        Assert.Equal((100, 5), (view.InnerTag.VlanId, view.InnerTag.Priority));
        Assert.Equal(300, view.VlanId);
        Assert.Equal(EtherTypes.Ipv4, view.EtherType);
        Assert.Equal(22, view.Length);
        Assert.Equal(4, view.Payload.Length);

        Assert.False(EthernetFrame.TryParse(frame.AsSpan(0, 21), out _, out var error));
        Assert.Equal(PacketParseError.Truncated, error);
    }

    [Fact]
    public void An_S_tag_alone_is_one_tag()
    {
        var frame = new byte[18];
        EthernetFrame.WriteHeader(frame.AsSpan(4), MacAddress.Broadcast, Source, EtherTypes.Arp);
        VlanTag.Push(frame, VlanTag.Service(7));
        Assert.True(EthernetFrame.TryParse(frame, out var view, out _));
        Assert.Equal(1, view.TagCount);
        Assert.True(view.OuterTag.IsServiceTag);
        Assert.Equal(EtherTypes.Arp, view.EtherType);
        Assert.Equal(default, view.InnerTag);
    }

    [Fact]
    public void Push_builds_QinQ_from_an_untagged_frame_and_pop_takes_it_apart()
    {
        var buffer = new byte[8 + 14 + 2];
        EthernetFrame.WriteHeader(buffer.AsSpan(8), MacAddress.Broadcast, Source, EtherTypes.Ipv4);
        buffer[^2] = 0xAB;
        buffer[^1] = 0xCD;

        VlanTag.Push(buffer.AsSpan(4), VlanTag.Customer(100));
        var frame = VlanTag.Push(buffer, VlanTag.Service(200, 1));
        Assert.True(EthernetFrame.TryParse(frame, out var view, out _));
        Assert.Equal((200, 100), (view.OuterTag.VlanId, view.InnerTag.VlanId));

        Assert.True(VlanTag.TryPop(frame, out var outer, out var rest));
        Assert.Equal(VlanTag.Service(200, 1), outer);
        Assert.True(VlanTag.TryPop(rest, out var inner, out rest));
        Assert.Equal(VlanTag.Customer(100), inner);
        Assert.False(VlanTag.TryPop(rest, out _, out var same));
        Assert.Equal(16, same.Length);
        Assert.True(EthernetFrame.TryParse(rest, out view, out _));
        Assert.Equal((0, EtherTypes.Ipv4), (view.TagCount, view.EtherType));
        Assert.Equal(0xABCD, (rest[^2] << 8) | rest[^1]);
    }

    [Fact]
    public void Tags_and_push_refuse_bad_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VlanTag(4096));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VlanTag(1, priority: 8));
        Assert.Throws<ArgumentException>(() => new VlanTag(1, protocolIdentifier: EtherTypes.Ipv4));
        Assert.Throws<ArgumentException>(() => VlanTag.Push(new byte[17], VlanTag.Customer(1)));
        Assert.Throws<ArgumentException>(() => VlanTag.Push(new byte[18], default));
        Assert.Throws<ArgumentException>(() =>
            EthernetFrame.WriteDoubleTaggedHeader(new byte[22], MacAddress.Broadcast, Source, VlanTag.Service(1), VlanTag.Service(2), EtherTypes.Ipv4));
        Assert.Equal("0x88A8 vid 300 pcp 3 dei", new VlanTag(300, 3, true, EtherTypes.ServiceVlan).ToString());
    }
}
