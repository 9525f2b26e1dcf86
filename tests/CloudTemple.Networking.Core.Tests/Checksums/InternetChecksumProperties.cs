using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Checksums;

[Properties(Arbitrary = [typeof(Generators)], MaxTest = 500)]
public class InternetChecksumProperties
{
    [Property]
    public bool Checksum_equals_the_plain_reference(byte[] data, int offset)
    {
        // An offset makes the vector loads unaligned, as they are inside real packets.
        int start = data.Length == 0 ? 0 : Math.Abs(offset % data.Length);
        var slice = data.AsSpan(start);
        return InternetChecksum.Compute(slice) == ReferenceChecksum.Compute(slice);
    }

    [Fact]
    public void Checksum_equals_the_reference_on_every_length_up_to_600()
    {
        var random = new Random(1071);
        for (int length = 0; length <= 600; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(ReferenceChecksum.Compute(data), InternetChecksum.Compute(data));
            Array.Fill(data, (byte)0xFF);
            Assert.Equal(ReferenceChecksum.Compute(data), InternetChecksum.Compute(data));
        }
    }

    [Fact]
    public void Rfc1071_worked_example()
    {
        // RFC 1071 section 3: the sum of 00 01 f2 03 f4 f5 f6 f7 is ddf2.
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        Assert.Equal(0xDDF2, InternetChecksum.Sum(data));
        Assert.Equal(0x220D, InternetChecksum.Compute(data));
    }

    [Property]
    public bool Data_with_its_checksum_sums_to_all_ones(byte[] data)
    {
        var withChecksum = new byte[((data.Length + 1) & ~1) + 2];
        data.CopyTo(withChecksum, 2);
        BinaryPrimitives.WriteUInt16BigEndian(withChecksum, InternetChecksum.Compute(withChecksum));
        return InternetChecksum.Sum(withChecksum) == 0xFFFF;
    }

    [Property]
    public void Incremental_update_of_a_field_equals_full_recomputation(FieldInData field, uint newValue)
    {
        var data = field.Data;
        ushort before = InternetChecksum.Compute(data);
        ushort after;
        if (field.Width == 2)
        {
            ushort oldValue = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(field.At));
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(field.At), (ushort)newValue);
            after = InternetChecksum.Update(before, oldValue, (ushort)newValue);
        }
        else
        {
            var oldAddress = Ipv4Address.Read(data.AsSpan(field.At));
            var newAddress = new Ipv4Address(newValue);
            newAddress.WriteTo(data.AsSpan(field.At));
            after = InternetChecksum.Update(before, oldAddress, newAddress);
        }

        // RFC 1624 eqn. 3 gives exactly the recomputed checksum, except over all-zero data: there recomputation gives
        // 0xFFFF (~0) and the update 0x0000, the other zero of one's complement. No real header is all zeros.
        ushort expected = data.Any(b => b != 0) ? ReferenceChecksum.Compute(data) : (ushort)0x0000;
        Assert.Equal(expected, after);
    }

    [Property]
    public void Pseudo_header_checksum_equals_the_checksum_of_the_explicit_pseudo_header(Ipv4Address source, Ipv4Address destination, bool tcp, byte[] segment)
    {
        // Odd lengths included: the pad byte of the segment's last word is where a pseudo-header sum goes wrong.
        byte protocol = tcp ? (byte)6 : (byte)17;
        var explicitForm = ReferencePacketChecksum.WithPseudoHeader(source, destination, protocol, segment);
        Assert.Equal(ReferenceChecksum.Compute(explicitForm), InternetChecksum.ComputeWithPseudoHeader(source, destination, protocol, segment));
    }

    [Fact]
    public void Pseudo_header_checksum_of_an_odd_segment_pads_its_last_byte_with_zero()
    {
        // 10.0.0.1 -> 10.0.0.2, UDP, 9 bytes: the trailing 0xAB counts as the word 0xAB00.
        byte[] segment = [0, 1, 0, 2, 0, 9, 0, 0, 0xAB];
        ushort sum = (ushort)(0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + 9 + 0x0001 + 0x0002 + 0x0009 + 0xAB00);
        Assert.Equal((ushort)~sum, InternetChecksum.ComputeWithPseudoHeader(Ipv4Address.Parse("10.0.0.1"), Ipv4Address.Parse("10.0.0.2"), 17, segment));
    }
}
