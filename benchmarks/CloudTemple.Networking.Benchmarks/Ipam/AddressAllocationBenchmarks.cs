using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Ipam;

namespace CloudTemple.Networking.Benchmarks.Ipam;

/// <summary>
/// Allocate then release one address in a /16 filled to 0 %, 50 % or 99 % the way a first-free
/// allocator fills a subnet (from the bottom up). Baseline: a linear scan from the first address
/// over a set of used addresses, the way common IPAM tools look for a free address.
/// </summary>
[MemoryDiagnoser]
public class AddressAllocationBenchmarks
{
    private const string Space = "bench";
    private static readonly Ipv4Prefix Subnet = Ipv4Prefix.Parse("10.0.0.0/16");
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly HashSet<uint> _used = [];
    private InMemoryIpamStore _store = null!;
    private IpamService _service = null!;
    private AddressRequest _request = null!;

    [Params(0, 50, 99)]
    public int FillPercent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = new InMemoryIpamStore();
        _store.CreateSpaceAsync(new AddressSpace(Space, [Subnet]), default).AsTask().Wait();
        _store.CarveSubnetAsync(SubnetRequest.Explicit(Space, Subnet), Now, default).AsTask().Wait();
        _service = new IpamService(_store, new IpamOptions { ReuseHold = TimeSpan.Zero });
        _request = AddressRequest.NextFree(Space, Subnet, "vm");

        // Network, gateway and broadcast are reserved (the Default policy).
        _used.Clear();
        _used.UnionWith([Subnet.Network.Value, Subnet.Network.Value + 1, Subnet.Last.Value]);
        int fill = (int)((Subnet.Count - 3) * (ulong)FillPercent / 100);
        for (int i = 0; i < fill; i++)
        {
            var allocation = _store.AllocateAsync(AddressRequest.NextFree(Space, Subnet, $"filler-{i}"), Now, default).AsTask().Result;
            _used.Add(allocation.Allocation.Address.Value);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _service.Dispose();

    [Benchmark(Baseline = true)]
    public uint LinearScanOverUsedSet()
    {
        for (uint address = Subnet.Network.Value; address <= Subnet.Last.Value; address++)
        {
            if (!_used.Contains(address))
            {
                return TakeAndGiveBack(_used, address);
            }
        }

        throw new InvalidOperationException("full");
    }

    [Benchmark]
    public Ipv4Address InMemoryStore()
    {
        var address = Completed.Result(_store.AllocateAsync(_request, Now, default)).Allocation.Address;
        _ = Completed.Result(_store.ReleaseAsync(Space, address, null, Now, default));
        return address;
    }

    [Benchmark]
    public Ipv4Address IpamServiceWithMetricsAndFeed()
    {
        var address = Completed.Result(_service.AllocateAsync(_request)).Address;
        _ = Completed.Result(_service.ReleaseAsync(Space, address));
        return address;
    }

    // The allocation and release that the other benchmarks also pay for.
    private static uint TakeAndGiveBack(HashSet<uint> used, uint value)
    {
        used.Add(value);
        used.Remove(value);
        return value;
    }
}
