using CloudTemple.Networking.Core.Tests.Checksums;
using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.Core.Tests;

/// <summary>Checksum inputs: any data (all zeros now and then, the one case where 0x0000 and 0xFFFF part ways) with a field inside.</summary>
public static partial class Generators
{
    public static Gen<byte[]> ChecksumData(int minLength) =>
        Gen.Frequency(
            (6, Gen.Choose(minLength, 1600).SelectMany(n => Gen.ArrayOf(AnyByte, n), (_, data) => data)),
            (1, Gen.Choose(minLength, 64).Select(n => new byte[n])));

    public static Gen<FieldInData> FieldInDataGen =>
        from width in Gen.Elements(2, 4)
        from data in ChecksumData(width)
        from word in Gen.Choose(0, (data.Length - width) / 2)
        select new FieldInData(data, word * 2, width);

    public static Arbitrary<FieldInData> FieldInDataArb() => Arb.From(FieldInDataGen);
}
