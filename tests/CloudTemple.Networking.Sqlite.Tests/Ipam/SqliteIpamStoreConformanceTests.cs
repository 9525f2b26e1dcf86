using CloudTemple.Networking.Stores.Conformance.Ipam;

namespace CloudTemple.Networking.Sqlite.Tests.Ipam;

/// <summary>The IIpamStore conformance suite against a SQLite file per test.</summary>
public sealed class SqliteIpamStoreConformanceTests : IpamStoreConformanceTests, IDisposable
{
    private readonly TempDatabase _database = new();

    protected override ValueTask<IIpamStore> CreateStoreAsync() => new(new SqliteIpamStore(_database.Path));

    public void Dispose() => _database.Dispose();
}
