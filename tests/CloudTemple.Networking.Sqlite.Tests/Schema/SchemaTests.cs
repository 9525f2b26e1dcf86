using CloudTemple.Networking.Sqlite.Tests.Processes;
using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Sqlite.Tests.Schema;

/// <summary>The stores create and migrate their own tables, once, whoever opens the file first.</summary>
public sealed class SchemaTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Two_stores_opening_a_new_file_at_once_both_succeed()
    {
        using var first = new SqliteIpamStore(_database.Path);
        using var second = new SqliteIpamStore(_database.Path);
        await using var leases = new SqliteLeaseStore(_database.Path);
        await Task.WhenAll(first.InitializeAsync(default).AsTask(), second.InitializeAsync(default).AsTask(), leases.InitializeAsync(default).AsTask());
        Assert.Equal(["dhcp_leases 1", "ipam 1", "ipam 2"], MultiProcessTests.Migrations(_database.Path));
        Assert.Equal("wal", Scalar(_database.Path, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Reopening_a_file_keeps_its_data_and_changes_no_schema()
    {
        using (var store = new SqliteIpamStore(_database.Path))
        {
            await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        }

        string before = Scalar(_database.Path, "SELECT group_concat(component || version || applied_at) FROM schema_migrations;");
        using var reopened = new SqliteIpamStore(_database.Path);
        await reopened.InitializeAsync(default);
        await reopened.InitializeAsync(default);
        Assert.Equal(before, Scalar(_database.Path, "SELECT group_concat(component || version || applied_at) FROM schema_migrations;"));
        Assert.NotNull(await reopened.GetSpaceAsync("vpc", default));
    }

    [Fact]
    public async Task A_file_from_a_newer_version_is_refused_with_a_clear_error()
    {
        using (var store = new SqliteIpamStore(_database.Path))
        {
            await store.InitializeAsync(default);
        }

        Scalar(_database.Path, "INSERT INTO schema_migrations VALUES ('ipam', 99, 'later');");
        using var old = new SqliteIpamStore(_database.Path);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await old.ListSpacesAsync(default));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_at_ipam_version_1_is_upgraded_to_version_2_keeping_its_data_and_making_names_unique()
    {
        using (var store = new SqliteIpamStore(_database.Path))
        {
            await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
            foreach (string cidr in new[] { "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24" })
            {
                await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Ipv4Prefix.Parse(cidr)), DateTimeOffset.UnixEpoch, default);
            }

            await store.AllocateAsync(AddressRequest.NextFree("vpc", Ipv4Prefix.Parse("10.0.2.0/24"), "vm-1"), DateTimeOffset.UnixEpoch, default);
        }

        // Back to what a version 1 library left behind: no request keys, no unique names, and two subnets named alike.
        Scalar(_database.Path, """
            DROP INDEX ipam_subnets_by_name; DROP INDEX ipam_subnets_by_request; ALTER TABLE ipam_subnets DROP COLUMN request_key;
            DELETE FROM schema_migrations WHERE component = 'ipam' AND version = 2;
            UPDATE ipam_subnets SET name = 'web' WHERE network IN (167772416, 167772672);
            UPDATE ipam_subnets SET name = 'db' WHERE network = 167772928;
            """);

        using var upgraded = new SqliteIpamStore(_database.Path);
        await upgraded.InitializeAsync(default);

        Assert.Equal(["ipam 1", "ipam 2"], MultiProcessTests.Migrations(_database.Path));
        Assert.Equal(
            ["10.0.1.0/24 web", "10.0.2.0/24 web (10.0.2.0/24)", "10.0.3.0/24 db"],
            (await upgraded.ListSubnetsAsync("vpc", default)).Select(s => $"{s.Prefix} {s.Name}"));
        Assert.Equal("vm-1", (await upgraded.FindByAddressAsync("vpc", Ipv4Address.Parse("10.0.2.2"), default))?.Owner);
        Assert.Equal(Ipv4Prefix.Parse("10.0.1.0/24"), (await upgraded.GetSubnetByNameAsync("vpc", "web", default))?.Prefix);
        var keyed = await upgraded.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24) with { RequestKey = "k" }, DateTimeOffset.UnixEpoch, default);
        Assert.Equal(keyed, await upgraded.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24) with { RequestKey = "k" }, DateTimeOffset.UnixEpoch, default));
        await Assert.ThrowsAsync<SubnetNameInUseException>(
            async () => await upgraded.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24) with { Name = "db" }, DateTimeOffset.UnixEpoch, default));
    }

    internal static string Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString() ?? string.Empty;
    }
}
