using CloudTemple.Networking.Core.Tests.Flows;
using CloudTemple.Networking.Packets;
using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.Core.Tests;

/// <summary>A valid frame and the seed of the damage done to it (a few bytes changed, maybe a cut).</summary>
public sealed record MutatedFrame(TestFrame Frame, int Seed)
{
    public byte[] Build()
    {
        var bytes = Frame.Build();
        var random = new Random(Seed);
        int changes = random.Next(1, 4);
        for (int i = 0; i < changes; i++)
        {
            // Mostly in the headers, where the parsers decide.
            int at = random.Next(Math.Min(bytes.Length, random.Next(2) == 0 ? 64 : bytes.Length));
            bytes[at] = (byte)random.Next(256);
        }

        return random.Next(3) == 0 ? bytes[..random.Next(bytes.Length + 1)] : bytes;
    }

    public override string ToString() => $"{Frame} mutated by seed {Seed}";
}

/// <summary>Generators of valid Ethernet/IPv4 frames (then mutated) for flow keys and layouts.</summary>
public static partial class Generators
{
    public static Gen<TestFrame> FrameGen =>
        from tags in Gen.Choose(0, 2)
        from serviceTag in Gen.Elements(false, true)
        from outer in Gen.Choose(0, 4095)
        from inner in Gen.Choose(0, 4095)
        from source in Word32
        from destination in Word32
        from protocol in Gen.Elements(IpProtocols.Tcp, IpProtocols.Udp, IpProtocols.Icmp, TestFrame.Gre)
        from sourcePort in Gen.Choose(0, 65535)
        from destinationPort in Gen.Choose(0, 65535)
        from icmpType in Gen.Elements<byte>(0, 8, 13, 14, 15, 16, 17, 18, 3, 11, 5)
        from options in Gen.Choose(0, 10)
        from payload in Gen.Frequency((3, Gen.Choose(0, 64)), (1, Gen.Choose(65, 1500)))
        from fragment in Gen.Frequency((4, Gen.Constant(FragmentPlace.None)), (1, Gen.Constant(FragmentPlace.First)), (1, Gen.Constant(FragmentPlace.Later)))
        from padding in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 12)))
        select new TestFrame(tags, serviceTag, (ushort)outer, (ushort)inner, new Ipv4Address(source), new Ipv4Address(destination), protocol,
            (ushort)sourcePort, (ushort)destinationPort, icmpType, options * 4, payload, fragment, padding);

    public static Arbitrary<TestFrame> TestFrameArb() => Arb.From(FrameGen);

    public static Arbitrary<MutatedFrame> MutatedFrameArb() =>
        Arb.From(FrameGen.SelectMany(_ => Gen.Choose(0, int.MaxValue), (frame, seed) => new MutatedFrame(frame, seed)));
}
