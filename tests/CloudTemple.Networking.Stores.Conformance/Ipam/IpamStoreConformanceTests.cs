namespace CloudTemple.Networking.Stores.Conformance.Ipam;

/// <summary>
/// What every <see cref="IIpamStore"/> must do, whatever keeps its state. A store's test project
/// subclasses this and implements <see cref="CreateStoreAsync"/>; each test uses its own space
/// names, so a durable store may share one database between tests.
/// </summary>
public abstract partial class IpamStoreConformanceTests : StoreConformanceTests<IIpamStore>
{
    protected static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    protected static Ipv4Prefix P(string text) => Ipv4Prefix.Parse(text);

    protected static Ipv4Address A(string text) => Ipv4Address.Parse(text);

    protected static string NewSpaceName() => $"space-{Guid.NewGuid():N}";

    private async Task<string> SpaceAsync(string pool = "10.0.0.0/16", TimeSpan reuseHold = default, ReservedAddressPolicy? policy = null)
    {
        string name = NewSpaceName();
        await Store.CreateSpaceAsync(new AddressSpace(name, [P(pool)]) { ReuseHold = reuseHold, DefaultReservedAddresses = policy }, None);
        return name;
    }

    private async Task<(string Space, Ipv4Prefix Subnet)> SubnetAsync(string cidr = "10.0.1.0/24", TimeSpan reuseHold = default, ReservedAddressPolicy? policy = null)
    {
        string space = await SpaceAsync(reuseHold: reuseHold, policy: policy);
        var subnet = await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P(cidr)), T0, None);
        return (space, subnet.Prefix);
    }

    private async Task<AddressAllocation> NextAsync(string space, Ipv4Prefix subnet, string owner, DateTimeOffset? now = null) =>
        (await Store.AllocateAsync(AddressRequest.NextFree(space, subnet, owner), now ?? T0, None)).Allocation;

    // Everything a failed operation could have changed, to compare before and after.
    private async Task<string> SnapshotAsync(string space)
    {
        var subnets = await Store.ListSubnetsAsync(space, None);
        var lines = new List<string> { (await Store.GetSpaceUtilizationAsync(space, T0, None)).ToString() };
        foreach (var subnet in subnets)
        {
            lines.Add($"{subnet.Prefix} {await Store.GetSubnetUtilizationAsync(space, subnet.Prefix, T0, None)}");
            lines.AddRange((await Store.ListAllocationsAsync(space, subnet.Prefix, None)).Select(a => $"  {a.Address} {a.Owner} {a.RequestKey}"));
        }

        return string.Join('\n', lines);
    }

    [SkippableFact]
    public async Task Creating_a_space_twice_throws_AddressSpaceExistsException()
    {
        string space = await SpaceAsync();
        var error = await Assert.ThrowsAsync<AddressSpaceExistsException>(
            async () => await Store.CreateSpaceAsync(new AddressSpace(space, [P("192.168.0.0/16")]), None));
        Assert.Equal(space, error.Space);
        Assert.Equal([P("10.0.0.0/16")], (await Store.GetSpaceAsync(space, None))!.Pools);
    }

    [SkippableFact]
    public async Task Overlapping_pools_in_one_space_are_refused_naming_both()
    {
        var error = await Assert.ThrowsAsync<PrefixOverlapException>(
            async () => await Store.CreateSpaceAsync(new AddressSpace(NewSpaceName(), [P("10.0.0.0/16"), P("10.0.128.0/17")]), None));
        Assert.Equal(P("10.0.128.0/17"), error.Requested);
        Assert.Equal(P("10.0.0.0/16"), error.Existing);

        string space = await SpaceAsync();
        var added = await Assert.ThrowsAsync<PrefixOverlapException>(async () => await Store.AddPoolAsync(space, P("10.0.0.0/8"), None));
        Assert.Contains("10.0.0.0/8", added.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.0/16", added.Message, StringComparison.Ordinal);
        Assert.Equal([P("10.0.0.0/16")], (await Store.GetSpaceAsync(space, None))!.Pools);
    }

    [SkippableFact]
    public async Task Two_spaces_may_use_the_same_prefixes()
    {
        var (a, subnetA) = await SubnetAsync();
        var (b, subnetB) = await SubnetAsync();
        Assert.Equal(subnetA, subnetB);
        Assert.Equal((await NextAsync(a, subnetA, "x")).Address, (await NextAsync(b, subnetB, "y")).Address);
    }

    [SkippableFact]
    public async Task A_pool_added_later_can_be_carved()
    {
        string space = await SpaceAsync();
        var updated = await Store.AddPoolAsync(space, P("172.16.0.0/12"), None);
        Assert.Equal([P("10.0.0.0/16"), P("172.16.0.0/12")], updated.Pools);
        var subnet = await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24, P("172.16.0.0/12")), T0, None);
        Assert.Equal(P("172.16.0.0/24"), subnet.Prefix);
        Assert.Equal(P("172.16.0.0/12"), subnet.Pool);
    }

    [SkippableFact]
    public async Task An_unknown_space_throws_AddressSpaceNotFoundException()
    {
        string space = NewSpaceName();
        var error = await Assert.ThrowsAsync<AddressSpaceNotFoundException>(
            async () => await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24), T0, None));
        Assert.Equal(space, error.Space);
        Assert.Null(await Store.GetSpaceAsync(space, None));
        Assert.False(await Store.DeleteSpaceAsync(space, None));
    }

    [SkippableFact]
    public async Task A_deleted_space_is_gone_with_its_subnets()
    {
        var (space, _) = await SubnetAsync();
        Assert.True(await Store.DeleteSpaceAsync(space, None));
        Assert.DoesNotContain(await Store.ListSpacesAsync(None), s => s.Name == space);
        await Assert.ThrowsAsync<AddressSpaceNotFoundException>(async () => await Store.ListSubnetsAsync(space, None));
    }

    [SkippableFact]
    public async Task An_explicit_carve_returns_the_subnet_with_its_policy_name_and_gateway()
    {
        string space = await SpaceAsync(policy: ReservedAddressPolicy.Aws);
        var request = SubnetRequest.Explicit(space, P("10.0.4.0/22")) with
        {
            Name = "prod-web",
            Exclusions = [new Ipv4AddressRange(A("10.0.4.10"), A("10.0.4.19"))],
        };
        var subnet = await Store.CarveSubnetAsync(request, T0, None);
        Assert.Equal(P("10.0.4.0/22"), subnet.Prefix);
        Assert.Equal(P("10.0.0.0/16"), subnet.Pool);
        Assert.Equal("prod-web", subnet.Name);
        Assert.Equal(ReservedAddressPolicy.Aws, subnet.ReservedAddresses);
        Assert.Equal(A("10.0.4.1"), subnet.Gateway);
        Assert.Equal(T0, subnet.CarvedAt);
        Assert.Equal(subnet, await Store.GetSubnetAsync(space, subnet.Prefix, None));
        var usage = await Store.GetSubnetUtilizationAsync(space, subnet.Prefix, T0, None);
        Assert.Equal(new IpamUtilization(1024, 1024, 5 + 10, 0, 0), usage);
    }

    [SkippableTheory]
    [InlineData("10.0.1.128/25")]
    [InlineData("10.0.0.0/23")]
    [InlineData("10.0.1.0/24")]
    public async Task An_overlapping_carve_names_both_CIDRs_and_changes_nothing(string requested)
    {
        var (space, existing) = await SubnetAsync("10.0.1.0/24");
        string before = await SnapshotAsync(space);
        var error = await Assert.ThrowsAsync<PrefixOverlapException>(
            async () => await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P(requested)), T0, None));
        Assert.Equal(P(requested), error.Requested);
        Assert.Equal(existing, error.Existing);
        Assert.Contains(requested, error.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.1.0/24", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(space));
    }

    [SkippableFact]
    public async Task A_carve_outside_every_pool_throws_PrefixOutsidePoolsException()
    {
        string space = await SpaceAsync();
        var error = await Assert.ThrowsAsync<PrefixOutsidePoolsException>(
            async () => await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P("10.1.0.0/24")), T0, None));
        Assert.Equal(P("10.1.0.0/24"), error.Requested);
        Assert.Equal([P("10.0.0.0/16")], error.Pools);
        await Assert.ThrowsAsync<PrefixOutsidePoolsException>(
            async () => await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24, P("10.9.0.0/16")), T0, None));
    }

    [SkippableFact]
    public async Task Next_free_carving_takes_the_smallest_fitting_hole_then_the_lowest_address()
    {
        string space = await SpaceAsync();
        // Leave a /24 hole at 10.0.1.0 and a /23 hole at 10.0.2.0 after 10.0.0.0/24 and 10.0.4.0/22.
        await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P("10.0.0.0/24")), T0, None);
        await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P("10.0.4.0/22")), T0, None);
        await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P("10.0.3.0/24")), T0, None);

        var first = await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24), T0, None);
        var second = await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24), T0, None);
        var third = await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 22), T0, None);

        Assert.Equal(P("10.0.1.0/24"), first.Prefix);
        Assert.Equal(P("10.0.2.0/24"), second.Prefix);
        Assert.Equal(P("10.0.8.0/22"), third.Prefix);
    }

    [SkippableFact]
    public async Task An_exhausted_pool_throws_PoolExhaustedException()
    {
        string space = NewSpaceName();
        await Store.CreateSpaceAsync(new AddressSpace(space, [P("10.0.0.0/23")]), None);
        await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24), T0, None);
        await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 25), T0, None);
        var error = await Assert.ThrowsAsync<PoolExhaustedException>(
            async () => await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24), T0, None));
        Assert.Equal(24, error.Length);
        Assert.Equal([P("10.0.0.0/23")], error.Pools);
        Assert.Equal(P("10.0.1.128/25"), (await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 25), T0, None)).Prefix);
    }

    [SkippableFact]
    public async Task An_exclusion_outside_the_subnet_throws_and_changes_nothing()
    {
        string space = await SpaceAsync();
        string before = await SnapshotAsync(space);
        var request = SubnetRequest.NextFree(space, 24) with { Exclusions = [Ipv4AddressRange.Parse("10.0.0.250-10.0.1.5")] };
        var error = await Assert.ThrowsAsync<AddressOutsideSubnetException>(async () => await Store.CarveSubnetAsync(request, T0, None));
        Assert.Equal(A("10.0.1.5"), error.Address);
        Assert.Equal(before, await SnapshotAsync(space));
        Assert.Equal(P("10.0.0.0/24"), (await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24), T0, None)).Prefix);
    }

    [SkippableFact]
    public async Task A_policy_larger_than_the_subnet_is_refused()
    {
        string space = await SpaceAsync();
        await Assert.ThrowsAsync<ArgumentException>(
            async () => await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P("10.0.0.0/30")) with { ReservedAddresses = ReservedAddressPolicy.Aws }, T0, None));
        var link = await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P("10.0.0.4/31")) with { ReservedAddresses = ReservedAddressPolicy.Aws }, T0, None);
        Assert.Equal(2UL, (await Store.GetSubnetUtilizationAsync(space, link.Prefix, T0, None)).Available);
    }

    [SkippableFact]
    public async Task Next_free_skips_reserved_addresses_and_continues_after_the_last_one()
    {
        var (space, subnet) = await SubnetAsync("10.0.1.0/29");
        Assert.Equal(A("10.0.1.2"), (await NextAsync(space, subnet, "a")).Address);
        Assert.Equal(A("10.0.1.3"), (await NextAsync(space, subnet, "b")).Address);
        await Store.ReleaseAsync(space, A("10.0.1.2"), null, T0, None);
        // The cursor moves on: the freed .2 comes back only after the end of the subnet.
        Assert.Equal(A("10.0.1.4"), (await NextAsync(space, subnet, "c")).Address);
        Assert.Equal(A("10.0.1.5"), (await NextAsync(space, subnet, "d")).Address);
        Assert.Equal(A("10.0.1.6"), (await NextAsync(space, subnet, "e")).Address);
        Assert.Equal(A("10.0.1.2"), (await NextAsync(space, subnet, "f")).Address);
    }

    [SkippableFact]
    public async Task Aws_preset_reserves_the_first_four_and_the_last_address()
    {
        var (space, subnet) = await SubnetAsync("10.0.1.0/28", policy: ReservedAddressPolicy.Aws);
        foreach (string reserved in new[] { "10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.15" })
        {
            await Assert.ThrowsAsync<AddressReservedException>(
                async () => await Store.AllocateAsync(AddressRequest.Specific(space, subnet, A(reserved), "vm"), T0, None));
        }

        Assert.Equal(A("10.0.1.4"), (await NextAsync(space, subnet, "vm")).Address);
        Assert.Equal(11UL, (await Store.GetSubnetUtilizationAsync(space, subnet, T0, None)).Available + 1);
    }

    [SkippableFact]
    public async Task A_specific_reserved_address_throws_AddressReservedException_naming_its_role()
    {
        var (space, subnet) = await SubnetAsync();
        string before = await SnapshotAsync(space);
        var error = await Assert.ThrowsAsync<AddressReservedException>(
            async () => await Store.AllocateAsync(AddressRequest.Specific(space, subnet, A("10.0.1.1"), "vm"), T0, None));
        Assert.Equal(A("10.0.1.1"), error.Address);
        Assert.Equal(subnet, error.Subnet);
        Assert.Contains("gateway", error.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(space));
    }

    [SkippableFact]
    public async Task A_specific_excluded_address_throws_AddressReservedException_naming_the_range()
    {
        string space = await SpaceAsync();
        var subnet = await Store.CarveSubnetAsync(
            SubnetRequest.Explicit(space, P("10.0.1.0/24")) with { Exclusions = [Ipv4AddressRange.Parse("10.0.1.2-10.0.1.9")] }, T0, None);
        var error = await Assert.ThrowsAsync<AddressReservedException>(
            async () => await Store.AllocateAsync(AddressRequest.Specific(space, subnet.Prefix, A("10.0.1.5"), "vm"), T0, None));
        Assert.Contains("10.0.1.2-10.0.1.9", error.Reason, StringComparison.Ordinal);
        Assert.Equal(A("10.0.1.10"), (await NextAsync(space, subnet.Prefix, "vm")).Address);
    }

    [SkippableFact]
    public async Task A_specific_address_outside_the_subnet_throws_AddressOutsideSubnetException()
    {
        var (space, subnet) = await SubnetAsync();
        string before = await SnapshotAsync(space);
        var error = await Assert.ThrowsAsync<AddressOutsideSubnetException>(
            async () => await Store.AllocateAsync(AddressRequest.Specific(space, subnet, A("10.0.2.7"), "vm"), T0, None));
        Assert.Equal(A("10.0.2.7"), error.Address);
        Assert.Equal(subnet, error.Subnet);
        Assert.Equal(before, await SnapshotAsync(space));
    }

    [SkippableFact]
    public async Task A_specific_address_held_by_another_owner_throws_AddressInUseException()
    {
        var (space, subnet) = await SubnetAsync();
        var first = await Store.AllocateAsync(AddressRequest.Specific(space, subnet, A("10.0.1.7"), "vm-a"), T0, None);
        Assert.True(first.IsNew);
        string before = await SnapshotAsync(space);
        var error = await Assert.ThrowsAsync<AddressInUseException>(
            async () => await Store.AllocateAsync(AddressRequest.Specific(space, subnet, A("10.0.1.7"), "vm-b"), T0, None));
        Assert.Equal("vm-a", error.Current.Owner);
        Assert.Equal("vm-b", error.RequestedOwner);
        Assert.Equal(A("10.0.1.7"), error.Address);
        Assert.Equal(before, await SnapshotAsync(space));

        var again = await Store.AllocateAsync(AddressRequest.Specific(space, subnet, A("10.0.1.7"), "vm-a"), T0.AddSeconds(5), None);
        Assert.False(again.IsNew);
        Assert.Equal(first.Allocation, again.Allocation);
    }

    [SkippableFact]
    public async Task An_exhausted_subnet_throws_SubnetExhaustedException_naming_it()
    {
        var (space, subnet) = await SubnetAsync("10.0.1.0/30");
        await NextAsync(space, subnet, "only");
        string before = await SnapshotAsync(space);
        var error = await Assert.ThrowsAsync<SubnetExhaustedException>(async () => await NextAsync(space, subnet, "more"));
        Assert.Equal(subnet, error.Subnet);
        Assert.Equal(space, error.Space);
        Assert.Contains("10.0.1.0/30", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SubnetExhaustedException>(
            async () => await Store.AllocateAsync(AddressRequest.Random(space, subnet, "more"), T0, None));
        Assert.Equal(before, await SnapshotAsync(space));
    }

    [SkippableFact]
    public async Task An_unknown_subnet_throws_SubnetNotFoundException()
    {
        string space = await SpaceAsync();
        var error = await Assert.ThrowsAsync<SubnetNotFoundException>(async () => await NextAsync(space, P("10.0.9.0/24"), "vm"));
        Assert.Equal(P("10.0.9.0/24"), error.Subnet);
        await Assert.ThrowsAsync<SubnetNotFoundException>(async () => await Store.ReleaseSubnetAsync(space, P("10.0.9.0/24"), false, None));
        Assert.Null(await Store.GetSubnetAsync(space, P("10.0.9.0/24"), None));
    }

    [SkippableFact]
    public async Task The_same_owner_and_request_key_get_the_same_address_back()
    {
        var (space, subnet) = await SubnetAsync();
        var request = AddressRequest.NextFree(space, subnet, "port-1") with
        {
            RequestKey = "create-port-1",
            Metadata = new Dictionary<string, string> { ["vm"] = "web-1" },
        };
        var first = await Store.AllocateAsync(request, T0, None);
        var retry = await Store.AllocateAsync(request, T0.AddSeconds(1), None);
        var otherKey = await Store.AllocateAsync(request with { RequestKey = "create-port-1b" }, T0, None);
        var otherOwner = await Store.AllocateAsync(AddressRequest.NextFree(space, subnet, "port-2") with { RequestKey = "create-port-1" }, T0, None);

        Assert.True(first.IsNew);
        Assert.False(retry.IsNew);
        Assert.Equal(first.Allocation, retry.Allocation);
        Assert.Equal("web-1", retry.Allocation.Metadata["vm"]);
        Assert.Equal("create-port-1", retry.Allocation.RequestKey);
        Assert.NotEqual(first.Allocation.Address, otherKey.Allocation.Address);
        Assert.NotEqual(first.Allocation.Address, otherOwner.Allocation.Address);
        Assert.Equal(3UL, (await Store.GetSubnetUtilizationAsync(space, subnet, T0, None)).Allocated);
    }

    [SkippableFact]
    public async Task Allocations_are_found_by_address_and_by_owner()
    {
        var (space, subnet) = await SubnetAsync();
        var a = await NextAsync(space, subnet, "port-1");
        var b = await NextAsync(space, subnet, "port-1");
        var c = await NextAsync(space, subnet, "port-2");

        Assert.Equal(a, await Store.FindByAddressAsync(space, a.Address, None));
        Assert.Null(await Store.FindByAddressAsync(space, A("10.0.1.200"), None));
        Assert.Null(await Store.FindByAddressAsync(space, A("192.0.2.1"), None));
        Assert.Equal([a, b], await Store.FindByOwnerAsync(space, "port-1", None));
        Assert.Equal([c], await Store.FindByOwnerAsync(space, "port-2", None));
        Assert.Empty(await Store.FindByOwnerAsync(space, "port-3", None));
        Assert.Equal([a, b, c], await Store.ListAllocationsAsync(space, subnet, None));
    }

    [SkippableFact]
    public async Task A_release_by_another_owner_throws_AddressInUseException_and_keeps_the_allocation()
    {
        var (space, subnet) = await SubnetAsync();
        var a = await NextAsync(space, subnet, "port-1");
        await Assert.ThrowsAsync<AddressInUseException>(async () => await Store.ReleaseAsync(space, a.Address, "port-2", T0, None));
        Assert.Equal(a, await Store.FindByAddressAsync(space, a.Address, None));
        Assert.Equal(a, await Store.ReleaseAsync(space, a.Address, "port-1", T0, None));
        Assert.Null(await Store.FindByAddressAsync(space, a.Address, None));
        Assert.Null(await Store.ReleaseAsync(space, a.Address, null, T0, None));
    }

    [SkippableFact]
    public async Task Releasing_an_owner_releases_all_its_addresses()
    {
        var (space, subnet) = await SubnetAsync();
        var a = await NextAsync(space, subnet, "port-1");
        var b = await NextAsync(space, subnet, "port-2");
        var c = await NextAsync(space, subnet, "port-1");
        Assert.Equal([a, c], await Store.ReleaseOwnerAsync(space, "port-1", T0, None));
        Assert.Equal([b], await Store.ListAllocationsAsync(space, subnet, None));
        Assert.Empty(await Store.ReleaseOwnerAsync(space, "port-1", T0, None));
    }

    [SkippableFact]
    public async Task A_released_request_key_allocates_anew()
    {
        var (space, subnet) = await SubnetAsync();
        var request = AddressRequest.NextFree(space, subnet, "port-1") with { RequestKey = "k" };
        var first = await Store.AllocateAsync(request, T0, None);
        await Store.ReleaseAsync(space, first.Allocation.Address, null, T0, None);
        var second = await Store.AllocateAsync(request, T0, None);
        Assert.True(second.IsNew);
        Assert.NotEqual(first.Allocation.Address, second.Allocation.Address);
    }

    [SkippableFact]
    public async Task A_released_address_is_held_until_the_reuse_hold_ends()
    {
        var (space, subnet) = await SubnetAsync("10.0.1.0/29", reuseHold: TimeSpan.FromMinutes(1));
        var all = new List<Ipv4Address>();
        for (int i = 0; i < 5; i++)
        {
            all.Add((await NextAsync(space, subnet, $"vm-{i}")).Address);
        }

        await Store.ReleaseAsync(space, all[2], null, T0, None);
        var held = await Store.GetSubnetUtilizationAsync(space, subnet, T0.AddSeconds(59), None);
        Assert.Equal(new IpamUtilization(8, 8, 3, 4, 1), held);
        await Assert.ThrowsAsync<SubnetExhaustedException>(async () => await NextAsync(space, subnet, "new", T0.AddSeconds(59)));
        await Assert.ThrowsAsync<SubnetExhaustedException>(
            async () => await Store.AllocateAsync(AddressRequest.Random(space, subnet, "new"), T0.AddSeconds(59), None));

        Assert.Equal(all[2], (await NextAsync(space, subnet, "new", T0.AddSeconds(60))).Address);
        Assert.Equal(new IpamUtilization(8, 8, 3, 5, 0), await Store.GetSubnetUtilizationAsync(space, subnet, T0.AddSeconds(60), None));
    }

    [SkippableFact]
    public async Task A_specific_request_may_take_an_address_in_its_reuse_hold()
    {
        var (space, subnet) = await SubnetAsync(reuseHold: TimeSpan.FromHours(1));
        var a = await NextAsync(space, subnet, "vm-1");
        await Store.ReleaseAsync(space, a.Address, null, T0, None);
        var again = await Store.AllocateAsync(AddressRequest.Specific(space, subnet, a.Address, "vm-1"), T0.AddSeconds(1), None);
        Assert.True(again.IsNew);
        Assert.Equal(0UL, (await Store.GetSubnetUtilizationAsync(space, subnet, T0.AddSeconds(1), None)).Held);
        // Released again: the new hold counts from the second release, not the first.
        await Store.ReleaseAsync(space, a.Address, null, T0.AddMinutes(30), None);
        var later = await Store.GetSubnetUtilizationAsync(space, subnet, T0.AddMinutes(61), None);
        Assert.Equal(1UL, later.Held);
        Assert.Equal(0UL, (await Store.GetSubnetUtilizationAsync(space, subnet, T0.AddMinutes(90), None)).Held);
    }

    [SkippableFact]
    public async Task Utilization_of_subnet_pool_and_space_is_exact()
    {
        string space = NewSpaceName();
        await Store.CreateSpaceAsync(new AddressSpace(space, [P("10.0.0.0/16"), P("10.1.0.0/24")]) { ReuseHold = TimeSpan.FromMinutes(1) }, None);
        var web = await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P("10.0.0.0/24")), T0, None);
        var db = await Store.CarveSubnetAsync(
            SubnetRequest.Explicit(space, P("10.1.0.0/26")) with { ReservedAddresses = ReservedAddressPolicy.Ovn, Exclusions = [Ipv4AddressRange.Parse("10.1.0.10-10.1.0.14")] },
            T0, None);
        for (int i = 0; i < 10; i++)
        {
            await NextAsync(space, web.Prefix, $"web-{i}");
        }

        var dbAddress = await NextAsync(space, db.Prefix, "db");
        await Store.ReleaseAsync(space, dbAddress.Address, null, T0, None);
        await NextAsync(space, db.Prefix, "db");

        Assert.Equal(new IpamUtilization(256, 256, 3, 10, 0), await Store.GetSubnetUtilizationAsync(space, web.Prefix, T0, None));
        Assert.Equal(new IpamUtilization(64, 64, 2 + 5, 1, 1), await Store.GetSubnetUtilizationAsync(space, db.Prefix, T0, None));
        Assert.Equal(new IpamUtilization(65536, 256, 3, 10, 0), await Store.GetPoolUtilizationAsync(space, P("10.0.0.0/16"), T0, None));
        Assert.Equal(new IpamUtilization(256, 64, 7, 1, 1), await Store.GetPoolUtilizationAsync(space, P("10.1.0.0/24"), T0, None));
        var total = await Store.GetSpaceUtilizationAsync(space, T0, None);
        Assert.Equal(new IpamUtilization(65536 + 256, 320, 10, 11, 1), total);
        Assert.Equal(total.Size, total.Free + total.Used);
        Assert.Equal(0UL, (await Store.GetSpaceUtilizationAsync(space, T0.AddMinutes(1), None)).Held);
        await Assert.ThrowsAsync<PrefixOutsidePoolsException>(async () => await Store.GetPoolUtilizationAsync(space, P("10.2.0.0/16"), T0, None));
    }

    [SkippableFact]
    public async Task A_subnet_with_allocations_is_released_only_with_force_and_its_space_merges_back()
    {
        string space = NewSpaceName();
        await Store.CreateSpaceAsync(new AddressSpace(space, [P("10.0.0.0/23")]), None);
        var a = await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24), T0, None);
        var b = await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24), T0, None);
        var vm = await NextAsync(space, a.Prefix, "vm");
        string before = await SnapshotAsync(space);

        var error = await Assert.ThrowsAsync<SubnetNotEmptyException>(async () => await Store.ReleaseSubnetAsync(space, a.Prefix, false, None));
        Assert.Equal(a.Prefix, error.Subnet);
        Assert.Equal(1UL, error.Allocated);
        Assert.Equal(before, await SnapshotAsync(space));

        Assert.Equal([vm], await Store.ReleaseSubnetAsync(space, a.Prefix, true, None));
        Assert.Empty(await Store.ReleaseSubnetAsync(space, b.Prefix, false, None));
        Assert.Empty(await Store.ListSubnetsAsync(space, None));
        Assert.Null(await Store.FindByAddressAsync(space, vm.Address, None));
        Assert.Empty(await Store.FindByOwnerAsync(space, "vm", None));
        Assert.Equal(new IpamUtilization(512, 0, 0, 0, 0), await Store.GetSpaceUtilizationAsync(space, T0, None));
        // The two /24s merged back into the whole /23.
        Assert.Equal(P("10.0.0.0/23"), (await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 23), T0, None)).Prefix);
    }

    [SkippableFact]
    public async Task Random_allocation_returns_distinct_free_addresses_inside_the_subnet()
    {
        var (space, subnet) = await SubnetAsync("10.0.1.0/27");
        var seen = new HashSet<Ipv4Address>();
        for (int i = 0; i < 29; i++)
        {
            var allocation = (await Store.AllocateAsync(AddressRequest.Random(space, subnet, $"vm-{i}"), T0, None)).Allocation;
            Assert.True(subnet.Contains(allocation.Address));
            Assert.NotEqual(A("10.0.1.0"), allocation.Address);
            Assert.NotEqual(A("10.0.1.1"), allocation.Address);
            Assert.NotEqual(A("10.0.1.31"), allocation.Address);
            Assert.True(seen.Add(allocation.Address));
        }

        await Assert.ThrowsAsync<SubnetExhaustedException>(
            async () => await Store.AllocateAsync(AddressRequest.Random(space, subnet, "one-more"), T0, None));
    }

    [SkippableFact]
    public async Task Subnets_are_listed_in_address_order()
    {
        string space = await SpaceAsync();
        await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P("10.0.200.0/24")), T0, None);
        await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24), T0, None);
        await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P("10.0.16.0/20")), T0, None);
        var listed = (await Store.ListSubnetsAsync(space, None)).Select(s => s.Prefix).ToList();
        // The next free /24 is the buddy of 10.0.200.0/24: the smallest hole, not the lowest address.
        Assert.Equal([P("10.0.16.0/20"), P("10.0.200.0/24"), P("10.0.201.0/24")], listed);
    }

    [SkippableFact]
    public async Task A_cancelled_token_throws_OperationCanceledException_and_changes_nothing()
    {
        var (space, subnet) = await SubnetAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await Store.AllocateAsync(AddressRequest.NextFree(space, subnet, "vm"), T0, cancelled.Token));
        Assert.Empty(await Store.ListAllocationsAsync(space, subnet, None));
    }
}
