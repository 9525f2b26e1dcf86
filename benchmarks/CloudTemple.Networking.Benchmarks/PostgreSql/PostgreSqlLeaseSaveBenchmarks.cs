using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Dhcp;
using CloudTemple.Networking.PostgreSql;
using Npgsql;

namespace CloudTemple.Networking.Benchmarks.PostgreSql;

/// <summary>
/// DHCP lease saves per second against PostgreSQL with 1, 4 and 16 concurrent savers (the DHCP engine
/// saves each lease before its DHCPACK). Ours: <see cref="PostgreSqlLeaseStore"/> with group commit.
/// Baseline: the same upsert, one transaction per save (what a lease backend without batching does).
/// Every save is committed and durable before its call returns, in both.
/// </summary>
[MemoryDiagnoser]
public class PostgreSqlLeaseSaveBenchmarks
{
    private const int Saves = 64;
    private static readonly Ipv4Prefix Subnet = Ipv4Prefix.Parse("10.64.0.0/16");
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private NpgsqlDataSource _dataSource = null!;
    private PostgreSqlLeaseStore _store = null!;
    private string _schema = null!;
    private int _round;

    [Params(1, 4, 16)]
    public int Savers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dataSource = NpgsqlDataSource.Create(BenchmarkDatabase.ConnectionString);
        _schema = BenchmarkDatabase.NewSchema();
        _store = new PostgreSqlLeaseStore(_dataSource, new PostgreSqlStoreOptions { Schema = _schema });
        _store.InitializeAsync(default).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        BenchmarkDatabase.Execute(_dataSource, $"DROP SCHEMA \"{_schema}\" CASCADE");
        _dataSource.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Saves)]
    public void OneTransactionPerSave()
    {
        int round = Interlocked.Increment(ref _round);
        BenchmarkDatabase.RunConcurrently(Savers, Saves, async (s, i) =>
        {
            var lease = Lease(round, s, i);
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(
                $"""
                INSERT INTO "{_schema}".dhcp_lease (address, subnet_network, subnet_length, client, state, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (address) DO UPDATE SET client = excluded.client, state = excluded.state, expires_at = excluded.expires_at
                """,
                connection)
            {
                Parameters =
                {
                    new() { Value = (long)lease.Address.Value }, new() { Value = (long)Subnet.Network.Value }, new() { Value = (short)Subnet.Length },
                    new() { Value = lease.Client.ToString() }, new() { Value = (short)lease.State }, new() { Value = lease.ExpiresAt },
                },
            };
            await command.ExecuteNonQueryAsync();
        });
    }

    [Benchmark(OperationsPerInvoke = Saves)]
    public void GroupCommitStore()
    {
        int round = Interlocked.Increment(ref _round);
        BenchmarkDatabase.RunConcurrently(Savers, Saves, (s, i) => _store.SaveAsync(Lease(round, s, i), default).AsTask());
    }

    // A different address and client per save (a fresh lease), spread over the /16.
    private static DhcpLease Lease(int round, int saver, int i)
    {
        uint offset = (uint)(((round * Saves) + (saver * 1024) + i) % 65000) + 2;
        var client = DhcpClientKey.FromClientIdentifier(BitConverter.GetBytes(offset));
        return new DhcpLease(new Ipv4Address(Subnet.Network.Value + offset), Subnet, client, null, DhcpLeaseState.Bound, Now.AddHours(1));
    }
}
