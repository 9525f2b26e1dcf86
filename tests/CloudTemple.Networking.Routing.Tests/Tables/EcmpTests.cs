namespace CloudTemple.Networking.Routing.Tests.Tables;

/// <summary>
/// ECMP picks a next hop with <see cref="FlowKey.StableHash"/>: MurmurHash3_x86_32 checked against published
/// values, then the spread over next hops checked statistically.
/// </summary>
public class EcmpTests
{
    private const int Flows = 100_000;

    /// <summary>
    /// Upper critical values of the chi-square distribution at significance 0.001, for 1 to 15 degrees of
    /// freedom (NIST/SEMATECH e-Handbook of Statistical Methods, table 1.3.6.7.4). A uniform spread exceeds
    /// one with probability 0.1 %; the flows come from a fixed seed, so the test is deterministic.
    /// </summary>
    private static readonly double[] ChiSquareCritical =
        [10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124, 27.877, 29.588, 31.264, 32.909, 34.528, 36.123, 37.697];

    private static Ipv4Address[] Hops(int count) => [.. Enumerable.Range(0, count).Select(i => new Ipv4Address(0x0A000102u + (uint)i))];

    // Published MurmurHash3_x86_32 values: the mmh3 package's documented examples ("foo" with seeds 0 and 42) and
    // the SMHasher-derived vectors of the Stack Overflow answer "MurmurHash3 Test Vectors"; lengths 0, 3, 4 and 43
    // (the last is "The quick brown fox jumps over the lazy dog" in ASCII).
    [Theory]
    [InlineData("666F6F", 0u, 4138058784u)]
    [InlineData("666F6F", 42u, 2972666014u)]
    [InlineData("", 0xFFFFFFFFu, 0x81F16F39u)]
    [InlineData("FFFFFFFF", 0u, 0x76293B50u)]
    [InlineData("54686520717569636B2062726F776E20666F78206A756D7073206F76657220746865206C617A7920646F67", 0x9747B28Cu, 0x2FA826CDu)]
    public void The_hash_function_gives_the_published_murmurhash3_values(string hex, uint seed, uint expected) =>
        Assert.Equal(expected, MurmurHash3.Hash32(Convert.FromHexString(hex), seed));

    [Fact]
    public void The_flow_hash_is_murmurhash3_of_the_flow_serialization()
    {
        var random = new Random(2026);
        Span<byte> bytes = stackalloc byte[FlowKey.SerializedLength];
        for (int i = 0; i < 10_000; i++)
        {
            var flow = RandomFlow(random);
            flow.WriteTo(bytes);
            Assert.Equal(MurmurHash3.Hash32(bytes, FlowKey.HashSeed), flow.StableHash());
        }
    }

    [Fact]
    public void A_flow_takes_the_hop_its_hash_selects_among_the_sorted_hops_whatever_their_order()
    {
        var hops = Hops(5);
        var prefix = Ipv4Prefix.Parse("192.0.2.0/24");
        var route = Route.Multipath(prefix, hops);
        var shuffled = Route.Multipath(prefix, [hops[3], hops[0], hops[4], hops[2], hops[1]]);
        var random = new Random(17);
        for (int i = 0; i < 1_000; i++)
        {
            var flow = RandomFlow(random);
            var expected = hops[(int)(((ulong)flow.StableHash() * 5) >> 32)];
            Assert.Equal(expected, route.SelectNextHop(flow));
            Assert.Equal(expected, shuffled.SelectNextHop(flow));
        }
    }

    /// <summary>100,000 random flows (random addresses, protocols and ports) over 2 to 16 next hops.</summary>
    [Theory]
    [MemberData(nameof(HopCounts))]
    public void Random_flows_spread_uniformly_over_the_next_hops(int hopCount)
    {
        var random = new Random(4242 + hopCount);
        AssertUniform(hopCount, Enumerable.Range(0, Flows).Select(_ => RandomFlow(random)));
    }

    /// <summary>100,000 flows as a data centre makes them: 200 clients of one /24, one server, sequential ephemeral ports.</summary>
    [Theory]
    [MemberData(nameof(HopCounts))]
    public void Flows_differing_only_in_client_and_port_spread_uniformly_over_the_next_hops(int hopCount) =>
        AssertUniform(hopCount, Enumerable.Range(0, Flows).Select(i =>
            new FlowKey(new Ipv4Address(0x0A000100u + (uint)(i % 200)), new Ipv4Address(0xC0000209u), 6, (ushort)(32768 + (i / 200)), 443)));

    public static TheoryData<int> HopCounts() => [.. Enumerable.Range(2, 15)];

    private static void AssertUniform(int hopCount, IEnumerable<FlowKey> flows)
    {
        var hops = Hops(hopCount);
        var route = Route.Multipath(Ipv4Prefix.Any, hops);
        var counts = new Dictionary<Ipv4Address, int>();
        foreach (var flow in flows)
        {
            var hop = route.SelectNextHop(flow);
            counts[hop] = counts.GetValueOrDefault(hop) + 1;
        }

        double expected = (double)Flows / hopCount;
        double chiSquare = hops.Sum(h => Math.Pow(counts.GetValueOrDefault(h) - expected, 2) / expected);
        Assert.True(chiSquare < ChiSquareCritical[hopCount - 2],
            $"chi-square {chiSquare:F2} over {hopCount} hops exceeds {ChiSquareCritical[hopCount - 2]} (p < 0.001): {string.Join(", ", hops.Select(h => counts.GetValueOrDefault(h)))}");
    }

    private static FlowKey RandomFlow(Random random) =>
        new(new Ipv4Address((uint)random.NextInt64(1L << 32)), new Ipv4Address((uint)random.NextInt64(1L << 32)),
            (byte)random.Next(256), (ushort)random.Next(65536), (ushort)random.Next(65536));
}
