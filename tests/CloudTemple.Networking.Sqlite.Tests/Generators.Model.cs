using CloudTemple.Networking.Stores.Conformance.Ipam.Model;
using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.Sqlite.Tests;

/// <summary>FsCheck generators of the SQLite tests: the model-based IPAM test's operation sequences.</summary>
public static partial class Generators
{
    public static Arbitrary<Operation[]> OperationsArb() => Arb.From(IpamModelCheck.OperationsGen);
}
