namespace CloudTemple.Networking.Sqlite.Tests.Leases;

/// <summary>What the SQLite lease store adds to the conformance suite: durability and group commit.</summary>
public sealed class SqliteLeaseStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Ipv4Prefix Subnet = Ipv4Prefix.Parse("10.0.0.0/16");
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static DhcpLease Lease(int i, DhcpLeaseState state = DhcpLeaseState.Bound) => new(
        new Ipv4Address(Subnet.Network.Value + 10 + (uint)i),
        Subnet,
        DhcpClientKey.FromMacAddress(new MacAddress(0x0200_0000_0000UL + (ulong)i)),
        new MacAddress(0x0200_0000_0000UL + (ulong)i),
        state,
        Now.AddHours(1),
        $"host-{i}");

    [Fact]
    public async Task Concurrent_saves_share_transactions_and_each_is_stored_when_its_call_completes()
    {
        await using var store = new SqliteLeaseStore(_database.Path);
        await store.InitializeAsync(default);
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => store.SaveAsync(Lease(i), default).AsTask()));

        Assert.InRange(store.SaveTransactions, 1, 299);
        await using var other = new SqliteLeaseStore(_database.Path);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => Lease(i)), await other.ListAsync(default));
    }

    [Fact]
    public async Task Leases_survive_reopening_the_file_declined_ones_included()
    {
        var declined = Lease(1, DhcpLeaseState.Declined) with { Client = DhcpClientKey.Parse("declined:10.0.0.11"), HardwareAddress = null, HostName = null };
        await using (var store = new SqliteLeaseStore(_database.Path))
        {
            await store.SaveAsync(Lease(0), default);
            await store.SaveAsync(declined, default);
        }

        await using var reopened = new SqliteLeaseStore(_database.Path);
        Assert.Equal(Lease(0), await reopened.FindByClientAsync(Subnet, Lease(0).Client, default));
        Assert.Equal(declined, await reopened.FindByAddressAsync(declined.Address, default));
    }

    [Fact]
    public async Task A_save_after_dispose_throws_ObjectDisposedException()
    {
        var store = new SqliteLeaseStore(_database.Path);
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.SaveAsync(Lease(0), default));
    }
}
