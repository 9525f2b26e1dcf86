using CloudTemple.Networking.Routing;

namespace CloudTemple.Networking.Benchmarks.Routing;

/// <summary>
/// A synthetic Internet-like table: prefix lengths in the proportions of a full BGP table (about
/// 60 % /24, then /16../23, a few shorter and a few longer than /24), networks spread over the
/// unicast space, a handful of next hops shared by all routes (as in a real FIB).
/// </summary>
internal static class SyntheticRoutes
{
    // (length, weight in per mille), roughly the public IPv4 table's length histogram.
    private static readonly (int Length, int Weight)[] Mix =
    [
        (8, 1), (12, 2), (14, 4), (15, 4), (16, 14), (17, 8), (18, 12), (19, 25), (20, 35), (21, 40),
        (22, 95), (23, 90), (24, 600), (25, 20), (26, 20), (27, 12), (28, 8), (29, 4), (30, 3), (32, 3),
    ];

    public static Route[] NextHops { get; } =
        [.. Enumerable.Range(0, 16).Select(i => Route.Via(Ipv4Prefix.Any, new Ipv4Address(0x0A000001u + (uint)i)))];

    /// <summary>Distinct prefixes with the length mix above, plus a default route.</summary>
    public static Ipv4Prefix[] Prefixes(int count, int seed)
    {
        var random = new Random(seed);
        int total = Mix.Sum(m => m.Weight);
        var prefixes = new HashSet<Ipv4Prefix>(count) { Ipv4Prefix.Any };
        while (prefixes.Count < count)
        {
            int pick = random.Next(total);
            int length = 24;
            foreach (var (l, w) in Mix)
            {
                if ((pick -= w) < 0)
                {
                    length = l;
                    break;
                }
            }

            // 1.0.0.0 to 223.255.255.255: the unicast space.
            uint address = 0x01000000u + (uint)random.NextInt64(0, 0xDF000000L);
            prefixes.Add(Ipv4Prefix.Containing(new Ipv4Address(address), length));
        }

        return [.. prefixes];
    }

    /// <summary>Destinations: half inside random prefixes of the table, half uniformly random.</summary>
    public static uint[] Destinations(Ipv4Prefix[] prefixes, int count, int seed)
    {
        var random = new Random(seed);
        var destinations = new uint[count];
        for (int i = 0; i < count; i++)
        {
            var prefix = prefixes[random.Next(prefixes.Length)];
            uint host = (uint)random.Next() & ~prefix.Mask.Value;
            destinations[i] = i % 2 == 0 ? prefix.Network.Value | host : (uint)random.NextInt64(0, 1L << 32);
        }

        return destinations;
    }
}
