using Npgsql;

namespace CloudTemple.Networking.PostgreSql.Tests.Ipam;

/// <summary>
/// The <c>ipam_allocate_next</c> function called directly with one batch, so that the batch's shape
/// is fixed (through the store, concurrent arrivals decide how requests are grouped).
/// </summary>
public sealed class AllocateNextFunctionTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Ipv4Prefix Subnet = Ipv4Prefix.Parse("10.0.3.0/27");

    [SkippableFact]
    public async Task One_batch_takes_from_the_cursor_wraps_once_into_the_part_of_the_range_below_the_cursor_and_reports_the_rest_exhausted()
    {
        var (store, schema, all) = await FullSubnetAsync();
        await using var _ = store;
        foreach (int i in new[] { 5, 6, 7, 12, 20 })
        {
            await store.ReleaseAsync("vpc", new Ipv4Address(all[i]), null, T0, default);
        }

        // Two single requests wrap to the lowest freed (5, 6); the cursor is then on 7.
        await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "a"), T0, default);
        await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "b"), T0, default);
        await store.ReleaseAsync("vpc", new Ipv4Address(all[6]), null, T0, default);

        // Free: 6-7 (one range straddling the cursor), 12, 20. Cyclic order from the cursor: 7, 12, 20, then 6.
        var rows = await CallAsync(schema, [("r1", null), ("r2", null), ("r3", null), ("r4", null), ("r5", null)]);

        Assert.Equal([0, 0, 0, 0, 3], rows.Select(r => r.Kind));
        Assert.Equal([all[7], all[12], all[20], all[6]], rows.Take(4).Select(r => (uint)r.Address!.Value));
        Assert.Equal(all.Order(), (await store.ListAllocationsAsync("vpc", Subnet, default)).Select(a => a.Address.Value));
        Assert.Equal((ulong)all.Count, (await store.GetSubnetUtilizationAsync("vpc", Subnet, T0, default)).Allocated);
    }

    [SkippableFact]
    public async Task A_key_repeated_in_one_batch_gets_one_address_and_a_key_already_held_gets_its_allocation()
    {
        var (store, schema, all) = await FullSubnetAsync();
        await using var _ = store;
        var held = await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "port-9") with { RequestKey = "k9" }, T0, default);
        Assert.False(held.IsNew);
        await store.ReleaseAsync("vpc", new Ipv4Address(all[3]), null, T0, default);
        await store.ReleaseAsync("vpc", new Ipv4Address(all[4]), null, T0, default);

        var rows = await CallAsync(schema, [("port-1", "k1"), ("port-1", "k1"), ("port-2", null), ("port-9", "k9")]);

        Assert.Equal([0, 1, 0, 1], rows.Select(r => r.Kind));
        Assert.Equal(rows[0].Address, rows[1].Address);
        Assert.Equal([all[3], all[4]], new[] { rows[0], rows[2] }.Select(r => (uint)r.Address!.Value));
        Assert.Equal(held.Allocation.Address.Value, (uint)rows[3].Address!.Value);
    }

    [SkippableFact]
    public async Task The_one_by_one_fallback_of_a_failed_batch_gives_the_answers_of_the_batch()
    {
        string schema = PostgresDatabase.NewSchema();
        await using var store = new PostgreSqlIpamStore(database.RequireDataSource(), new PostgreSqlStoreOptions { Schema = schema });
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]) { ReuseHold = TimeSpan.FromMinutes(1) }, default);
        var batched = Ipv4Prefix.Parse("10.0.5.0/28");
        var oneByOne = Ipv4Prefix.Parse("10.0.6.0/28");

        // The same history in both subnets: a fragmented free space, a hold that ends, a hold that does not, a key already held.
        foreach (var (subnet, side) in new[] { (batched, "a"), (oneByOne, "b") })
        {
            await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", subnet) with { Exclusions = [new Ipv4AddressRange(new Ipv4Address(subnet.Network.Value + 9), new Ipv4Address(subnet.Network.Value + 10))] }, T0, default);
            for (int i = 0; i < 6; i++)
            {
                await store.AllocateAsync(AddressRequest.NextFree("vpc", subnet, $"{side}-fill-{i}") with { RequestKey = i == 5 ? "held" : null }, T0, default);
            }

            await store.ReleaseAsync("vpc", new Ipv4Address(subnet.Network.Value + 3), null, T0, default);
            await store.ReleaseAsync("vpc", new Ipv4Address(subnet.Network.Value + 5), null, T0.AddMinutes(1), default);
        }

        // More requests than free addresses, a key repeated in the batch and a key already held.
        string[] owners = ["p1", "p2", "p1", "p3", "fill-5", "p4", "p5", "p6", "p7", "p8", "p9", "p10"];
        string?[] keys = ["k1", null, "k1", null, "held", null, null, null, null, null, null, null];
        var now = T0.AddSeconds(90);
        List<PendingAllocation> Requests(Ipv4Prefix subnet, string side) =>
            [.. owners.Select((o, i) => new PendingAllocation(
                AddressRequest.NextFree("vpc", subnet, $"{side}-{o}") with { RequestKey = keys[i] },
                now,
                Guid.NewGuid(),
                new TaskCompletionSource<AddressAllocationResult>()))];

        var batch = Requests(batched, "a");
        var single = Requests(oneByOne, "b");
        await store.RunNextFreeBatchAsync(batch);
        await store.RunOneByOneAsync(single);

        var expected = await Task.WhenAll(batch.Select(p => DescribeAsync(p, batched)));
        var actual = await Task.WhenAll(single.Select(p => DescribeAsync(p, oneByOne)));
        Assert.Equal(expected, actual);

        // Free at the call: 3 (its hold ended), 8 (the cursor), 11-14; 5 is still held; 9-10 excluded; 7 held under "held".
        string[] exhausted = [.. Enumerable.Repeat(nameof(SubnetExhaustedException), 4)];
        Assert.Equal(["+8 new", "+11 new", "+8 old", "+12 new", "+7 old", "+13 new", "+14 new", "+3 new", .. exhausted], expected);
        Assert.Equal(
            (await store.ListAllocationsAsync("vpc", batched, default)).Select(a => a.Address.Value - batched.Network.Value),
            (await store.ListAllocationsAsync("vpc", oneByOne, default)).Select(a => a.Address.Value - oneByOne.Network.Value));

        static async Task<string> DescribeAsync(PendingAllocation pending, Ipv4Prefix subnet)
        {
            try
            {
                var result = await pending.Done.Task;
                return $"+{result.Allocation.Address.Value - subnet.Network.Value} {(result.IsNew ? "new" : "old")}";
            }
            catch (IpamException error)
            {
                return error.GetType().Name;
            }
        }
    }

    // A /27 whose every address is allocated (the last one to port-9 under key k9), in allocation order.
    private async Task<(PostgreSqlIpamStore Store, string Schema, List<uint> All)> FullSubnetAsync()
    {
        string schema = PostgresDatabase.NewSchema();
        var store = new PostgreSqlIpamStore(database.RequireDataSource(), new PostgreSqlStoreOptions { Schema = schema });
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Subnet), T0, default);
        var all = new List<uint>();
        while (true)
        {
            var request = AddressRequest.NextFree("vpc", Subnet, $"fill-{all.Count}");
            try
            {
                all.Add((await store.AllocateAsync(request, T0, default)).Allocation.Address.Value);
            }
            catch (SubnetExhaustedException)
            {
                break;
            }
        }

        // Hand the last address to port-9 under key k9.
        await store.ReleaseAsync("vpc", new Ipv4Address(all[^1]), null, T0, default);
        await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "port-9") with { RequestKey = "k9" }, T0, default);
        return (store, schema, all);
    }

    private async Task<List<(short Kind, long? Address)>> CallAsync(string schema, (string Owner, string? Key)[] requests)
    {
        await using var command = database.RequireDataSource().CreateCommand(
            $"""SELECT r_kind, r_address FROM "{schema}".ipam_allocate_next($1, $2, $3, $4, $5, $6, $7, $8, false, NULL) ORDER BY r_idx""");
        command.Parameters.Add(new NpgsqlParameter { Value = "vpc" });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)Subnet.Network.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = Subnet.Length });
        command.Parameters.Add(new NpgsqlParameter { Value = requests.Select(r => r.Owner).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = requests.Select(r => r.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = requests.Select(_ => "{}").ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = requests.Select(_ => T0).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = requests.Select(_ => Guid.NewGuid()).ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(short, long?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt16(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
        }

        return rows;
    }
}
