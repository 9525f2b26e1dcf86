using CloudTemple.Networking.Packets;
using FsCheck.Xunit;
using static CloudTemple.Networking.Core.Tests.Generators;

namespace CloudTemple.Networking.Core.Tests.Packets;

/// <summary>Tagged frames parse back to their tags; push then pop restores the frame; mutated frames never throw.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 500)]
public class VlanTagProperties
{
    [Property]
    public void A_written_frame_parses_back_to_its_tags(TaggedFrame f)
    {
        Assert.True(EthernetFrame.TryParse(f.Frame, out var frame, out var error), error.ToString());
        Assert.Equal(f.Tags.Length, frame.TagCount);
        Assert.Equal(f.Tags.Length > 0, frame.HasVlanTag);
        Assert.Equal(f.Tags.ElementAtOrDefault(0), frame.OuterTag);
        Assert.Equal(f.Tags.ElementAtOrDefault(1), frame.InnerTag);
        Assert.Equal(f.Tags.ElementAtOrDefault(0).VlanId, frame.VlanId);
        Assert.Equal(f.Tags.ElementAtOrDefault(0).Priority, frame.VlanPriority);
        Assert.Equal(f.EtherType, frame.EtherType);
        Assert.Equal(14 + (4 * f.Tags.Length), frame.Length);
        Assert.Equal(f.Frame.Length, frame.Length + frame.Payload.Length);
    }

    [Property]
    public void Push_then_pop_restores_the_frame_and_returns_the_tag(TaggedFrame f, VlanTag tag)
    {
        var buffer = new byte[4 + f.Frame.Length];
        f.Frame.CopyTo(buffer, 4);

        var tagged = VlanTag.Push(buffer, tag);

        Assert.Equal(buffer.Length, tagged.Length);
        Assert.True(EthernetFrame.TryParse(tagged, out var frame, out _));
        Assert.Equal(tag, frame.OuterTag);
        Assert.Equal(f.Frame[..12], tagged[..12].ToArray());
        Assert.Equal(f.Frame[12..], tagged[16..].ToArray());
        if (f.Tags.Length > 0 && f.Tags[0].ProtocolIdentifier == EtherTypes.Vlan)
        {
            Assert.Equal(2, frame.TagCount);
            Assert.Equal(f.Tags[0], frame.InnerTag);
        }

        Assert.True(VlanTag.TryPop(tagged, out var popped, out var untagged));
        Assert.Equal(tag, popped);
        Assert.Equal(f.Frame, untagged.ToArray());
        Assert.Equal(4, buffer.Length - untagged.Length);
    }

    [Property]
    public void Pop_of_any_bytes_never_throws_and_keeps_the_frame_length(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        bool popped = VlanTag.TryPop(copy, out var tag, out var rest);
        Assert.Equal(popped ? bytes.Length - 4 : bytes.Length, rest.Length);
        if (!popped)
        {
            Assert.Equal(bytes, copy);
            Assert.Equal(default, tag);
        }
        else
        {
            Assert.True(VlanTag.IsTagProtocol(tag.ProtocolIdentifier));
            Assert.Equal(bytes[..12], rest[..12].ToArray());
            Assert.Equal(bytes[16..], rest[12..].ToArray());
        }
    }

    [Property]
    public void Mutated_tagged_frames_never_throw_and_stay_inside_the_buffer(TaggedFrame f, int position, byte value, int cut)
    {
        var bytes = (byte[])f.Frame.Clone();
        bytes[Math.Abs(position % bytes.Length)] = value;
        bytes = bytes[..Math.Abs(cut % (bytes.Length + 1))];
        if (!EthernetFrame.TryParse(bytes, out var frame, out var error))
        {
            Assert.Equal(PacketParseError.Truncated, error);
            Assert.True(bytes.Length < 22);
            return;
        }

        _ = (frame.OuterTag, frame.InnerTag, frame.VlanId, frame.VlanPriority, frame.Destination, frame.Source);
        Assert.InRange(frame.TagCount, 0, 2);
        Assert.True(frame.Length <= bytes.Length);
        Assert.Equal(bytes.Length, frame.Length + frame.Payload.Length);
        _ = frame.EtherType;
    }
}
