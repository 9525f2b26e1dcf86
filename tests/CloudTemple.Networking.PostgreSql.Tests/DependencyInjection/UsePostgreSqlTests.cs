using Microsoft.Extensions.DependencyInjection;

namespace CloudTemple.Networking.PostgreSql.Tests.DependencyInjection;

public sealed class UsePostgreSqlTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [SkippableFact]
    public async Task UsePostgreSql_replaces_the_in_memory_ipam_store_and_reads_the_configured_schema()
    {
        string connection = database.Require();
        string schema = PostgresDatabase.NewSchema();
        var services = new ServiceCollection();
        services.Configure<PostgreSqlStoreOptions>(o => o.Schema = schema);
        services.AddIpam().UsePostgreSql(connection);
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<PostgreSqlIpamStore>(provider.GetRequiredService<IIpamStore>());
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);

        await using var direct = new PostgreSqlIpamStore(connection, new PostgreSqlStoreOptions { Schema = schema });
        Assert.NotNull(await direct.GetSpaceAsync("vpc", default));
    }

    [SkippableFact]
    public async Task UsePostgreSql_replaces_the_in_memory_lease_store_with_a_data_source_the_host_owns()
    {
        var dataSource = database.RequireDataSource();
        var services = new ServiceCollection();
        services.Configure<PostgreSqlStoreOptions>(o => o.Schema = PostgresDatabase.NewSchema());
        services.AddDhcpLeaseEngine(o => o.InterfaceName = "lo").UsePostgreSql(dataSource).UsePostgreSql(dataSource);
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<PostgreSqlLeaseStore>(provider.GetRequiredService<ILeaseStore>());
        Assert.Single(services, d => d.ServiceType == typeof(ILeaseStore));
        Assert.Empty(await store.ListAsync(default));
    }

    [Fact]
    public void UsePostgreSql_refuses_an_empty_connection_string()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentException>(() => services.AddIpam().UsePostgreSql(" "));
    }
}
