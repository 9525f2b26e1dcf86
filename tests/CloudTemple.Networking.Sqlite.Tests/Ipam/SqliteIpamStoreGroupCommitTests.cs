namespace CloudTemple.Networking.Sqlite.Tests.Ipam;

/// <summary>Writes that arrive together share a transaction, yet each succeeds or fails on its own.</summary>
public sealed class SqliteIpamStoreGroupCommitTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Ipv4Prefix Subnet = Ipv4Prefix.Parse("10.0.1.0/27");
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Concurrent_next_free_allocations_get_distinct_addresses_and_the_ones_that_exhaust_the_subnet_fail_alone()
    {
        using var store = new SqliteIpamStore(_database.Path);
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Subnet), Now, default);
        await using var leases = new SqliteLeaseStore(_database.Path);
        await leases.InitializeAsync(default);

        var attempts = Enumerable.Range(0, 64).Select(async i =>
        {
            try
            {
                return (await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, $"vm-{i}"), Now, default)).Allocation;
            }
            catch (SubnetExhaustedException)
            {
                return null;
            }
        }).ToList();
        var allocations = (await Task.WhenAll(attempts)).OfType<AddressAllocation>().ToList();

        var usage = await store.GetSubnetUtilizationAsync("vpc", Subnet, Now, default);
        Assert.Equal(usage.Size - usage.Reserved, (ulong)allocations.Count);
        Assert.Equal(allocations.Count, allocations.Select(a => a.Address).Distinct().Count());
        Assert.Equal(
            allocations.OrderBy(a => a.Address.Value).Select(a => (a.Address, a.Owner)),
            (await store.ListAllocationsAsync("vpc", Subnet, default)).Select(a => (a.Address, a.Owner)));
    }

    [Fact]
    public async Task A_write_cancelled_while_queued_is_not_made()
    {
        using var store = new SqliteIpamStore(_database.Path);
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Subnet), Now, default);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "vm"), Now, cancelled.Token));
        Assert.Empty(await store.ListAllocationsAsync("vpc", Subnet, default));
    }
}
