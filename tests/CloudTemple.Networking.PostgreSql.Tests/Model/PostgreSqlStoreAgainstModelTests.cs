using CloudTemple.Networking.Stores.Conformance.Ipam.Model;
using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.PostgreSql.Tests.Model;

/// <summary>
/// The model-based IPAM test (<see cref="IpamModelCheck"/>) against PostgreSQL: 12 sequences of up to 120
/// operations (the in-memory store runs 300; about a minute here), each in a new space of this class's database. A fact rather
/// than an FsCheck property, so that it skips (or fails when interop tests are required) without a server.
/// </summary>
public sealed class PostgreSqlStoreAgainstModelTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [SkippableFact]
    public async Task The_PostgreSQL_store_gives_the_answers_of_the_reference_model()
    {
        await using var store = new PostgreSqlIpamStore(database.RequireDataSource(), new PostgreSqlStoreOptions { Schema = PostgresDatabase.NewSchema() });
        Prop.ForAll(Arb.From(IpamModelCheck.OperationsGen), operations => IpamModelCheck.Run(store, operations))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(12));
    }
}
