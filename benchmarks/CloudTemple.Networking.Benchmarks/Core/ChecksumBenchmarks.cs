using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Checksums;
using CloudTemple.Networking.Core.Tests.Checksums;

namespace CloudTemple.Networking.Benchmarks.Core;

/// <summary>RFC 1071 checksum: the vectorized implementation against the plain word-by-word reference.</summary>
[MemoryDiagnoser]
public class ChecksumBenchmarks
{
    private byte[] _data = [];

    /// <summary>A minimal header, a typical packet, a full-MTU frame and a jumbo/GSO buffer.</summary>
    [Params(20, 576, 1500, 9000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Length];
        new Random(1071).NextBytes(_data);
    }

    [Benchmark(Baseline = true)]
    public ushort Reference() => ReferenceChecksum.Compute(_data);

    [Benchmark]
    public ushort Vectorized() => InternetChecksum.Compute(_data);
}
