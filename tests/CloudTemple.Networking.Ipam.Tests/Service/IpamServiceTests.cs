using CloudTemple.Networking.Testing;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CloudTemple.Networking.Ipam.Tests.Service;

public class IpamServiceTests
{
    private static readonly Ipv4Prefix Vpc = Ipv4Prefix.Parse("10.0.0.0/16");

    [Fact]
    public async Task The_change_feed_reports_carves_allocations_and_releases_in_order()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var ipam = new IpamService(new InMemoryIpamStore(), timeProvider: clock);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var changes = ipam.Changes.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var first = changes.MoveNextAsync(); // subscribes

        await ipam.CreateSpaceAsync("vpc", [Vpc]);
        var subnet = await ipam.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24));
        var request = AddressRequest.NextFree("vpc", subnet.Prefix, "port-1") with { RequestKey = "k" };
        var allocation = await ipam.AllocateAsync(request);
        await ipam.AllocateAsync(request); // an idempotent retry is not a change
        clock.Advance(TimeSpan.FromSeconds(5));
        await ipam.ReleaseAsync("vpc", allocation.Address);

        var seen = new List<IpamChange>();
        var sequences = new List<long>();
        Assert.True(await first);
        seen.Add(changes.Current.Change);
        sequences.Add(changes.Current.Sequence);
        while (seen.Count < 4 && await changes.MoveNextAsync())
        {
            seen.Add(changes.Current.Change);
            sequences.Add(changes.Current.Sequence);
        }

        Assert.Equal(
            [IpamChangeKind.SpaceCreated, IpamChangeKind.SubnetCarved, IpamChangeKind.AddressAllocated, IpamChangeKind.AddressReleased],
            seen.Select(c => c.Kind));
        Assert.Equal(subnet.Prefix, seen[1].Prefix);
        Assert.Equal(allocation, seen[2].Allocation);
        Assert.Equal(clock.GetUtcNow(), seen[3].At);
        Assert.Equal([1L, 2L, 3L, 4L], sequences);
    }

    [Fact]
    public async Task A_slow_subscriber_loses_its_oldest_changes_and_the_drops_are_counted()
    {
        using var meters = new TestMeterFactory();
        using var ipam = new IpamService(new InMemoryIpamStore(), new IpamOptions { ChangeFeedCapacity = 2, ReuseHold = TimeSpan.Zero }, meterFactory: meters);
        using var dropped = new MetricCollector<long>(meters, IpamTelemetry.MeterName, "cloudtemple.ipam.changes.dropped");
        await using var changes = ipam.Changes.WatchAsync().GetAsyncEnumerator();
        var first = changes.MoveNextAsync();
        await ipam.CreateSpaceAsync("vpc", [Vpc]);
        Assert.True(await first);
        Assert.Equal(IpamChangeKind.SpaceCreated, changes.Current.Change.Kind);
        var subnet = await ipam.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24));
        for (int i = 0; i < 5; i++)
        {
            await ipam.AllocateAsync(AddressRequest.NextFree("vpc", subnet.Prefix, $"vm-{i}"));
        }

        // Six changes into a buffer of two: the carve and the first three allocations are dropped.
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(Ipv4Address.Parse("10.0.0.5"), changes.Current.Change.Allocation!.Address);
        Assert.Equal(6, changes.Current.Sequence); // 2 to 5 were dropped: the subscriber sees the gap
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(Ipv4Address.Parse("10.0.0.6"), changes.Current.Change.Allocation!.Address);
        Assert.Equal(7, changes.Current.Sequence);
        Assert.Equal(4, dropped.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(4, ipam.Changes.DroppedCount);
    }

    [Fact]
    public async Task Disposing_the_service_ends_the_change_feed()
    {
        var ipam = new IpamService(new InMemoryIpamStore());
        await using var changes = ipam.Changes.WatchAsync().GetAsyncEnumerator();
        var next = changes.MoveNextAsync();
        ipam.Dispose();
        Assert.False(await next);
    }

    [Fact]
    public async Task The_reuse_hold_follows_the_time_provider()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var ipam = new IpamService(new InMemoryIpamStore(), new IpamOptions { ReuseHold = TimeSpan.FromMinutes(2) }, clock);
        await ipam.CreateSpaceAsync("vpc", [Vpc]);
        var subnet = (await ipam.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Ipv4Prefix.Parse("10.0.0.0/30")))).Prefix;
        var only = await ipam.AllocateAsync(AddressRequest.NextFree("vpc", subnet, "vm-1"));
        await ipam.ReleaseAsync("vpc", only.Address, "vm-1");

        clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(1UL, (await ipam.GetSubnetUtilizationAsync("vpc", subnet)).Held);
        await Assert.ThrowsAsync<SubnetExhaustedException>(async () => await ipam.AllocateAsync(AddressRequest.NextFree("vpc", subnet, "vm-2")));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(only.Address, (await ipam.AllocateAsync(AddressRequest.NextFree("vpc", subnet, "vm-2"))).Address);
    }

    [Fact]
    public async Task Domain_errors_are_counted_by_type_and_reach_the_caller_unchanged()
    {
        using var meters = new TestMeterFactory();
        using var ipam = new IpamService(new InMemoryIpamStore(), meterFactory: meters);
        using var errors = new MetricCollector<long>(meters, IpamTelemetry.MeterName, "cloudtemple.ipam.operations.failed");
        await ipam.CreateSpaceAsync("vpc", [Vpc]);
        await Assert.ThrowsAsync<AddressSpaceExistsException>(async () => await ipam.CreateSpaceAsync("vpc", [Vpc]));
        await Assert.ThrowsAsync<SubnetNotFoundException>(async () => await ipam.AllocateAsync(AddressRequest.NextFree("vpc", Vpc, "x")));
        Assert.Equal(
            [("create_space", nameof(AddressSpaceExistsException)), ("allocate", nameof(SubnetNotFoundException))],
            errors.GetMeasurementSnapshot().Select(m => ((string)m.Tags["cloudtemple.ipam.operation"]!, (string)m.Tags["error.type"]!)));
    }

    [Fact]
    public async Task Releasing_a_subnet_with_force_publishes_the_dropped_addresses()
    {
        using var ipam = new IpamService(new InMemoryIpamStore());
        await ipam.CreateSpaceAsync("vpc", [Vpc]);
        var subnet = await ipam.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 28));
        await ipam.AllocateAsync(AddressRequest.NextFree("vpc", subnet.Prefix, "a"));
        await using var changes = ipam.Changes.WatchAsync().GetAsyncEnumerator();
        var first = changes.MoveNextAsync();
        await ipam.ReleaseSubnetAsync("vpc", subnet.Prefix, force: true);
        Assert.True(await first);
        Assert.Equal(IpamChangeKind.AddressReleased, changes.Current.Change.Kind);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(IpamChangeKind.SubnetReleased, changes.Current.Change.Kind);
    }
}
