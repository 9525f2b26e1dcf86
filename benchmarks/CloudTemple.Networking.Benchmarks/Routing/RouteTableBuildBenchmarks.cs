using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CloudTemple.Networking.Routing;

namespace CloudTemple.Networking.Benchmarks.Routing;

/// <summary>Building a 1,000,000-route table from scratch: per-length dictionaries against the forwarding table (bulk and one by one).</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class RouteTableBuildBenchmarks
{
    private KeyValuePair<Ipv4Prefix, Route>[] _routes = [];

    [GlobalSetup]
    public void Setup()
    {
        var hops = SyntheticRoutes.NextHops;
        _routes = [.. SyntheticRoutes.Prefixes(1_000_000, seed: 7).Select((p, i) => new KeyValuePair<Ipv4Prefix, Route>(p, hops[i % hops.Length]))];
    }

    [Benchmark(Baseline = true)]
    public object DictionaryBuild()
    {
        var table = new DictionaryLpm<Route>();
        foreach (var (prefix, route) in _routes)
        {
            table.Set(prefix, route);
        }

        return table;
    }

    [Benchmark]
    public object ForwardingTableBulkLoad()
    {
        var table = new ForwardingTable<Route>();
        table.SetRange(_routes);
        return table;
    }

    [Benchmark]
    public object ForwardingTableOneByOne()
    {
        var table = new ForwardingTable<Route>();
        foreach (var (prefix, route) in _routes)
        {
            table.Set(prefix, route);
        }

        return table;
    }
}
