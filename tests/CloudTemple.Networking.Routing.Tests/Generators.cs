using CloudTemple.Networking.Routing;
using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.Routing.Tests;

/// <summary>A random set of prefixes and the addresses to probe it with (edges of every prefix included).</summary>
public sealed record PrefixSet(Ipv4Prefix[] Prefixes, uint[] Probes)
{
    public override string ToString() => $"[{string.Join(", ", Prefixes)}]";
}

/// <summary>One step of a random update script: insert or remove a prefix.</summary>
public sealed record PrefixOperation(bool Insert, Ipv4Prefix Prefix)
{
    public override string ToString() => $"{(Insert ? "+" : "-")}{Prefix}";
}

/// <summary>A random insert/delete sequence over a small pool of overlapping prefixes, and probes.</summary>
public sealed record UpdateScript(PrefixOperation[] Operations, uint[] Probes)
{
    public override string ToString() => string.Join(' ', Operations.Select(o => o.ToString()));
}

/// <summary>A random route list (all kinds, several routes per prefix) and probes.</summary>
public sealed record RouteSet(Route[] Routes, uint[] Probes)
{
    public override string ToString() => string.Join("; ", Routes.Select(r => r.ToString()));
}

/// <summary>
/// Generators biased toward what breaks longest-prefix-match structures: every length from /0 to
/// /32, prefixes clustered around a few bases so that they nest and overlap, default routes, and
/// probes on the edges of every prefix (first, last, and the addresses just outside).
/// </summary>
public static partial class Generators
{
    public static Gen<uint> Word32 =>
        Gen.OneOf(
            Gen.Choose(0, 0xFFFF).SelectMany(high => Gen.Choose(0, 0xFFFF), (high, low) => ((uint)high << 16) | (uint)low),
            Gen.Elements(0u, 1u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFEu, uint.MaxValue));

    public static Gen<int> PrefixLength =>
        Gen.Frequency((6, Gen.Choose(0, 32)), (2, Gen.Choose(16, 32)), (1, Gen.Elements(0, 8, 16, 24, 25, 31, 32)));

    /// <summary>A prefix near one of the bases (so that prefixes nest), or anywhere.</summary>
    public static Gen<Ipv4Prefix> PrefixNear(uint[] bases) =>
        Gen.Frequency(
            (5, Gen.Elements(bases).SelectMany(_ => PrefixLength, (b, l) => (b, l))
                .SelectMany(_ => Gen.Choose(0, 0xFFFF), (bl, noise) => Ipv4Prefix.Containing(new Ipv4Address(bl.b ^ (uint)(noise & (noise >> 8))), bl.l))),
            (2, PrefixLength.SelectMany(_ => Word32, (l, a) => Ipv4Prefix.Containing(new Ipv4Address(a), l))),
            (1, Gen.Constant(Ipv4Prefix.Any)));

    public static Gen<uint[]> Bases => Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Word32, n));

    public static Gen<Ipv4Prefix[]> Prefixes(uint[] bases, int max) =>
        Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(PrefixNear(bases), n));

    public static uint[] EdgeProbes(IEnumerable<Ipv4Prefix> prefixes) =>
        [.. prefixes.SelectMany(p => new[] { p.First.Value, p.Last.Value, p.First.Value - 1, p.Last.Value + 1 })];

    public static Gen<PrefixSet> PrefixSetGen =>
        Bases.SelectMany(bases => Prefixes(bases, 60), (bases, prefixes) => (bases, prefixes))
            .SelectMany(t => Gen.ArrayOf(Word32, 40), (t, random) => new PrefixSet(t.prefixes, [.. EdgeProbes(t.prefixes), .. random, .. t.bases]));

    public static Gen<UpdateScript> UpdateScriptGen =>
        Bases.SelectMany(bases => Gen.Choose(1, 16).SelectMany(n => Gen.ArrayOf(PrefixNear(bases), n)), (bases, pool) => (bases, pool))
            .SelectMany(
                t => Gen.Choose(1, 60).SelectMany(n => Gen.ArrayOf(
                    Gen.Elements(t.pool).SelectMany(_ => Gen.Frequency((3, Gen.Constant(true)), (2, Gen.Constant(false))), (p, insert) => new PrefixOperation(insert, p)), n)),
                (t, operations) => new UpdateScript(operations, [.. EdgeProbes(t.pool), .. t.bases]));

    /// <summary>Routes of every kind over nesting prefixes; next hops inside the connected routes of the set.</summary>
    public static Gen<RouteSet> RouteSetGen =>
        Bases.SelectMany(bases => Prefixes(bases, 40), (bases, prefixes) => (bases, prefixes))
            .SelectMany(t => Gen.ArrayOf(RouteFor(t.prefixes), t.prefixes.Length), (t, routes) => new RouteSet(
                [.. routes.Distinct()],
                [.. EdgeProbes(t.prefixes), .. t.bases]));

    private static Gen<Route> RouteFor(Ipv4Prefix[] prefixes) =>
        Gen.Elements(prefixes.Length == 0 ? [Ipv4Prefix.Any] : prefixes)
            .SelectMany(_ => Gen.Frequency((3, Gen.Constant(0u)), (2, Gen.Choose(0, 3).Select(m => (uint)m))), (p, metric) => (p, metric))
            .SelectMany(_ => Gen.Choose(0, 5), (pm, kind) => kind switch
            {
                0 => Route.Connected(pm.p, "net" + (pm.metric % 2), pm.metric),
                1 => Route.Via(pm.p, new Ipv4Address(pm.p.Network.Value | 1), pm.metric),
                2 => Route.Multipath(pm.p, [new Ipv4Address(0x0A000001), new Ipv4Address(0x0A000002)], pm.metric),
                3 => Route.ExternalGateway(pm.p, pm.metric),
                4 => Route.Blackhole(pm.p, pm.metric),
                _ => Route.Unreachable(pm.p, pm.metric),
            });

    public static Arbitrary<PrefixSet> PrefixSetArb() => Arb.From(PrefixSetGen);

    public static Arbitrary<UpdateScript> UpdateScriptArb() => Arb.From(UpdateScriptGen);

    public static Arbitrary<RouteSet> RouteSetArb() => Arb.From(RouteSetGen);

    public static Arbitrary<Ipv4Address> AddressArb() => Arb.From(Word32.Select(v => new Ipv4Address(v)));
}
