using CloudTemple.Networking.Core.Tests.Rewrites;
using CloudTemple.Networking.Rewrites;
using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.Core.Tests;

/// <summary>Rewrites through every public rewrite API, for the checksum and inverse properties.</summary>
public static partial class Generators
{
    public static Gen<EndpointSide> Side => Gen.Elements(EndpointSide.Source, EndpointSide.Destination);

    public static Gen<RewriteStep> InvertibleStepGen =>
        Gen.OneOf(
            Address.Select(a => (RewriteStep)new RewriteSourceAddress(a)),
            Address.Select(a => (RewriteStep)new RewriteDestinationAddress(a)),
            Side.SelectMany(_ => Address, (side, a) => (side, a)).SelectMany(_ => Port, (sa, p) => (RewriteStep)new RewriteEndpoint(sa.side, sa.a, p)),
            Side.SelectMany(_ => Address, (side, a) => (side, a)).SelectMany(_ => Port, (sa, p) => (RewriteStep)new PrecomputedRewrite(sa.side, sa.a, p)),
            Side.SelectMany(_ => Port, (side, p) => (RewriteStep)new RewritePort(side, p)),
            Gen.Constant((RewriteStep)new DecrementTimeToLive()),
            Gen.Choose(0, 255).Select(v => (RewriteStep)new SetHeaderField(HeaderField.TimeToLive, v)),
            Gen.Choose(0, 63).Select(v => (RewriteStep)new SetHeaderField(HeaderField.Dscp, v)),
            Gen.Choose(0, 3).Select(v => (RewriteStep)new SetHeaderField(HeaderField.Ecn, v)),
            Port.Select(v => (RewriteStep)new SetHeaderField(HeaderField.Identification, v)),
            Gen.Choose(0, 1).Select(v => (RewriteStep)new SetHeaderField(HeaderField.DontFragment, v)),
            Gen.Choose(0, 1).Select(v => (RewriteStep)new SetHeaderField(HeaderField.MoreFragments, v)),
            Gen.Elements(TcpField.Sequence, TcpField.Acknowledgment).SelectMany(_ => Word32, (f, v) => (RewriteStep)new SetTcpField(f, v)),
            TcpFlagsByte.Select(v => (RewriteStep)new SetTcpField(TcpField.Flags, v)),
            Port.Select(v => (RewriteStep)new SetTcpField(TcpField.Window, v)));

    public static Gen<RewriteStep> AnyStepGen =>
        Gen.Frequency(
            (8, InvertibleStepGen),
            (2, Gen.Frequency((2, Gen.Constant(1410)), (1, Gen.Choose(0, 0xFFFF))).Select(m => (RewriteStep)new ClampMaximumSegmentSize((ushort)m))));

    public static Arbitrary<RewriteSequence> RewriteSequenceArb() =>
        Arb.From(Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(AnyStepGen, n), (_, steps) => new RewriteSequence(steps)));

    public static Arbitrary<InvertibleRewriteSequence> InvertibleRewriteSequenceArb() =>
        Arb.From(Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(InvertibleStepGen, n), (_, steps) => new InvertibleRewriteSequence(steps)));
}
