using CloudTemple.Networking.Stores.Conformance.Dhcp;

namespace CloudTemple.Networking.PostgreSql.Tests.Dhcp;

/// <summary>The ILeaseStore conformance suite against PostgreSQL: one database for the class, an empty schema per test.</summary>
public sealed class PostgreSqlLeaseStoreConformanceTests(PostgresDatabase database) : LeaseStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<ILeaseStore> CreateStoreAsync() =>
        ValueTask.FromResult<ILeaseStore>(new PostgreSqlLeaseStore(database.RequireDataSource(), new PostgreSqlStoreOptions { Schema = PostgresDatabase.NewSchema() }));
}
