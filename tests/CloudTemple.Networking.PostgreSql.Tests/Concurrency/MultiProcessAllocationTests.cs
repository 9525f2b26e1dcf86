namespace CloudTemple.Networking.PostgreSql.Tests.Concurrency;

/// <summary>Several OS processes allocate from one pool in one database at once: no address or prefix is handed out twice, and what they got is what the database holds.</summary>
public sealed class MultiProcessAllocationTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const int Workers = 4;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task Four_processes_allocating_from_one_subnet_never_get_the_same_address()
    {
        const int PerWorker = 60;
        string connection = database.Require();
        string schema = PostgresDatabase.NewSchema();
        await using var store = new PostgreSqlIpamStore(connection, new PostgreSqlStoreOptions { Schema = schema });
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        var subnet = (await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Ipv4Prefix.Parse("10.0.4.0/22")), T0, default)).Prefix;

        var outputs = await WorkerProcess.RunAllAsync(Workers, i => ["addresses", connection, schema, "vpc", subnet.ToString(), PerWorker.ToString(System.Globalization.CultureInfo.InvariantCulture), $"worker{i}"]);

        var handedOut = outputs.SelectMany(lines => lines).Select(Ipv4Address.Parse).ToList();
        Assert.Equal(Workers * PerWorker, handedOut.Count);
        Assert.Equal(handedOut.Count, handedOut.Distinct().Count());
        Assert.All(handedOut, a => Assert.True(subnet.Contains(a)));
        var stored = (await store.ListAllocationsAsync("vpc", subnet, default)).Select(a => a.Address).Order().ToList();
        Assert.Equal(handedOut.Order().ToList(), stored);
        Assert.Equal((ulong)(Workers * PerWorker), (await store.GetSubnetUtilizationAsync("vpc", subnet, T0, default)).Allocated);
    }

    [SkippableFact]
    public async Task Four_processes_carving_from_one_pool_never_get_overlapping_prefixes()
    {
        const int PerWorker = 12;
        string connection = database.Require();
        string schema = PostgresDatabase.NewSchema();
        await using var store = new PostgreSqlIpamStore(connection, new PostgreSqlStoreOptions { Schema = schema });
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.8.0.0/16")]), default);

        var outputs = await WorkerProcess.RunAllAsync(Workers, _ => ["subnets", connection, schema, "vpc", "24", PerWorker.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        var carved = outputs.SelectMany(lines => lines).Select(Ipv4Prefix.Parse).ToList();
        Assert.Equal(Workers * PerWorker, carved.Count);
        for (int i = 0; i < carved.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                Assert.False(carved[i].Overlaps(carved[j]), $"{carved[i]} overlaps {carved[j]}");
            }
        }

        var stored = (await store.ListSubnetsAsync("vpc", default)).Select(s => s.Prefix).ToList();
        Assert.Equal(carved.Order().ToList(), stored);
        // Smallest hole first, lowest address first: together the workers filled the lowest /24s without a gap.
        Assert.Equal(Enumerable.Range(0, Workers * PerWorker).Select(i => Ipv4Prefix.Parse($"10.8.{i}.0/24")), stored);
    }
}
