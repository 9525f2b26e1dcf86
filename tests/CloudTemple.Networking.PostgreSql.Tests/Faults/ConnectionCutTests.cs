using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CloudTemple.Networking.PostgreSql.Tests.Faults;

/// <summary>
/// The database connection is cut during an allocation (<c>pg_terminate_backend</c> from a second
/// connection, while the allocation waits for the subnet's row lock): the operation either completes
/// or leaves nothing behind, and the retry bound holds.
/// </summary>
public sealed partial class ConnectionCutTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Ipv4Prefix Subnet = Ipv4Prefix.Parse("10.0.1.0/24");

    [SkippableFact]
    public async Task An_allocation_whose_connection_is_cut_is_retried_and_stored_once()
    {
        var (store, schema) = await NewStoreAsync(maxAttempts: 3);
        await using var _ = store;
        await using var blocker = await LockSubnetAsync(schema);

        var allocation = store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "vm-1"), T0, default).AsTask();
        await TerminateWaitingBackendAsync(allocation);
        await blocker.RollbackAsync();
        var result = await allocation;

        Assert.True(result.IsNew);
        Assert.Equal(Ipv4Address.Parse("10.0.1.2"), result.Allocation.Address);
        Assert.Equal([result.Allocation], await store.ListAllocationsAsync("vpc", Subnet, default));
        Assert.Equal(1UL, (await store.GetSubnetUtilizationAsync("vpc", Subnet, T0, default)).Allocated);
        Assert.Equal(Ipv4Address.Parse("10.0.1.3"), (await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "vm-2"), T0, default)).Allocation.Address);
    }

    [SkippableFact]
    public async Task A_connection_cut_on_every_attempt_surfaces_as_a_transient_store_exception_and_changes_nothing()
    {
        var (store, schema) = await NewStoreAsync(maxAttempts: 2);
        await using var _ = store;
        await using var blocker = await LockSubnetAsync(schema);

        var allocation = store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "vm-1"), T0, default).AsTask();
        await TerminateWaitingBackendAsync(allocation);
        await TerminateWaitingBackendAsync(allocation);
        var error = await Assert.ThrowsAsync<PostgreSqlStoreException>(() => allocation);
        await blocker.RollbackAsync();

        Assert.True(error.IsTransient);
        Assert.Equal(2, error.Attempts);
        Assert.Equal(nameof(IIpamStore.AllocateAsync), error.Operation);
        Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
        Assert.Empty(await store.ListAllocationsAsync("vpc", Subnet, default));
        Assert.Equal(0UL, (await store.GetSubnetUtilizationAsync("vpc", Subnet, T0, default)).Allocated);
        Assert.Equal(Ipv4Address.Parse("10.0.1.2"), (await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "vm-1"), T0, default)).Allocation.Address);
    }

    [SkippableFact]
    public async Task A_non_transient_failure_is_not_retried_and_rolls_back_every_statement()
    {
        var (store, schema) = await NewStoreAsync(maxAttempts: 5);
        await using var _ = store;
        // A constraint the store does not know: its INSERT fails after the free range was already updated in the same transaction.
        await ExecuteAsync($"ALTER TABLE \"{schema}\".ipam_allocation ADD CONSTRAINT no_dot_two CHECK (address <> {Ipv4Address.Parse("10.0.1.2").Value})");

        var error = await Assert.ThrowsAsync<PostgreSqlStoreException>(
            async () => await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "vm-1"), T0, default));

        Assert.False(error.IsTransient);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(PostgresErrorCodes.CheckViolation, Assert.IsType<PostgresException>(error.InnerException).SqlState);
        Assert.Empty(await store.ListAllocationsAsync("vpc", Subnet, default));
        await ExecuteAsync($"ALTER TABLE \"{schema}\".ipam_allocation DROP CONSTRAINT no_dot_two");
        // The free range and the cursor were rolled back too: .2 is still the next free address.
        Assert.Equal(Ipv4Address.Parse("10.0.1.2"), (await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "vm-1"), T0, default)).Allocation.Address);
    }

    [SkippableFact]
    public async Task A_lease_save_whose_connection_is_cut_is_retried_and_stored()
    {
        string connection = database.Require();
        string schema = PostgresDatabase.NewSchema();
        await using var store = new PostgreSqlLeaseStore(connection, new PostgreSqlStoreOptions { Schema = schema, MaxAttempts = 3 });
        var lease = new DhcpLease(Ipv4Address.Parse("10.0.1.10"), Subnet, DhcpClientKey.FromMacAddress(MacAddress.Parse("02:00:00:00:00:01")), null, DhcpLeaseState.Bound, T0.AddHours(1));
        await store.SaveAsync(lease with { State = DhcpLeaseState.Offered }, default);
        await using var blocker = await OpenAsync();
        await using (var tx = await blocker.BeginTransactionAsync())
        {
            await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM \"{schema}\".dhcp_lease WHERE address = {lease.Address.Value} FOR UPDATE", blocker))
            {
                await lockRow.ExecuteNonQueryAsync();
            }

            var save = store.SaveAsync(lease, default).AsTask();
            await TerminateWaitingBackendAsync(save);
            await tx.RollbackAsync();
            await save;
        }

        Assert.Equal(lease, await store.FindByAddressAsync(lease.Address, default));
    }

    private async Task<(PostgreSqlIpamStore Store, string Schema)> NewStoreAsync(int maxAttempts, ILoggerFactory? loggers = null, IMeterFactory? meters = null)
    {
        string connection = database.Require();
        string schema = PostgresDatabase.NewSchema();
        var store = new PostgreSqlIpamStore(connection, new PostgreSqlStoreOptions { Schema = schema, MaxAttempts = maxAttempts }, loggers, meters);
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Subnet), T0, default);
        return (store, schema);
    }

    // A second session holds the subnet's row lock, so that an allocation waits inside its transaction.
    private async Task<RowLock> LockSubnetAsync(string schema)
    {
        var connection = await OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand($"SELECT 1 FROM \"{schema}\".ipam_subnet FOR UPDATE", connection);
        await command.ExecuteNonQueryAsync();
        return new RowLock(connection, transaction);
    }

    // Waits until a backend of this database waits for a row lock, then terminates it.
    private async Task TerminateWaitingBackendAsync(Task operation)
    {
        await using var admin = await OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !operation.IsCompleted)
        {
            await using var terminate = new NpgsqlCommand(
                """
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
                """,
                admin);
            if ((long)(await terminate.ExecuteScalarAsync())! > 0)
            {
                // Let the store see the cut and start its next attempt.
                await Task.Delay(300);
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail("No backend waited for the lock: the operation did not reach the database as expected.");
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.Require()) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class RowLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public Task RollbackAsync() => transaction.RollbackAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
