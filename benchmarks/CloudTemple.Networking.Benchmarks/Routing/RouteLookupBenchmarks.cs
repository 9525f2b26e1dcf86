using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Routing;

namespace CloudTemple.Networking.Benchmarks.Routing;

/// <summary>
/// Random-address lookups (4,096 per invocation, half inside the table's prefixes, half anywhere)
/// on a 1,000-route and a 1,000,000-route Internet-like table: the compiled forwarding table
/// against a per-length dictionary scan.
/// </summary>
[MemoryDiagnoser]
public class RouteLookupBenchmarks
{
    private const int Lookups = 4096;
    private DictionaryLpm<Route> _dictionary = new();
    private ForwardingTable<Route> _forwarding = new();
    private RouteTable _table = new("bench");
    private uint[] _destinations = [];

    [Params(1_000, 1_000_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var prefixes = SyntheticRoutes.Prefixes(Routes, seed: 7);
        var hops = SyntheticRoutes.NextHops;
        _dictionary = new DictionaryLpm<Route>();
        _forwarding = new ForwardingTable<Route>();
        _table = new RouteTable("bench", new VpcRoutingOptions { RequireReachableNextHops = false });
        var routes = prefixes.Select((p, i) => Route.Via(p, hops[i % hops.Length].NextHops[0])).ToArray();
        foreach (var route in routes)
        {
            _dictionary.Set(route.Prefix, route);
        }

        _forwarding.SetRange(routes.Select(r => new KeyValuePair<Ipv4Prefix, Route>(r.Prefix, r)));
        _table.AddRange(routes);
        _destinations = SyntheticRoutes.Destinations(prefixes, Lookups, seed: 11);
        Console.WriteLine($"// {Routes} routes: forwarding table {_forwarding.MemoryBytes / 1048576.0:F1} MiB " +
            $"({_forwarding.BytesPerPrefix:F1} bytes per route, {_forwarding.NodeCount} nodes)");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lookups)]
    public int DictionaryScan()
    {
        int found = 0;
        foreach (uint destination in _destinations)
        {
            found += _dictionary.Lookup(destination) is null ? 0 : 1;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int ForwardingTable()
    {
        int found = 0;
        foreach (uint destination in _destinations)
        {
            found += _forwarding.Lookup(destination) is null ? 0 : 1;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int RouteTableWithEcmpFlow()
    {
        int found = 0;
        foreach (uint destination in _destinations)
        {
            var decision = _table.Lookup(new FlowKey(new Ipv4Address(0x0A000005), new Ipv4Address(destination), 6, 40000, 443));
            found += decision.IsMatch ? 1 : 0;
        }

        return found;
    }
}
