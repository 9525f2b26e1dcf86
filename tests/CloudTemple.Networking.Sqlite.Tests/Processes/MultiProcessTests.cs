using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Sqlite.Tests.Processes;

/// <summary>Several OS processes on one file: the database, not a lock in one process, keeps allocations apart.</summary>
public sealed class MultiProcessTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Four_processes_allocating_from_one_subnet_never_get_the_same_address()
    {
        var subnet = Ipv4Prefix.Parse("10.0.0.0/22");
        using (var store = new SqliteIpamStore(_database.Path))
        {
            await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
            await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", subnet), Now, default);
        }

        var workers = Enumerable.Range(0, 4).Select(i => Worker.Start("allocate", _database.Path, "vpc", subnet.ToString(), "150", $"w{i}")).ToList();
        try
        {
            await StartTogetherAsync(workers);
            foreach (var worker in workers)
            {
                Assert.True(await worker.WaitAsync(Patience) == 0, worker.Errors);
            }

            var printed = workers.SelectMany(w => w.Lines.Skip(1)).Select(Ipv4Address.Parse).ToList();
            Assert.Equal(600, printed.Count);
            Assert.Equal(printed.Count, printed.Distinct().Count());
            using var check = new SqliteIpamStore(_database.Path);
            var stored = (await check.ListAllocationsAsync("vpc", subnet, default)).Select(a => a.Address).ToHashSet();
            Assert.True(stored.SetEquals(printed));
            Assert.Equal(600UL, (await check.GetSubnetUtilizationAsync("vpc", subnet, Now, default)).Allocated);
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [Fact]
    public async Task Four_processes_carving_subnets_never_get_overlapping_prefixes()
    {
        using (var store = new SqliteIpamStore(_database.Path))
        {
            await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/20")]), default);
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Worker.Start("carve", _database.Path, "vpc", "26", "16")).ToList();
        try
        {
            await StartTogetherAsync(workers);
            foreach (var worker in workers)
            {
                Assert.True(await worker.WaitAsync(Patience) == 0, worker.Errors);
            }

            // 64 /26 fill the /20 exactly: any overlap would leave a duplicate or a gap.
            var printed = workers.SelectMany(w => w.Lines.Skip(1)).Select(Ipv4Prefix.Parse).Order().ToList();
            Assert.Equal(64, printed.Count);
            for (int i = 1; i < printed.Count; i++)
            {
                Assert.False(printed[i - 1].Overlaps(printed[i]), $"{printed[i - 1]} overlaps {printed[i]}");
            }

            using var check = new SqliteIpamStore(_database.Path);
            Assert.Equal(printed, (await check.ListSubnetsAsync("vpc", default)).Select(s => s.Prefix));
            await Assert.ThrowsAsync<PoolExhaustedException>(async () => await check.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 26), Now, default));
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [Fact]
    public async Task A_worker_killed_while_allocating_leaves_every_printed_address_stored_and_nothing_half_done()
    {
        var subnet = Ipv4Prefix.Parse("10.0.0.0/16");
        using (var store = new SqliteIpamStore(_database.Path))
        {
            await store.CreateSpaceAsync(new AddressSpace("vpc", [subnet]), default);
            await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", subnet), Now, default);
        }

        using var worker = Worker.Start("allocate", _database.Path, "vpc", subnet.ToString(), "60000", "victim");
        await StartTogetherAsync([worker]);
        await worker.WaitForLinesAsync(201, Patience);
        worker.Kill();
        await worker.WaitAsync(Patience);
        var printed = worker.Lines.Skip(1).Select(Ipv4Address.Parse).ToList();

        Assert.Equal("ok", IntegrityCheck(_database.Path));
        using var reopened = new SqliteIpamStore(_database.Path);
        var stored = (await reopened.ListAllocationsAsync("vpc", subnet, default)).Select(a => a.Address).ToList();
        Assert.Subset(stored.ToHashSet(), printed.ToHashSet());
        // One allocation may have committed after the last line was printed, never more, and the counters agree.
        Assert.InRange(stored.Count - printed.Count, 0, 1);
        Assert.Equal((ulong)stored.Count, (await reopened.GetSubnetUtilizationAsync("vpc", subnet, Now, default)).Allocated);
        // Next-free allocation sequence left no hole and the store carries on after it.
        Assert.Equal(stored, Enumerable.Range(2, stored.Count).Select(i => new Ipv4Address(subnet.Network.Value + (uint)i)));
        var next = await reopened.AllocateAsync(AddressRequest.NextFree("vpc", subnet, "after"), Now, default);
        Assert.Equal(new Ipv4Address(subnet.Network.Value + 2 + (uint)stored.Count), next.Allocation.Address);
    }

    [Fact]
    public async Task A_worker_killed_while_saving_leases_leaves_every_acknowledged_lease_stored()
    {
        using var worker = Worker.Start("leases", _database.Path, "10.1.0.0/16", "10.1.0.10", "50000", "client");
        await worker.WaitForLinesAsync(200, Patience);
        worker.Kill();
        await worker.WaitAsync(Patience);
        var printed = worker.Lines.Select(Ipv4Address.Parse).ToHashSet();

        Assert.Equal("ok", IntegrityCheck(_database.Path));
        await using var reopened = new SqliteLeaseStore(_database.Path);
        var stored = (await reopened.ListAsync(default)).ToDictionary(l => l.Address);
        foreach (var address in printed)
        {
            Assert.True(stored.TryGetValue(address, out var lease), $"{address} was acknowledged but is not stored");
            Assert.Equal(DhcpLeaseState.Bound, lease.State);
        }

        await reopened.SaveAsync(stored.Values.First() with { State = DhcpLeaseState.Released }, default);
        Assert.Equal(DhcpLeaseState.Released, (await reopened.FindByAddressAsync(stored.Keys.First(), default))!.State);
    }

    [Fact]
    public async Task Four_processes_opening_a_new_file_at_once_create_the_schema_once()
    {
        var workers = Enumerable.Range(0, 4).Select(_ => Worker.Start("init", _database.Path)).ToList();
        try
        {
            foreach (var worker in workers)
            {
                Assert.True(await worker.WaitAsync(Patience) == 0, worker.Errors);
                Assert.Equal(["ok"], worker.Lines);
            }

            Assert.Equal(["dhcp_leases 1", "ipam 1", "ipam 2"], Migrations(_database.Path));
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    // Every worker has opened the store and waits: let them all go at once.
    private async Task StartTogetherAsync(List<Worker> workers)
    {
        foreach (var worker in workers)
        {
            await worker.WaitForLinesAsync(1, Patience);
            Assert.Equal("ready", worker.Lines[0]);
        }

        await File.WriteAllTextAsync(_database.Path + ".go", "go");
    }

    internal static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)command.ExecuteScalar()!;
    }

    internal static List<string> Migrations(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT component || ' ' || version FROM schema_migrations ORDER BY component, version;";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
