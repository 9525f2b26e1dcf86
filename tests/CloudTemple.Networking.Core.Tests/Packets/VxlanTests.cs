using System.Buffers.Binary;
using CloudTemple.Networking.Packets;
using FsCheck.Xunit;
using static CloudTemple.Networking.Core.Tests.Generators;

namespace CloudTemple.Networking.Core.Tests.Packets;

[Properties(Arbitrary = [typeof(Generators)], MaxTest = 500)]
public class VxlanTests
{
    [Fact]
    public void Constants_are_those_of_RFC_7348()
    {
        Assert.Equal(4789, VxlanHeader.UdpPort);
        Assert.Equal(50, VxlanHeader.Overhead);
        Assert.Equal(8, VxlanHeader.HeaderLength);
        Assert.Equal(1450, 1500 - VxlanHeader.Overhead);
    }

    [Fact]
    public void Writer_sets_the_I_flag_the_VNI_and_zero_reserved_bits()
    {
        var header = new byte[8];
        Array.Fill(header, (byte)0xEE);
        Assert.Equal(8, VxlanHeader.Write(header, 0xABCDEF));
        Assert.Equal([0x08, 0, 0, 0, 0xAB, 0xCD, 0xEF, 0], header);
        Assert.Throws<ArgumentOutOfRangeException>(() => VxlanHeader.Write(header, 0x1000000));
        Assert.Throws<ArgumentException>(() => VxlanHeader.Write(new byte[7], 1));
    }

    [Fact]
    public void Parse_reports_a_clear_I_flag_apart_from_truncation()
    {
        byte[] header = [0x00, 0, 0, 0, 0, 0, 42, 0];
        Assert.False(VxlanHeader.TryParse(header, out _, out var error));
        Assert.Equal(PacketParseError.VxlanInstanceFlagNotSet, error);
        Assert.False(VxlanHeader.TryParse(header.AsSpan(0, 7), out _, out error));
        Assert.Equal(PacketParseError.Truncated, error);
    }

    [Fact]
    public void Source_port_is_in_the_dynamic_range()
    {
        Assert.Equal(49152, VxlanHeader.SourcePort(0));
        Assert.Equal(65535, VxlanHeader.SourcePort(0x3FFF));
        Assert.NotEqual(VxlanHeader.SourcePort(0x0001_0000), VxlanHeader.SourcePort(0x0002_0000)); // high bits count
    }

    [Property]
    public void Write_then_parse_gives_the_VNI_and_the_inner_frame(uint vni, byte[] inner)
    {
        vni &= VxlanHeader.MaxVni;
        var bytes = new byte[8 + inner.Length];
        VxlanHeader.Write(bytes, vni);
        inner.CopyTo(bytes, 8);
        Assert.True(VxlanHeader.TryParse(bytes, out var header, out _));
        Assert.Equal(vni, header.Vni);
        Assert.Equal(inner, header.Payload.ToArray());
    }

    [Property]
    public void Reserved_bits_are_ignored_on_receipt_and_kept_by_the_VNI_setter(VxlanBytes v, uint newVni)
    {
        var bytes = (byte[])v.Header.Clone();
        bool parsed = VxlanHeader.TryParse(bytes, out var header, out var error);
        Assert.Equal((v.Header[0] & 0x08) != 0, parsed);
        if (!parsed)
        {
            Assert.Equal(PacketParseError.VxlanInstanceFlagNotSet, error);
            return;
        }

        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(v.Header.AsSpan(4)) >> 8, header.Vni);
        newVni &= VxlanHeader.MaxVni;
        header.Vni = newVni;
        Assert.Equal(newVni, header.Vni);
        Assert.Equal(v.Header[..4], bytes[..4]);
        Assert.Equal(v.Header[7], bytes[7]);
    }

    [Property]
    public void Source_port_is_always_dynamic(uint hash) => Assert.InRange(VxlanHeader.SourcePort(hash), 49152, 65535);
}
