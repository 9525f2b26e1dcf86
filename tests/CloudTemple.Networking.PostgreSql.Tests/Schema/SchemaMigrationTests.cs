using Npgsql;

namespace CloudTemple.Networking.PostgreSql.Tests.Schema;

/// <summary>The stores create and migrate their schema themselves: concurrently starting hosts both succeed, and running again changes nothing.</summary>
public sealed class SchemaMigrationTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [SkippableFact]
    public async Task Stores_initializing_at_once_on_an_empty_database_all_succeed_and_apply_each_version_once()
    {
        string connection = database.Require();
        string schema = PostgresDatabase.NewSchema();
        var options = new PostgreSqlStoreOptions { Schema = schema };
        // Separate data sources: separate sessions, as separate hosts would have.
        await using var ipamA = new PostgreSqlIpamStore(connection, options);
        await using var ipamB = new PostgreSqlIpamStore(connection, options);
        await using var leasesA = new PostgreSqlLeaseStore(connection, options);
        await using var leasesB = new PostgreSqlLeaseStore(connection, options);

        await Task.WhenAll(ipamA.InitializeAsync(default), ipamB.InitializeAsync(default), leasesA.InitializeAsync(default), leasesB.InitializeAsync(default));

        Assert.Equal([1, 2, 3, 4], await AppliedVersionsAsync(schema));
        await ipamA.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        Assert.NotNull(await ipamB.GetSpaceAsync("vpc", default));
        Assert.Empty(await leasesB.ListAsync(default));
    }

    [SkippableFact]
    public async Task Migrating_again_is_a_no_op_that_keeps_the_data()
    {
        string connection = database.Require();
        string schema = PostgresDatabase.NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(connection);
        Assert.Equal([1, 2, 3, 4], await SchemaMigrator.MigrateAsync(dataSource, schema, default));
        await using (var store = new PostgreSqlIpamStore(dataSource, new PostgreSqlStoreOptions { Schema = schema }))
        {
            await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        }

        Assert.Empty(await SchemaMigrator.MigrateAsync(dataSource, schema, default));
        await using var again = new PostgreSqlIpamStore(dataSource, new PostgreSqlStoreOptions { Schema = schema });
        Assert.NotNull(await again.GetSpaceAsync("vpc", default));
        Assert.Equal([1, 2, 3, 4], await AppliedVersionsAsync(schema));
    }

    [SkippableFact]
    public async Task A_schema_at_version_1_is_upgraded_to_version_2_and_keeps_its_allocations()
    {
        string connection = database.Require();
        string schema = PostgresDatabase.NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(connection);
        var subnet = Ipv4Prefix.Parse("10.0.0.0/24");
        var first = await SpaceWithOneAllocationAsync(dataSource, schema, subnet);

        // Back to what a version 1 host left behind: no allocation function, version 2 not recorded.
        await using (var command = dataSource.CreateCommand($"""DROP FUNCTION "{schema}".ipam_allocate_next; DELETE FROM "{schema}".schema_migrations WHERE version = 2"""))
        {
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal([2], await SchemaMigrator.MigrateAsync(dataSource, schema, default));
        await using var upgraded = new PostgreSqlIpamStore(dataSource, new PostgreSqlStoreOptions { Schema = schema });
        var second = await upgraded.AllocateAsync(AddressRequest.NextFree("vpc", subnet, "vm-2"), DateTimeOffset.UnixEpoch, default);
        Assert.True(second.IsNew);
        Assert.Equal(first.Allocation.Address.Value + 1, second.Allocation.Address.Value);
        Assert.Equal(2, (await upgraded.ListAllocationsAsync("vpc", subnet, default)).Count);
        Assert.Equal([1, 2, 3, 4], await AppliedVersionsAsync(schema));
    }

    [SkippableFact]
    public async Task A_schema_at_version_2_is_upgraded_to_version_3_which_drops_the_owner_index_and_allocates_on()
    {
        string connection = database.Require();
        string schema = PostgresDatabase.NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(connection);
        var subnet = Ipv4Prefix.Parse("10.0.0.0/24");
        var first = await SpaceWithOneAllocationAsync(dataSource, schema, subnet);

        // Back to what a version 2 host left behind: the (space_id, owner) index, version 3 not recorded.
        await using (var command = dataSource.CreateCommand($"""CREATE INDEX ON "{schema}".ipam_allocation (space_id, owner); DELETE FROM "{schema}".schema_migrations WHERE version = 3"""))
        {
            await command.ExecuteNonQueryAsync();
        }

        Assert.True(await OwnerIndexExistsAsync(schema));
        Assert.Equal([3], await SchemaMigrator.MigrateAsync(dataSource, schema, default));
        Assert.False(await OwnerIndexExistsAsync(schema));
        await using var upgraded = new PostgreSqlIpamStore(dataSource, new PostgreSqlStoreOptions { Schema = schema });
        var second = await upgraded.AllocateAsync(AddressRequest.NextFree("vpc", subnet, "vm-2"), DateTimeOffset.UnixEpoch, default);
        Assert.Equal(first.Allocation.Address.Value + 1, second.Allocation.Address.Value);
        Assert.Single(await upgraded.FindByOwnerAsync("vpc", "vm-1", default));
        Assert.Equal([1, 2, 3, 4], await AppliedVersionsAsync(schema));
    }

    [SkippableFact]
    public async Task A_schema_at_version_3_is_upgraded_to_version_4_keeping_its_data_making_names_unique_and_replacing_the_function()
    {
        string connection = database.Require();
        string schema = PostgresDatabase.NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(connection);
        var subnet = Ipv4Prefix.Parse("10.0.0.0/24");
        var first = await SpaceWithOneAllocationAsync(dataSource, schema, subnet);
        await using (var store = new PostgreSqlIpamStore(dataSource, new PostgreSqlStoreOptions { Schema = schema }))
        {
            await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Ipv4Prefix.Parse("10.0.1.0/24")), DateTimeOffset.UnixEpoch, default);
            await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Ipv4Prefix.Parse("10.0.2.0/24")), DateTimeOffset.UnixEpoch, default);
        }

        // Back to what a version 3 host left behind: no request keys, no unique names, the function with its nine
        // parameters (a stand-in with that signature), no hold function, and two subnets named alike.
        await using (var command = dataSource.CreateCommand($"""
            DROP INDEX "{schema}".ipam_subnet_by_name; DROP INDEX "{schema}".ipam_subnet_by_request;
            ALTER TABLE "{schema}".ipam_subnet DROP COLUMN request_key;
            DROP FUNCTION "{schema}".ipam_allocate_next; DROP FUNCTION "{schema}".ipam_end_expired_holds;
            CREATE FUNCTION "{schema}".ipam_allocate_next(text, bigint, integer, text[], text[], text[], timestamptz[], uuid[], boolean) RETURNS void LANGUAGE sql AS '';
            UPDATE "{schema}".ipam_subnet SET name = 'web' WHERE network IN (167772160, 167772416);
            UPDATE "{schema}".ipam_subnet SET name = 'db' WHERE network = 167772672;
            DELETE FROM "{schema}".schema_migrations WHERE version = 4
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal([4], await SchemaMigrator.MigrateAsync(dataSource, schema, default));
        await using var upgraded = new PostgreSqlIpamStore(dataSource, new PostgreSqlStoreOptions { Schema = schema });
        Assert.Equal(
            ["10.0.0.0/24 web", "10.0.1.0/24 web (10.0.1.0/24)", "10.0.2.0/24 db"],
            (await upgraded.ListSubnetsAsync("vpc", default)).Select(s => $"{s.Prefix} {s.Name}"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '{schema}' AND p.proname = 'ipam_allocate_next'"));
        var second = await upgraded.AllocateAsync(AddressRequest.NextFree("vpc", subnet, "vm-2"), DateTimeOffset.UnixEpoch, default);
        Assert.Equal(first.Allocation.Address.Value + 1, second.Allocation.Address.Value);
        Assert.Equal(subnet, (await upgraded.GetSubnetByNameAsync("vpc", "web", default))?.Prefix);
        var keyed = await upgraded.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24) with { RequestKey = "k" }, DateTimeOffset.UnixEpoch, default);
        Assert.Equal(keyed, await upgraded.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24) with { RequestKey = "k" }, DateTimeOffset.UnixEpoch, default));
        await Assert.ThrowsAsync<SubnetNameInUseException>(
            async () => await upgraded.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24) with { Name = "db" }, DateTimeOffset.UnixEpoch, default));
        Assert.Equal([1, 2, 3, 4], await AppliedVersionsAsync(schema));
    }

    [SkippableFact]
    public async Task A_schema_newer_than_the_package_is_refused_with_a_clear_message()
    {
        string connection = database.Require();
        string schema = PostgresDatabase.NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(connection);
        await SchemaMigrator.MigrateAsync(dataSource, schema, default);
        await using (var command = dataSource.CreateCommand($"INSERT INTO \"{schema}\".schema_migrations (version, description) VALUES (999, 'from the future')"))
        {
            await command.ExecuteNonQueryAsync();
        }

        await using var store = new PostgreSqlIpamStore(dataSource, new PostgreSqlStoreOptions { Schema = schema });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(default));
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
    }

    // A fresh schema at the latest version with space "vpc", the subnet, and vm-1's allocation in it.
    private static async Task<AddressAllocationResult> SpaceWithOneAllocationAsync(NpgsqlDataSource dataSource, string schema, Ipv4Prefix subnet)
    {
        await using var store = new PostgreSqlIpamStore(dataSource, new PostgreSqlStoreOptions { Schema = schema });
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", subnet), DateTimeOffset.UnixEpoch, default);
        return await store.AllocateAsync(AddressRequest.NextFree("vpc", subnet, "vm-1"), DateTimeOffset.UnixEpoch, default);
    }

    private async Task<bool> OwnerIndexExistsAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(database.Require());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND indexname = 'ipam_allocation_space_id_owner_idx'", connection);
        command.Parameters.AddWithValue(schema);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.Require());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private async Task<List<int>> AppliedVersionsAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(database.Require());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT version FROM \"{schema}\".schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }
}
