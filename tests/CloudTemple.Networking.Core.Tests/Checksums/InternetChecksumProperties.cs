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
        return InternetChecksum.Sum(withChecksum) == 0xFFFF || data.All(b => b == 0);
    }

    [Property]
    public bool Incremental_update_of_a_16_bit_field_equals_full_recomputation(byte[] data, ushort newValue, int position)
    {
        if (data.Length < 2)
        {
            return true;
        }

        int at = Math.Abs(position % (data.Length / 2)) * 2;
        ushort before = InternetChecksum.Compute(data);
        ushort oldValue = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at));
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), newValue);
        return SameOnesComplement(InternetChecksum.Update(before, oldValue, newValue), InternetChecksum.Compute(data));
    }

    [Property]
    public bool Incremental_update_of_an_address_equals_full_recomputation(byte[] data, Ipv4Address newAddress, int position)
    {
        if (data.Length < 4)
        {
            return true;
        }

        int at = Math.Abs(position % (data.Length / 4)) * 4;
        ushort before = InternetChecksum.Compute(data);
        var oldAddress = Ipv4Address.Read(data.AsSpan(at));
        newAddress.WriteTo(data.AsSpan(at));
        return SameOnesComplement(InternetChecksum.Update(before, oldAddress, newAddress), InternetChecksum.Compute(data));
    }

    [Property]
    public bool Pseudo_header_checksum_equals_the_checksum_of_the_explicit_pseudo_header(Ipv4Address source, Ipv4Address destination, byte[] segment)
    {
        if (segment.Length % 2 == 1 || segment.Length > 1400)
        {
            return true;
        }

        var explicitForm = new byte[12 + segment.Length];
        source.WriteTo(explicitForm);
        destination.WriteTo(explicitForm.AsSpan(4));
        explicitForm[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(explicitForm.AsSpan(10), (ushort)segment.Length);
        segment.CopyTo(explicitForm, 12);
        return InternetChecksum.ComputeWithPseudoHeader(source, destination, 17, segment) == ReferenceChecksum.Compute(explicitForm);
    }

    // RFC 1624 section 3: 0x0000 and 0xFFFF are the two forms of zero in one's complement; the
    // incremental form may give either where recomputation gives the other only for all-zero data.
    private static bool SameOnesComplement(ushort a, ushort b) => a == b || (a is 0 or 0xFFFF && b is 0 or 0xFFFF);
}
