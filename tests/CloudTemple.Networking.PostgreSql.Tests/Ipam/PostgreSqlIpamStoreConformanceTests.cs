using CloudTemple.Networking.Stores.Conformance.Ipam;

namespace CloudTemple.Networking.PostgreSql.Tests.Ipam;

/// <summary>The IIpamStore conformance suite against PostgreSQL: one database for the class, one space per test.</summary>
public sealed class PostgreSqlIpamStoreConformanceTests(PostgresDatabase database) : IpamStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<IIpamStore> CreateStoreAsync() =>
        ValueTask.FromResult<IIpamStore>(new PostgreSqlIpamStore(database.RequireDataSource()));
}
