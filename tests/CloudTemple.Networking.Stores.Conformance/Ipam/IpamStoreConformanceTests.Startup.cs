namespace CloudTemple.Networking.Stores.Conformance.Ipam;

/// <summary>Start-up that can run twice: ensuring spaces, request keys on subnets, unique subnet names and the lookup by name.</summary>
public abstract partial class IpamStoreConformanceTests
{
    [SkippableFact]
    public async Task Ensuring_a_space_creates_it_once_and_returns_the_stored_definition_after()
    {
        var definition = new AddressSpace(NewSpaceName(), [P("10.0.0.0/16"), P("10.1.0.0/16")])
        {
            ReuseHold = TimeSpan.FromMinutes(5),
            DefaultReservedAddresses = ReservedAddressPolicy.Aws,
        };

        var created = await Store.EnsureSpaceAsync(definition, None);
        await Store.CarveSubnetAsync(SubnetRequest.Explicit(definition.Name, P("10.0.1.0/24")), T0, None);
        var again = await Store.EnsureSpaceAsync(definition with { }, None);

        Assert.Equal(definition, created);
        Assert.Equal(definition, again);
        Assert.Equal(definition, await Store.GetSpaceAsync(definition.Name, None));
        Assert.Single(await Store.ListSubnetsAsync(definition.Name, None));
    }

    [SkippableFact]
    public async Task Ensuring_a_space_that_exists_with_another_definition_is_refused_naming_each_difference()
    {
        string space = await SpaceAsync(reuseHold: TimeSpan.FromSeconds(30));
        var wanted = new AddressSpace(space, [P("10.9.0.0/16")]) { ReuseHold = TimeSpan.FromSeconds(60) };

        var error = await Assert.ThrowsAsync<AddressSpaceConflictException>(async () => await Store.EnsureSpaceAsync(wanted, None));

        Assert.Equal(space, error.Space);
        Assert.Equal(2, error.Difference.Count);
        Assert.Contains("pools 10.0.0.0/16 stored, 10.9.0.0/16 requested", error.Message, StringComparison.Ordinal);
        Assert.Contains("reuse hold 00:00:30 stored, 00:01:00 requested", error.Message, StringComparison.Ordinal);
        Assert.Equal([P("10.0.0.0/16")], (await Store.GetSpaceAsync(space, None))!.Pools);
        var policy = await Assert.ThrowsAsync<AddressSpaceConflictException>(async () => await Store.EnsureSpaceAsync(
            new AddressSpace(space, [P("10.0.0.0/16")]) { ReuseHold = TimeSpan.FromSeconds(30), DefaultReservedAddresses = ReservedAddressPolicy.Ovn }, None));
        Assert.Contains("default reserved addresses (none) stored, Ovn (1 + 1) requested", policy.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Ensuring_a_space_with_overlapping_pools_is_refused_and_creates_nothing()
    {
        string name = NewSpaceName();
        await Assert.ThrowsAsync<PrefixOverlapException>(
            async () => await Store.EnsureSpaceAsync(new AddressSpace(name, [P("10.0.0.0/16"), P("10.0.1.0/24")]), None));
        Assert.Null(await Store.GetSpaceAsync(name, None));
    }

    [SkippableFact]
    public async Task Hosts_ensuring_one_space_at_once_all_get_the_one_space()
    {
        var definition = new AddressSpace(NewSpaceName(), [P("10.0.0.0/16")]) { ReuseHold = TimeSpan.FromSeconds(10) };

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await Store.EnsureSpaceAsync(definition, None))));

        Assert.All(results, r => Assert.Equal(definition, r));
        Assert.Single(await Store.ListSpacesAsync(None), s => s.Name == definition.Name);
    }

    [SkippableFact]
    public async Task Carving_the_next_subnet_twice_under_one_request_key_returns_the_same_subnet_and_changes_nothing()
    {
        string space = await SpaceAsync();
        var request = SubnetRequest.NextFree(space, 24) with { Name = "web", RequestKey = "the next /24 for web" };

        var first = await Store.CarveSubnetAsync(request, T0, None);
        string before = await SnapshotAsync(space);
        var second = await Store.CarveSubnetAsync(request, T0.AddHours(1), None);

        Assert.Equal(first, second);
        Assert.Equal("the next /24 for web", second.RequestKey);
        Assert.Equal(T0, second.CarvedAt);
        Assert.Equal(before, await SnapshotAsync(space));
        Assert.Equal(first, await Store.GetSubnetAsync(space, first.Prefix, None));
        var other = await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24) with { RequestKey = "db" }, T0, None);
        Assert.NotEqual(first.Prefix, other.Prefix);
    }

    [SkippableFact]
    public async Task A_request_key_reused_for_another_request_is_refused_naming_the_subnet_it_carved()
    {
        string space = await SpaceAsync();
        var first = await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24) with { RequestKey = "web" }, T0, None);
        string before = await SnapshotAsync(space);

        var error = await Assert.ThrowsAsync<ArgumentException>(
            async () => await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 25) with { RequestKey = "web" }, T0, None));

        Assert.Contains(first.Prefix.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("next free /25", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(space));
    }

    [SkippableFact]
    public async Task A_released_subnet_frees_its_request_key_and_its_name()
    {
        string space = await SpaceAsync();
        var request = SubnetRequest.Explicit(space, P("10.0.7.0/24")) with { Name = "web", RequestKey = "web" };
        await Store.CarveSubnetAsync(request, T0, None);
        await Store.ReleaseSubnetAsync(space, P("10.0.7.0/24"), force: false, None);

        var again = await Store.CarveSubnetAsync(request, T0.AddMinutes(1), None);

        Assert.Equal(T0.AddMinutes(1), again.CarvedAt);
        Assert.Equal(again, await Store.GetSubnetByNameAsync(space, "web", None));
    }

    [SkippableFact]
    public async Task Carvers_racing_with_one_request_key_get_one_subnet()
    {
        string space = await SpaceAsync();
        var request = SubnetRequest.NextFree(space, 26) with { Name = "web", RequestKey = "web" };

        var carved = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await Store.CarveSubnetAsync(request, T0, None))));

        Assert.Single(carved.Select(s => s.Prefix).Distinct());
        Assert.Single(await Store.ListSubnetsAsync(space, None));
        Assert.Equal(64UL, (await Store.GetSpaceUtilizationAsync(space, T0, None)).Carved);
    }

    [SkippableFact]
    public async Task A_subnet_name_in_use_in_the_space_is_refused_naming_both_subnets()
    {
        string space = await SpaceAsync();
        await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P("10.0.1.0/24")) with { Name = "web" }, T0, None);
        string before = await SnapshotAsync(space);

        var explicitError = await Assert.ThrowsAsync<SubnetNameInUseException>(
            async () => await Store.CarveSubnetAsync(SubnetRequest.Explicit(space, P("10.0.2.0/24")) with { Name = "web" }, T0, None));
        var nextError = await Assert.ThrowsAsync<SubnetNameInUseException>(
            async () => await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24) with { Name = "web" }, T0, None));

        Assert.Equal(("web", P("10.0.1.0/24"), P("10.0.2.0/24")), (explicitError.Name, explicitError.Existing, explicitError.Requested));
        Assert.Contains("10.0.1.0/24", explicitError.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.2.0/24", explicitError.Message, StringComparison.Ordinal);
        Assert.Equal(P("10.0.1.0/24"), nextError.Existing);
        Assert.Equal(before, await SnapshotAsync(space));

        // Names are per space, optional, and case-sensitive.
        string other = await SpaceAsync();
        await Store.CarveSubnetAsync(SubnetRequest.Explicit(other, P("10.0.1.0/24")) with { Name = "web" }, T0, None);
        await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24), T0, None);
        await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24), T0, None);
        await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24) with { Name = "Web" }, T0, None);
        Assert.Equal(4, (await Store.ListSubnetsAsync(space, None)).Count);
    }

    [SkippableFact]
    public async Task A_subnet_is_found_by_its_name()
    {
        string space = await SpaceAsync();
        var web = await Store.CarveSubnetAsync(
            SubnetRequest.NextFree(space, 24) with { Name = "prod-web", Exclusions = [], ReservedAddresses = ReservedAddressPolicy.Aws }, T0, None);
        await Store.CarveSubnetAsync(SubnetRequest.NextFree(space, 24) with { Name = "prod-db" }, T0, None);

        Assert.Equal(web, await Store.GetSubnetByNameAsync(space, "prod-web", None));
        Assert.Null(await Store.GetSubnetByNameAsync(space, "prod-WEB", None));
        Assert.Null(await Store.GetSubnetByNameAsync(space, "missing", None));
        await Assert.ThrowsAsync<AddressSpaceNotFoundException>(async () => await Store.GetSubnetByNameAsync(NewSpaceName(), "prod-web", None));
    }
}
