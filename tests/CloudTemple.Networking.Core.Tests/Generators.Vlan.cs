using CloudTemple.Networking.Packets;
using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.Core.Tests;

/// <summary>Generators of VLAN tags, of valid untagged, 802.1Q and QinQ frames, and of VXLAN headers.</summary>
public static partial class Generators
{
    public static Gen<VlanTag> VlanTagGen =>
        from vlanId in Gen.Frequency((4, Gen.Choose(0, 4095)), (1, Gen.Elements(0, 1, 4094, 4095)))
        from priority in Gen.Choose(0, 7)
        from dropEligible in Gen.Elements(false, true)
        from service in Gen.Elements(false, true)
        select new VlanTag((ushort)vlanId, (byte)priority, dropEligible, service ? EtherTypes.ServiceVlan : EtherTypes.Vlan);

    /// <summary>A valid Ethernet frame with 0, 1 or 2 tags (QinQ: the inner one a C-tag), and the tags it was written with.</summary>
    public sealed record TaggedFrame(byte[] Frame, VlanTag[] Tags, ushort EtherType)
    {
        public override string ToString() => $"{string.Join(", ", Tags)} type 0x{EtherType:X4}: {Convert.ToHexString(Frame)}";
    }

    public static Gen<TaggedFrame> TaggedFrameGen =>
        from tagCount in Gen.Choose(0, 2)
        from outer in VlanTagGen
        from inner in VlanTagGen.Select(t => new VlanTag(t.VlanId, t.Priority, t.DropEligible))
        from destination in MacGen
        from source in MacGen
        from etherType in Gen.Elements(EtherTypes.Ipv4, EtherTypes.Arp, EtherTypes.Ipv6, (ushort)0x88CC)
        from payload in Bytes(200)
        select BuildFrame(tagCount switch { 0 => [], 1 => [outer], _ => [outer, inner] }, destination, source, etherType, payload);

    private static TaggedFrame BuildFrame(VlanTag[] tags, MacAddress destination, MacAddress source, ushort etherType, byte[] payload)
    {
        var frame = new byte[14 + (4 * tags.Length) + payload.Length];
        int at = tags.Length switch
        {
            0 => EthernetFrame.WriteHeader(frame, destination, source, etherType),
            1 => WriteOneTag(frame, destination, source, tags[0], etherType),
            _ => EthernetFrame.WriteDoubleTaggedHeader(frame, destination, source, tags[0], tags[1], etherType),
        };
        payload.CopyTo(frame, at);
        return new TaggedFrame(frame, tags, etherType);
    }

    private static int WriteOneTag(Span<byte> frame, MacAddress destination, MacAddress source, VlanTag tag, ushort etherType)
    {
        // Untagged header one tag later, then the tag pushed into the 4 bytes of headroom.
        EthernetFrame.WriteHeader(frame[4..], destination, source, etherType);
        VlanTag.Push(frame, tag);
        return EthernetFrame.TaggedHeaderLength;
    }

    /// <summary>A VXLAN header's 8 bytes with arbitrary reserved bits, the I flag set or not.</summary>
    public sealed record VxlanBytes(byte[] Header)
    {
        public override string ToString() => Convert.ToHexString(Header);
    }

    public static Gen<VxlanBytes> VxlanBytesGen =>
        from header in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 8)
        from instanceFlag in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        select new VxlanBytes(WithInstanceFlag(header, instanceFlag));

    private static byte[] WithInstanceFlag(byte[] header, bool set)
    {
        header[0] = set ? (byte)(header[0] | VxlanHeader.InstanceFlag) : (byte)(header[0] & ~VxlanHeader.InstanceFlag);
        return header;
    }

    public static Arbitrary<VlanTag> VlanTagArb() => Arb.From(VlanTagGen);

    public static Arbitrary<TaggedFrame> TaggedFrameArb() => Arb.From(TaggedFrameGen);

    public static Arbitrary<VxlanBytes> VxlanBytesArb() => Arb.From(VxlanBytesGen);
}
