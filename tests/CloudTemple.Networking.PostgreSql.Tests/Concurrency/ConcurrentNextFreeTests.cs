namespace CloudTemple.Networking.PostgreSql.Tests.Concurrency;

/// <summary>Concurrent next-free requests of one subnet are served in shared transactions: each caller still gets its own answer.</summary>
public sealed class ConcurrentNextFreeTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Ipv4Prefix Subnet = Ipv4Prefix.Parse("10.0.1.0/28");

    [SkippableFact]
    public async Task More_concurrent_requests_than_free_addresses_fill_the_subnet_and_the_rest_are_told_it_is_exhausted()
    {
        await using var store = await NewStoreAsync();
        var calls = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                return (Address: (Ipv4Address?)(await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, $"vm-{i}"), T0, default)).Allocation.Address, Error: (Exception?)null);
            }
            catch (SubnetExhaustedException e)
            {
                return (Address: null, Error: e);
            }
        })).ToList();
        var results = await Task.WhenAll(calls);

        var addresses = results.Where(r => r.Address is not null).Select(r => r.Address!.Value).ToList();
        Assert.Equal(13, addresses.Count);
        Assert.Equal(13, addresses.Distinct().Count());
        Assert.Equal(7, results.Count(r => r.Error is SubnetExhaustedException));
        Assert.Equal(addresses.Order(), (await store.ListAllocationsAsync("vpc", Subnet, default)).Select(a => a.Address));
        Assert.Equal(new IpamUtilization(16, 16, 3, 13, 0), await store.GetSubnetUtilizationAsync("vpc", Subnet, T0, default));
    }

    [SkippableFact]
    public async Task Concurrent_requests_with_the_same_owner_and_key_get_one_address()
    {
        await using var store = await NewStoreAsync();
        var request = AddressRequest.NextFree("vpc", Subnet, "port-1") with { RequestKey = "create-port-1" };
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await store.AllocateAsync(request, T0, default))));

        Assert.Single(results.Select(r => r.Allocation.Address).Distinct());
        Assert.Single(results, r => r.IsNew);
        Assert.Single(await store.ListAllocationsAsync("vpc", Subnet, default));
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Concurrent_batches_in_a_fragmented_subnet_take_the_free_addresses_in_cursor_order_wrapping_once(int seed)
    {
        var subnet = Ipv4Prefix.Parse("10.0.2.0/24");
        await using var store = await NewStoreAsync(subnet);
        var all = new List<uint>();
        while (true)
        {
            try
            {
                all.Add((await store.AllocateAsync(AddressRequest.NextFree("vpc", subnet, $"fill-{all.Count}"), T0, default)).Allocation.Address.Value);
            }
            catch (SubnetExhaustedException)
            {
                break;
            }
        }

        // Free a random third; the cursor sits after the last address, so the next requests wrap to the lowest freed.
        var random = new Random(seed);
        var freed = all.Where(_ => random.NextDouble() < 0.3).ToList();
        foreach (uint address in freed)
        {
            await store.ReleaseAsync("vpc", new Ipv4Address(address), null, T0, default);
        }

        var first = new List<uint>();
        for (int i = 0; i < 5; i++)
        {
            first.Add((await store.AllocateAsync(AddressRequest.NextFree("vpc", subnet, $"first-{i}"), T0, default)).Allocation.Address.Value);
        }

        Assert.Equal(freed.Order().Take(5), first);

        // Give back addresses below the cursor, the one just below it included, so that a free range may straddle it.
        uint[] returned = [first[0], first[3], first[4]];
        foreach (uint address in returned)
        {
            await store.ReleaseAsync("vpc", new Ipv4Address(address), null, T0, default);
        }

        uint cursor = first[4] + 1;
        var free = freed.Except(first).Concat(returned).ToList();
        var expected = free.Where(a => a >= cursor).Order().Concat(free.Where(a => a < cursor).Order()).ToList();

        var wave1 = await AllocateConcurrentlyAsync(store, subnet, "wave1", 10);
        Assert.Equal(expected.Take(10).Order(), wave1.OfType<uint>().Order());

        var wave2 = await AllocateConcurrentlyAsync(store, subnet, "wave2", expected.Count - 10 + 3);
        Assert.Equal(expected.Skip(10).Order(), wave2.OfType<uint>().Order());
        Assert.Equal(3, wave2.Count(a => a is null));

        var held = (await store.ListAllocationsAsync("vpc", subnet, default)).Select(a => a.Address.Value).ToList();
        Assert.Equal(all.Order(), held);
        Assert.Equal((ulong)all.Count, (await store.GetSubnetUtilizationAsync("vpc", subnet, T0, default)).Allocated);
    }

    // The addresses of count concurrent next-free requests; null for each one told the subnet is exhausted.
    private static async Task<List<uint?>> AllocateConcurrentlyAsync(PostgreSqlIpamStore store, Ipv4Prefix subnet, string owner, int count)
    {
        var calls = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            try
            {
                return (uint?)(await store.AllocateAsync(AddressRequest.NextFree("vpc", subnet, $"{owner}-{i}"), T0, default)).Allocation.Address.Value;
            }
            catch (SubnetExhaustedException)
            {
                return null;
            }
        }));
        return [.. await Task.WhenAll(calls)];
    }

    private async Task<PostgreSqlIpamStore> NewStoreAsync(Ipv4Prefix? subnet = null)
    {
        var store = new PostgreSqlIpamStore(database.RequireDataSource(), new PostgreSqlStoreOptions { Schema = PostgresDatabase.NewSchema() });
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", subnet ?? Subnet), T0, default);
        return store;
    }
}
