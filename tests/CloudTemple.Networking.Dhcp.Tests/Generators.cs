using CloudTemple.Networking.Dhcp.Protocol;
using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.Dhcp.Tests;

/// <summary>FsCheck generators for DHCP messages and options.</summary>
public static partial class Generators
{
    public static Gen<byte> Byte => Gen.Choose(0, 255).Select(b => (byte)b);

    public static Gen<uint> Word32 =>
        Gen.Choose(0, 0xFFFF).SelectMany(high => Gen.Choose(0, 0xFFFF), (high, low) => ((uint)high << 16) | (uint)low);

    public static Gen<byte[]> Bytes(int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(Byte, n));

    /// <summary>Random bytes, and random bytes behind a valid header and cookie (so that the option walker is exercised).</summary>
    public static Gen<byte[]> PacketLike =>
        Gen.OneOf(
            Bytes(600),
            Bytes(400).Select(tail =>
            {
                var packet = new byte[DhcpConstants.OptionsOffset + tail.Length];
                packet[0] = 1;
                packet[1] = 1;
                packet[2] = 6;
                packet[236] = 99;
                packet[237] = 130;
                packet[238] = 83;
                packet[239] = 99;
                tail.CopyTo(packet, DhcpConstants.OptionsOffset);
                return packet;
            }));

    /// <summary>Options with distinct codes (not Pad, End or Overload), values up to 600 bytes so that some are split.</summary>
    public static Gen<(byte Code, byte[] Value)[]> OptionList =>
        Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(
                Gen.Choose(1, 254).Where(c => c != 52).Select(c => (byte)c)
                    .SelectMany(_ => Gen.Frequency((6, Bytes(40)), (1, Bytes(600))), (code, value) => (code, value)),
                n))
            .Select(options => options.DistinctBy(o => o.Item1).ToArray());

    public static Gen<string> Label =>
        Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray()), n))
            .Select(chars => new string(chars));

    public static Gen<string> DomainName =>
        Gen.OneOf(
            Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Label, n)).Select(labels => string.Join('.', labels)),
            Gen.Elements("example.com", "corp.example.com", "eu.corp.example.com", "com"));

    public static Gen<ClasslessStaticRoute> Route =>
        Gen.Choose(0, 32).SelectMany(
            _ => Word32.SelectMany(_ => Word32, (n, r) => (n, r)),
            (length, nr) => new ClasslessStaticRoute(Ipv4Prefix.Containing(new Ipv4Address(nr.n), length), new Ipv4Address(nr.r)));

    public static Arbitrary<byte[]> PacketArb() => Arb.From(PacketLike);

    public static Arbitrary<(byte Code, byte[] Value)[]> OptionListArb() => Arb.From(OptionList);

    public static Arbitrary<string[]> DomainListArb() => Arb.From(Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(DomainName, n)));

    public static Arbitrary<ClasslessStaticRoute[]> RouteListArb() => Arb.From(Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(Route, n)));
}
