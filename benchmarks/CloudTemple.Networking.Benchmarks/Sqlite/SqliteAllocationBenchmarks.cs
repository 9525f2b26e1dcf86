using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Ipam;
using CloudTemple.Networking.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Benchmarks.Sqlite;

/// <summary>
/// Next-free address allocations on a SQLite file (WAL, synchronous=FULL) by 1, 4 or 16 concurrent
/// allocators; the time is per allocation, so allocations per second = 1 s / Mean. The file grows over
/// the run (the subnet is a /12). Baseline: read the used addresses, pick the first gap in the
/// application, insert it, one BEGIN IMMEDIATE transaction per allocation.
/// </summary>
[MemoryDiagnoser]
public class SqliteAllocationBenchmarks
{
    private const int Allocations = 64;
    private static readonly Ipv4Prefix Subnet = Ipv4Prefix.Parse("10.0.0.0/12");
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private string _folder = null!;
    private SqliteIpamStore _store = null!;
    private NaiveSqlite _naive = null!;
    private int _sequence;

    [Params(1, 4, 16)]
    public int Allocators { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("ctn-bench-sqlite-").FullName;
        _store = new SqliteIpamStore(Path.Combine(_folder, "ipam.db"));
        _store.CreateSpaceAsync(new AddressSpace("bench", [Subnet]), default).AsTask().Wait();
        _store.CarveSubnetAsync(SubnetRequest.Explicit("bench", Subnet), Now, default).AsTask().Wait();
        _naive = new NaiveSqlite(Path.Combine(_folder, "naive.db"));
        _naive.Create("CREATE TABLE naive_allocations (address INTEGER PRIMARY KEY, owner TEXT NOT NULL);");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Allocations)]
    public Task SelectUsedThenInsert() => RunAsync(owner =>
    {
        _naive.AllocateFirstFree(Subnet.Network.Value, owner);
        return Task.CompletedTask;
    });

    [Benchmark(OperationsPerInvoke = Allocations)]
    public Task SqliteIpamStoreNextFree() => RunAsync(async owner =>
        await _store.AllocateAsync(AddressRequest.NextFree("bench", Subnet, owner), Now, default));

    // Allocators tasks share the allocations; each runs its share one after the other.
    private Task RunAsync(Func<string, Task> allocate) =>
        Task.WhenAll(Enumerable.Range(0, Allocators).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < Allocations / Allocators; i++)
            {
                await allocate($"vm-{Interlocked.Increment(ref _sequence)}");
            }
        })));
}
