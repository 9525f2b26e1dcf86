using CloudTemple.Networking.Stores.Conformance.Dhcp;

namespace CloudTemple.Networking.Sqlite.Tests.Leases;

/// <summary>The ILeaseStore conformance suite against a new SQLite file per test.</summary>
public sealed class SqliteLeaseStoreConformanceTests : LeaseStoreConformanceTests, IDisposable
{
    private readonly TempDatabase _database = new();

    protected override ValueTask<ILeaseStore> CreateStoreAsync() => new(new SqliteLeaseStore(_database.Path));

    public void Dispose() => _database.Dispose();
}
