using CloudTemple.Networking.Stores.Conformance.Ipam.Model;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Sqlite.Tests.Model;

/// <summary>
/// The model-based IPAM test (<see cref="IpamModelCheck"/>) against a SQLite file: 40 sequences of up to 120
/// operations (the in-memory store runs 300), each in a new space of one file, each write a durable commit.
/// </summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 40)]
public sealed class SqliteStoreAgainstModelProperties : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly SqliteIpamStore _store;

    public SqliteStoreAgainstModelProperties() => _store = new SqliteIpamStore(_database.Path);

    public void Dispose()
    {
        _store.Dispose();
        _database.Dispose();
    }

    [Property]
    public void The_SQLite_store_gives_the_answers_of_the_reference_model(Operation[] operations) => IpamModelCheck.Run(_store, operations);
}
