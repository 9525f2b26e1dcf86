using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.Core.Tests;

/// <summary>FsCheck generators for the Core types, biased toward the edges (/0, /31, /32, nested prefixes).</summary>
public static partial class Generators
{
    public static Gen<uint> Word32 =>
        Gen.OneOf(
            Gen.Choose(0, 0xFFFF).SelectMany(high => Gen.Choose(0, 0xFFFF), (high, low) => ((uint)high << 16) | (uint)low),
            Gen.Elements(0u, 1u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFEu, uint.MaxValue));

    public static Gen<int> PrefixLength =>
        Gen.Frequency((4, Gen.Choose(0, 32)), (1, Gen.Elements(0, 1, 31, 32)));

    public static Gen<Ipv4Prefix> PrefixGen =>
        PrefixLength.SelectMany(_ => Word32, (length, address) => Ipv4Prefix.Containing(new Ipv4Address(address), length));

    /// <summary>Two prefixes that often nest (the interesting case for containment and overlap).</summary>
    public static Gen<(Ipv4Prefix, Ipv4Prefix)> PrefixPairGen =>
        Gen.OneOf(
            PrefixGen.SelectMany(_ => PrefixGen, (a, b) => (a, b)),
            PrefixGen.SelectMany(
                a => PrefixLength.SelectMany(_ => Word32, (length, bits) => (length, bits)),
                (a, lb) => (a, Ipv4Prefix.Containing(new Ipv4Address(a.Network.Value | (lb.bits & ~Ipv4Prefix.MaskOf(a.Length))), lb.length))));

    public static Gen<MacAddress> MacGen =>
        Word32.SelectMany(_ => Gen.Choose(0, 0xFFFF), (low, high) => new MacAddress(((ulong)high << 32) | low));

    public static Gen<byte[]> Bytes(int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    public static Arbitrary<Ipv4Address> AddressArb() => Arb.From(Word32.Select(v => new Ipv4Address(v)));

    public static Arbitrary<Ipv4Prefix> PrefixArb() => Arb.From(PrefixGen);

    public static Arbitrary<(Ipv4Prefix, Ipv4Prefix)> PrefixPair() => Arb.From(PrefixPairGen);

    public static Arbitrary<MacAddress> MacArb() => Arb.From(MacGen);

    public static Arbitrary<byte[]> ByteArray() => Arb.From(Bytes(1600));
}
