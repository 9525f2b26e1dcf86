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

    private async Task<PostgreSqlIpamStore> NewStoreAsync()
    {
        var store = new PostgreSqlIpamStore(database.RequireDataSource(), new PostgreSqlStoreOptions { Schema = PostgresDatabase.NewSchema() });
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Subnet), T0, default);
        return store;
    }
}
