using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Routing;

namespace CloudTemple.Networking.Benchmarks.Routing;

/// <summary>Insert then delete 1,024 prefixes (Internet-like lengths) in a 1,000,000-route table: the update rate.</summary>
[MemoryDiagnoser]
public class RouteUpdateBenchmarks
{
    private const int Updates = 1024;
    private DictionaryLpm<Route> _dictionary = new();
    private ForwardingTable<Route> _forwarding = new();
    private Ipv4Prefix[] _churn = [];
    private readonly Route _route = SyntheticRoutes.NextHops[0];

    [GlobalSetup]
    public void Setup()
    {
        var all = SyntheticRoutes.Prefixes(1_000_000 + Updates, seed: 7);
        var resident = all.Take(1_000_000).Select(p => new KeyValuePair<Ipv4Prefix, Route>(p, _route)).ToArray();
        _churn = [.. all.Skip(1_000_000)];
        _dictionary = new DictionaryLpm<Route>();
        foreach (var (prefix, route) in resident)
        {
            _dictionary.Set(prefix, route);
        }

        _forwarding = new ForwardingTable<Route>();
        _forwarding.SetRange(resident);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * Updates)]
    public void DictionaryInsertDelete()
    {
        foreach (var prefix in _churn)
        {
            _dictionary.Set(prefix, _route);
        }

        foreach (var prefix in _churn)
        {
            _dictionary.Remove(prefix);
        }
    }

    [Benchmark(OperationsPerInvoke = 2 * Updates)]
    public void ForwardingTableInsertDelete()
    {
        foreach (var prefix in _churn)
        {
            _forwarding.Set(prefix, _route);
        }

        foreach (var prefix in _churn)
        {
            _forwarding.Remove(prefix);
        }
    }
}
