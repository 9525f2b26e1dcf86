using CloudTemple.Networking.Stores.Conformance.Ipam;

namespace CloudTemple.Networking.Ipam.Tests.Stores;

/// <summary>The conformance suite against the embedded store.</summary>
public sealed class InMemoryIpamStoreConformanceTests : IpamStoreConformanceTests
{
    protected override ValueTask<IIpamStore> CreateStoreAsync() => new(new InMemoryIpamStore());
}
