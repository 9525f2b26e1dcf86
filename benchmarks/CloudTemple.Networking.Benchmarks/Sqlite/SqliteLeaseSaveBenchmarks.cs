using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Dhcp;
using CloudTemple.Networking.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Benchmarks.Sqlite;

/// <summary>
/// Durable lease saves (what a DHCP server does before each DHCPACK) by 1 or 16 concurrent clients; the
/// time is per save, so saves per second = 1 s / Mean. Baseline: one BEGIN IMMEDIATE transaction (one
/// disk sync) per save. SqliteLeaseStore group-commits the saves that arrive while a commit is under way.
/// </summary>
[MemoryDiagnoser]
public class SqliteLeaseSaveBenchmarks
{
    private const int Saves = 64;
    private static readonly Ipv4Prefix Subnet = Ipv4Prefix.Parse("10.0.0.0/16");
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private string _folder = null!;
    private SqliteLeaseStore _store = null!;
    private NaiveSqlite _naive = null!;
    private int _sequence;

    [Params(1, 16)]
    public int Clients { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("ctn-bench-leases-").FullName;
        _store = new SqliteLeaseStore(Path.Combine(_folder, "leases.db"));
        _store.InitializeAsync(default).AsTask().Wait();
        _naive = new NaiveSqlite(Path.Combine(_folder, "naive.db"));
        _naive.Create("CREATE TABLE naive_leases (address INTEGER PRIMARY KEY, client TEXT NOT NULL, state INTEGER NOT NULL, expires_at INTEGER NOT NULL);");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().Wait();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Saves)]
    public Task OneTransactionPerSave() => RunAsync(lease =>
    {
        _naive.SaveLease(lease);
        return Task.CompletedTask;
    });

    [Benchmark(OperationsPerInvoke = Saves)]
    public Task GroupCommit() => RunAsync(async lease => await _store.SaveAsync(lease, default));

    private Task RunAsync(Func<DhcpLease, Task> save) =>
        Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < Saves / Clients; i++)
            {
                int n = Interlocked.Increment(ref _sequence) % 60_000;
                var client = DhcpClientKey.FromMacAddress(new MacAddress(0x0200_0000_0000UL + (ulong)n));
                await save(new DhcpLease(new Ipv4Address(Subnet.Network.Value + 2 + (uint)n), Subnet, client, null, DhcpLeaseState.Bound, Now.AddHours(1)));
            }
        })));
}
