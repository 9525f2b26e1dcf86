using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Ipam;
using CloudTemple.Networking.PostgreSql;
using Npgsql;

namespace CloudTemple.Networking.Benchmarks.PostgreSql;

/// <summary>
/// Address allocations per second against PostgreSQL with 1, 4 and 16 concurrent allocators, all in
/// one fresh /22 per iteration (64 allocations per iteration; the mean is per allocation). Baseline:
/// the common naive approach, per allocation: lock the table, read the subnet's used addresses,
/// pick the first free one in the application, insert it, commit. Every allocation is a committed,
/// durable transaction in both (synchronous_commit as the server has it).
/// </summary>
[MemoryDiagnoser]
public class PostgreSqlAllocationBenchmarks
{
    private const int Allocations = 64;
    private const string Space = "bench";
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private NpgsqlDataSource _dataSource = null!;
    private PostgreSqlIpamStore _store = null!;
    private string _schema = null!;
    private Ipv4Prefix _subnet;
    private long _naiveSubnet;

    [Params(1, 4, 16)]
    public int Allocators { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dataSource = NpgsqlDataSource.Create(BenchmarkDatabase.ConnectionString);
        _schema = BenchmarkDatabase.NewSchema();
        _store = new PostgreSqlIpamStore(_dataSource, new PostgreSqlStoreOptions { Schema = _schema });
        _store.CreateSpaceAsync(new AddressSpace(Space, [Ipv4Prefix.Parse("10.0.0.0/8")]), default).AsTask().GetAwaiter().GetResult();
        BenchmarkDatabase.Execute(_dataSource, $"CREATE TABLE \"{_schema}\".naive_allocation (subnet bigint NOT NULL, address bigint NOT NULL, owner text NOT NULL, PRIMARY KEY (subnet, address))");
    }

    [IterationSetup]
    public void NewSubnet()
    {
        _subnet = _store.CarveSubnetAsync(SubnetRequest.NextFree(Space, 22), Now, default).AsTask().GetAwaiter().GetResult().Prefix;
        _naiveSubnet = _subnet.Network.Value;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        BenchmarkDatabase.Execute(_dataSource, $"DROP SCHEMA \"{_schema}\" CASCADE");
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _dataSource.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Allocations)]
    public void NaiveLockTableThenScan() =>
        BenchmarkDatabase.RunConcurrently(Allocators, Allocations, (a, i) => NaiveAllocateAsync($"vm-{a}-{i}"));

    [Benchmark(OperationsPerInvoke = Allocations)]
    public void PostgreSqlIpamStoreNextFree() =>
        BenchmarkDatabase.RunConcurrently(Allocators, Allocations, (a, i) => _store.AllocateAsync(AddressRequest.NextFree(Space, _subnet, $"vm-{a}-{i}"), Now, default).AsTask());

    private async Task NaiveAllocateAsync(string owner)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand($"LOCK TABLE \"{_schema}\".naive_allocation IN EXCLUSIVE MODE", connection))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var used = new HashSet<long>();
        await using (var select = new NpgsqlCommand($"SELECT address FROM \"{_schema}\".naive_allocation WHERE subnet = $1", connection) { Parameters = { new() { Value = _naiveSubnet } } })
        await using (var reader = await select.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                used.Add(reader.GetInt64(0));
            }
        }

        // The first free host address (network, gateway and broadcast are reserved).
        long address = _naiveSubnet + 2;
        while (used.Contains(address))
        {
            address++;
        }

        await using (var insert = new NpgsqlCommand($"INSERT INTO \"{_schema}\".naive_allocation (subnet, address, owner) VALUES ($1, $2, $3)", connection)
        {
            Parameters = { new() { Value = _naiveSubnet }, new() { Value = address }, new() { Value = owner } },
        })
        {
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}
