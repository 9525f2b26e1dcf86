using CloudTemple.Networking.Sqlite.Tests.Schema;
using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Sqlite.Tests.Ipam;

/// <summary>Database failures surface as <see cref="SqliteStoreException"/> and roll the whole operation back.</summary>
public sealed class SqliteIpamStoreFailureTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Ipv4Prefix Subnet = Ipv4Prefix.Parse("10.0.1.0/24");
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_failure_in_the_middle_of_an_allocation_changes_nothing_and_the_next_one_succeeds()
    {
        using var store = await StoreAsync(new SqliteStoreOptions { Path = _database.Path });
        await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "a"), Now, default);
        string before = Dump();
        // The counter update comes after the free range was taken and the row inserted: all must roll back.
        SchemaTests.Scalar(_database.Path, "CREATE TRIGGER fail AFTER UPDATE OF allocated ON ipam_subnets BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");

        var error = await Assert.ThrowsAsync<SqliteStoreException>(
            async () => await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "b"), Now, default));
        Assert.Equal(nameof(IIpamStore.AllocateAsync), error.Operation);
        Assert.False(error.IsBusy);
        Assert.Contains("injected failure", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Dump());

        SchemaTests.Scalar(_database.Path, "DROP TRIGGER fail;");
        var next = await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "b"), Now, default);
        Assert.Equal(Ipv4Address.Parse("10.0.1.3"), next.Allocation.Address);
    }

    [Fact]
    public async Task A_write_lock_held_by_another_connection_beyond_every_attempt_throws_a_busy_SqliteStoreException()
    {
        using var store = await StoreAsync(new SqliteStoreOptions { Path = _database.Path, BusyTimeout = TimeSpan.FromMilliseconds(50), MaxAttempts = 2 });
        using (var other = new SqliteConnection($"Data Source={_database.Path};Pooling=False;Default Timeout=1"))
        {
            other.Open();
            using var transaction = other.BeginTransaction(deferred: false);
            var error = await Assert.ThrowsAsync<SqliteStoreException>(
                async () => await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "a"), Now, default));
            Assert.True(error.IsBusy);
            Assert.Equal(2, error.Attempts);
            // Readers are not blocked by a writer in WAL mode.
            Assert.Empty(await store.ListAllocationsAsync("vpc", Subnet, default));
        }

        Assert.Equal(Ipv4Address.Parse("10.0.1.2"), (await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "a"), Now, default)).Allocation.Address);
    }

    private static async Task<SqliteIpamStore> StoreAsync(SqliteStoreOptions options)
    {
        var store = new SqliteIpamStore(options);
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Subnet), Now, default);
        return store;
    }

    private string Dump() => string.Join(
        " | ",
        SchemaTests.Scalar(_database.Path, "SELECT group_concat(address || owner) FROM ipam_allocations;"),
        SchemaTests.Scalar(_database.Path, "SELECT group_concat(first || '-' || last) FROM ipam_free_ranges;"),
        SchemaTests.Scalar(_database.Path, "SELECT group_concat(cursor || '/' || allocated || '/' || held) FROM ipam_subnets;"));
}
