using System.Net;
using BenchmarkDotNet.Attributes;

namespace CloudTemple.Networking.Benchmarks.Core;

/// <summary>Prefix containment of 1,024 random addresses: Ipv4Prefix against IPNetwork2, the usual .NET way.</summary>
[MemoryDiagnoser]
public class PrefixContainmentBenchmarks
{
    private const int Count = 1024;
    private readonly Ipv4Prefix _prefix = Ipv4Prefix.Parse("10.128.0.0/9");
    private readonly IPNetwork2 _network = IPNetwork2.Parse("10.128.0.0/9");
    private Ipv4Address[] _addresses = [];
    private IPAddress[] _ipAddresses = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _addresses = Enumerable.Range(0, Count).Select(_ => new Ipv4Address(0x0A000000u | (uint)random.Next(0, 1 << 24))).ToArray();
        _ipAddresses = _addresses.Select(a => a.ToIPAddress()).ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public int IPNetwork2Contains()
    {
        int hits = 0;
        foreach (var address in _ipAddresses)
        {
            hits += _network.Contains(address) ? 1 : 0;
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int Ipv4PrefixContains()
    {
        int hits = 0;
        foreach (var address in _addresses)
        {
            hits += _prefix.Contains(address) ? 1 : 0;
        }

        return hits;
    }
}
