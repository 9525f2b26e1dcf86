using FsCheck.Xunit;

namespace CloudTemple.Networking.Ipam.Tests.Model;

/// <summary>
/// The in-memory store against <see cref="ReferenceIpam"/> (see <see cref="IpamModelCheck"/>); the SQLite and
/// PostgreSQL test projects run the same check with fewer cases.
/// </summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 300)]
public class StoreAgainstModelProperties
{
    [Property]
    public void The_in_memory_store_gives_the_answers_of_the_reference_model(Operation[] operations) =>
        IpamModelCheck.Run(new InMemoryIpamStore(), operations);
}
