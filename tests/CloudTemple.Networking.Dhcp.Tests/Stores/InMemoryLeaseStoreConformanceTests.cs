using CloudTemple.Networking.Stores.Conformance.Dhcp;

namespace CloudTemple.Networking.Dhcp.Tests.Stores;

/// <summary>The lease conformance suite against the embedded store.</summary>
public sealed class InMemoryLeaseStoreConformanceTests : LeaseStoreConformanceTests
{
    protected override ValueTask<ILeaseStore> CreateStoreAsync() => new(new InMemoryLeaseStore());
}
