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
        Assert.Equal(["dhcp_leases 1", "ipam 1"], MultiProcessTests.Migrations(_database.Path));
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

    internal static string Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString() ?? string.Empty;
    }
}
