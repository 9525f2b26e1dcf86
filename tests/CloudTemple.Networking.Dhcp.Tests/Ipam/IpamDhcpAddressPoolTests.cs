using CloudTemple.Networking.Dhcp.Protocol;
using CloudTemple.Networking.Dhcp.Tests.Leases;
using CloudTemple.Networking.Ipam;

namespace CloudTemple.Networking.Dhcp.Tests.Ipam;

/// <summary>The DHCP engine taking its addresses from IPAM, next to static allocations of the same space.</summary>
public class IpamDhcpAddressPoolTests
{
    private const string Space = "vpc-1";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Ipv4Prefix Prefix = Ipv4Prefix.Parse("10.0.0.0/24");
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Ipv4Address A(string text) => Ipv4Address.Parse(text);

    private static EngineHarness Harness(IIpamStore ipam, Action<DhcpServerOptions>? configure = null) =>
        new(configure, clock => new IpamDhcpAddressPool(ipam, Space, clock));

    // The IPAM subnet as an operator would carve it: only the DHCP range .100-.199 is allocatable.
    private static async Task CarveAsync(InMemoryIpamStore ipam)
    {
        await ipam.CreateSpaceAsync(new AddressSpace(Space, [Ipv4Prefix.Parse("10.0.0.0/16")]), None);
        await ipam.CarveSubnetAsync(
            SubnetRequest.Explicit(Space, Prefix) with
            {
                Exclusions = [new Ipv4AddressRange(A("10.0.0.0"), A("10.0.0.99")), new Ipv4AddressRange(A("10.0.0.200"), A("10.0.0.255"))],
            },
            Now,
            None);
    }

    [Fact]
    public async Task A_lease_is_an_IPAM_allocation_owned_by_the_client()
    {
        var ipam = new InMemoryIpamStore();
        using var h = Harness(ipam);

        var ack = h.Acquire(EngineHarness.Mac(1));

        Assert.Equal(DhcpMessageType.Ack, ack!.Type);
        var allocation = await ipam.FindByAddressAsync(Space, ack.YourAddress, None);
        Assert.NotNull(allocation);
        Assert.Equal(IpamDhcpAddressPool.OwnerOf(DhcpClientKey.FromMacAddress(EngineHarness.Mac(1))), allocation.Owner);
        Assert.True(h.Engine.Subnets[0].IsInPool(ack.YourAddress));
    }

    [Fact]
    public async Task Addresses_allocated_statically_in_IPAM_are_never_offered_and_the_pool_runs_out_after_the_rest()
    {
        var ipam = new InMemoryIpamStore();
        await CarveAsync(ipam);
        for (int host = 100; host < 199; host++)
        {
            if (host is not 150 and not 175)
            {
                await ipam.AllocateAsync(AddressRequest.Specific(Space, Prefix, A($"10.0.0.{host}"), $"port-{host}"), Now, None);
            }
        }

        using var h = Harness(ipam);
        var offered = new HashSet<Ipv4Address>();
        for (int client = 1; client <= 3; client++)
        {
            var ack = h.Acquire(EngineHarness.Mac(client));
            Assert.Equal(DhcpMessageType.Ack, ack!.Type);
            offered.Add(ack.YourAddress);
        }

        Assert.Equal(new HashSet<Ipv4Address> { A("10.0.0.150"), A("10.0.0.175"), A("10.0.0.199") }, offered);
        Assert.Null(h.Discover(EngineHarness.Mac(4)));
        Assert.Equal(DhcpDropReason.PoolExhausted, h.LastResult.DropReason);
    }

    [Fact]
    public async Task A_release_gives_the_address_back_to_IPAM_and_a_decline_keeps_it_taken()
    {
        var ipam = new InMemoryIpamStore();
        using var h = Harness(ipam);
        var released = h.Acquire(EngineHarness.Mac(1))!.YourAddress;
        var declined = h.Acquire(EngineHarness.Mac(2))!.YourAddress;

        h.Send(EngineHarness.Message(DhcpMessageType.Release, EngineHarness.Mac(1), serverId: EngineHarness.ServerAddress, ciaddr: released));
        h.Send(EngineHarness.Message(DhcpMessageType.Decline, EngineHarness.Mac(2), requested: declined, serverId: EngineHarness.ServerAddress));

        Assert.Null(await ipam.FindByAddressAsync(Space, released, None));
        Assert.NotNull(await ipam.FindByAddressAsync(Space, declined, None));
    }

    [Fact]
    public async Task An_IPAM_subnet_that_could_allocate_outside_the_DHCP_range_is_refused_naming_the_address()
    {
        var ipam = new InMemoryIpamStore();
        await ipam.CreateSpaceAsync(new AddressSpace(Space, [Prefix]), None);
        await ipam.CarveSubnetAsync(SubnetRequest.Explicit(Space, Prefix), Now, None);
        using var h = Harness(ipam);

        var error = await Assert.ThrowsAsync<DhcpPoolMismatchException>(
            async () => await h.Pool.AllocateAsync(h.Engine.Subnets[0], DhcpClientKey.FromMacAddress(EngineHarness.Mac(1)), None));

        Assert.Equal(A("10.0.0.2"), error.Address); // .0 and .1 are reserved by the default policy
        Assert.Contains("10.0.0.100-10.0.0.199", error.Message, StringComparison.Ordinal);
        Assert.Empty(await ipam.ListAllocationsAsync(Space, Prefix, None));
    }

    [Fact]
    public async Task Two_servers_sharing_one_IPAM_store_never_lease_the_same_address()
    {
        var ipam = new InMemoryIpamStore();
        using var first = Harness(ipam);
        using var second = Harness(ipam);

        var leased = new List<Ipv4Address>();
        for (int client = 1; client <= 60; client++)
        {
            var server = client % 2 == 0 ? first : second;
            leased.Add(server.Acquire(EngineHarness.Mac(client))!.YourAddress);
        }

        Assert.Equal(leased.Count, leased.Distinct().Count());
        var allocations = await ipam.ListAllocationsAsync(Space, Prefix, None);
        Assert.Equal(leased.Order(), allocations.Select(a => a.Address).Order());
    }
}
