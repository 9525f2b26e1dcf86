using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Ipam;

namespace CloudTemple.Networking.Benchmarks.Ipam;

/// <summary>
/// Carve then release the next free /24 in a fragmented /8: 99 % carved in /20 to /28 subnets, then
/// 2 % of the /26 and /28 subnets released (holes too small for a /24), so the free /24s lie
/// behind the fragments. Baseline: a linear scan over the /24 blocks of the /8 against a set of used ones.
/// </summary>
[MemoryDiagnoser]
public class SubnetCarvingBenchmarks
{
    private const string Space = "bench";
    private static readonly Ipv4Prefix Pool = Ipv4Prefix.Parse("10.0.0.0/8");
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly HashSet<uint> _usedBlocks = [];
    private InMemoryIpamStore _store = null!;
    private SubnetRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _store = new InMemoryIpamStore();
        _store.CreateSpaceAsync(new AddressSpace(Space, [Pool]), default).AsTask().Wait();
        int[] lengths = [20, 22, 24, 26, 28];
        var carved = new List<Ipv4Prefix>();
        ulong total = 0;
        while (total < Pool.Count * 99 / 100)
        {
            var request = SubnetRequest.NextFree(Space, lengths[random.Next(lengths.Length)]) with { ReservedAddresses = ReservedAddressPolicy.None };
            var subnet = _store.CarveSubnetAsync(request, Now, default).AsTask().Result;
            carved.Add(subnet.Prefix);
            total += subnet.Prefix.Count;
        }

        foreach (var prefix in carved.Where(p => p.Length > 24 && random.Next(100) < 2).ToList())
        {
            _store.ReleaseSubnetAsync(Space, prefix, false, default).AsTask().Wait();
            carved.Remove(prefix);
        }

        // A /24 block is used when any carved subnet touches it.
        foreach (var prefix in carved)
        {
            var first = Ipv4Prefix.Containing(prefix.Network, Math.Min(24, prefix.Length));
            for (ulong block = 0; block < Math.Max(1UL, prefix.Count / 256); block++)
            {
                _usedBlocks.Add((uint)((first.Network.Value >> 8) + block));
            }
        }

        _request = SubnetRequest.NextFree(Space, 24) with { ReservedAddresses = ReservedAddressPolicy.None };
    }

    [Benchmark(Baseline = true)]
    public uint LinearScanOverUsedBlocks()
    {
        uint firstBlock = Pool.Network.Value >> 8;
        uint lastBlock = Pool.Last.Value >> 8;
        for (uint block = firstBlock; block <= lastBlock; block++)
        {
            if (!_usedBlocks.Contains(block))
            {
                return TakeAndGiveBack(_usedBlocks, block) << 8;
            }
        }

        throw new InvalidOperationException("full");
    }

    [Benchmark]
    public Ipv4Prefix BuddyBlocks()
    {
        var prefix = Completed.Result(_store.CarveSubnetAsync(_request, Now, default)).Prefix;
        _ = Completed.Result(_store.ReleaseSubnetAsync(Space, prefix, false, default));
        return prefix;
    }

    // The allocation and release that the other benchmarks also pay for.
    private static uint TakeAndGiveBack(HashSet<uint> used, uint value)
    {
        used.Add(value);
        used.Remove(value);
        return value;
    }
}
