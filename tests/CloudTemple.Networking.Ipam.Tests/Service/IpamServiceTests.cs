using System.Diagnostics.Metrics;

namespace CloudTemple.Networking.Ipam.Tests.Service;

[Collection(MetricsListeners.Name)]
public class IpamServiceTests
{
    private static readonly Ipv4Prefix Vpc = Ipv4Prefix.Parse("10.0.0.0/16");

    [Fact]
    public async Task The_change_feed_reports_carves_allocations_and_releases_in_order()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var ipam = new IpamService(new InMemoryIpamStore(), timeProvider: clock);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var changes = ipam.WatchChangesAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var first = changes.MoveNextAsync(); // subscribes

        await ipam.CreateSpaceAsync("vpc", [Vpc]);
        var subnet = await ipam.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24));
        var request = AddressRequest.NextFree("vpc", subnet.Prefix, "port-1") with { RequestKey = "k" };
        var allocation = await ipam.AllocateAsync(request);
        await ipam.AllocateAsync(request); // an idempotent retry is not a change
        clock.Advance(TimeSpan.FromSeconds(5));
        await ipam.ReleaseAsync("vpc", allocation.Address);

        var seen = new List<IpamChange>();
        Assert.True(await first);
        seen.Add(changes.Current);
        while (seen.Count < 4 && await changes.MoveNextAsync())
        {
            seen.Add(changes.Current);
        }

        Assert.Equal(
            [IpamChangeKind.SpaceCreated, IpamChangeKind.SubnetCarved, IpamChangeKind.AddressAllocated, IpamChangeKind.AddressReleased],
            seen.Select(c => c.Kind));
        Assert.Equal(subnet.Prefix, seen[1].Prefix);
        Assert.Equal(allocation, seen[2].Allocation);
        Assert.Equal(clock.GetUtcNow(), seen[3].At);
    }

    [Fact]
    public async Task A_slow_subscriber_loses_its_oldest_changes_and_the_drops_are_counted()
    {
        using var ipam = new IpamService(new InMemoryIpamStore(), new IpamOptions { ChangeFeedCapacity = 2, ReuseHold = TimeSpan.Zero });
        long dropped = 0;
        using var listener = Listen("cloudtemple.ipam.changes.dropped", v => Interlocked.Add(ref dropped, v));
        await using var changes = ipam.WatchChangesAsync().GetAsyncEnumerator();
        var first = changes.MoveNextAsync();
        await ipam.CreateSpaceAsync("vpc", [Vpc]);
        Assert.True(await first);
        Assert.Equal(IpamChangeKind.SpaceCreated, changes.Current.Kind);
        var subnet = await ipam.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24));
        for (int i = 0; i < 5; i++)
        {
            await ipam.AllocateAsync(AddressRequest.NextFree("vpc", subnet.Prefix, $"vm-{i}"));
        }

        // Six changes into a buffer of two: the carve and the first three allocations are dropped.
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(Ipv4Address.Parse("10.0.0.5"), changes.Current.Allocation!.Address);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(Ipv4Address.Parse("10.0.0.6"), changes.Current.Allocation!.Address);
        Assert.Equal(4, Interlocked.Read(ref dropped));
    }

    [Fact]
    public async Task Disposing_the_service_ends_the_change_feed()
    {
        var ipam = new IpamService(new InMemoryIpamStore());
        await using var changes = ipam.WatchChangesAsync().GetAsyncEnumerator();
        var next = changes.MoveNextAsync();
        ipam.Dispose();
        Assert.False(await next);
    }

    [Fact]
    public async Task The_reuse_hold_follows_the_time_provider()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
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
        using var ipam = new IpamService(new InMemoryIpamStore());
        var errors = new List<string>();
        using var listener = Listen("cloudtemple.ipam.errors", (_, tags) => { lock (errors) { errors.Add((string)tags[0].Value!); } });
        await ipam.CreateSpaceAsync("vpc", [Vpc]);
        await Assert.ThrowsAsync<AddressSpaceExistsException>(async () => await ipam.CreateSpaceAsync("vpc", [Vpc]));
        await Assert.ThrowsAsync<SubnetNotFoundException>(async () => await ipam.AllocateAsync(AddressRequest.NextFree("vpc", Vpc, "x")));
        lock (errors)
        {
            Assert.Equal([nameof(AddressSpaceExistsException), nameof(SubnetNotFoundException)], errors);
        }
    }

    [Fact]
    public async Task Releasing_a_subnet_with_force_publishes_the_dropped_addresses()
    {
        using var ipam = new IpamService(new InMemoryIpamStore());
        await ipam.CreateSpaceAsync("vpc", [Vpc]);
        var subnet = await ipam.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 28));
        await ipam.AllocateAsync(AddressRequest.NextFree("vpc", subnet.Prefix, "a"));
        await using var changes = ipam.WatchChangesAsync().GetAsyncEnumerator();
        var first = changes.MoveNextAsync();
        await ipam.ReleaseSubnetAsync("vpc", subnet.Prefix, force: true);
        Assert.True(await first);
        Assert.Equal(IpamChangeKind.AddressReleased, changes.Current.Kind);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(IpamChangeKind.SubnetReleased, changes.Current.Kind);
    }

    private static MeterListener Listen(string instrument, Action<long> onValue) => Listen(instrument, (v, _) => onValue(v));

    private static MeterListener Listen(string instrument, Action<long, KeyValuePair<string, object?>[]> onValue)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == IpamService.MeterName && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => onValue(value, tags.ToArray()));
        listener.Start();
        return listener;
    }
}
