using FsCheck.Xunit;

namespace CloudTemple.Networking.Ipam.Tests.Properties;

/// <summary>The IPAM invariants, on random subnets, policies, exclusions and operation sequences.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 300)]
public class AllocationProperties
{
    private const string Space = "vpc";
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static (InMemoryIpamStore Store, Subnet Subnet) StoreWith(SubnetCase subnet, TimeSpan reuseHold = default)
    {
        var store = new InMemoryIpamStore();
        store.CreateSpaceAsync(new AddressSpace(Space, [Ipv4Prefix.Parse("10.0.0.0/16")]) { ReuseHold = reuseHold }, default).Sync();
        var request = SubnetRequest.Explicit(Space, subnet.Prefix) with { ReservedAddresses = subnet.Policy, Exclusions = subnet.Exclusions };
        return (store, store.CarveSubnetAsync(request, T0, default).Sync());
    }

    private static AddressRequest RequestFor(Subnet subnet, Operation op)
    {
        string owner = $"owner-{op.Z % 7}";
        return (op.Y % 3) switch
        {
            0 => AddressRequest.NextFree(Space, subnet.Prefix, owner),
            1 => AddressRequest.Random(Space, subnet.Prefix, owner),
            _ => AddressRequest.Specific(Space, subnet.Prefix, new Ipv4Address(subnet.Prefix.Network.Value + (uint)(op.X % (int)subnet.Prefix.Count)), owner),
        };
    }

    // Runs random allocations and releases, calling check after each step.
    private static void RunSteps(InMemoryIpamStore store, Subnet subnet, Operation[] operations, Action check)
    {
        var now = T0;
        foreach (var op in operations)
        {
            now = now.AddSeconds(op.Kind % 7);
            try
            {
                if (op.Kind < 65)
                {
                    store.AllocateAsync(RequestFor(subnet, op), now, default).Sync();
                }
                else
                {
                    var held = store.ListAllocationsAsync(Space, subnet.Prefix, default).Sync();
                    if (held.Count > 0)
                    {
                        store.ReleaseAsync(Space, held[op.X % held.Count].Address, null, now, default).Sync();
                    }
                }
            }
            catch (IpamException)
            {
                // Refusals (exhausted, reserved, in use) are expected; the invariants must hold anyway.
            }

            check();
        }
    }

    [Property]
    public void No_address_is_held_twice_and_every_allocation_is_inside_its_subnet_outside_reserved_and_excluded(SubnetCase subnetCase, Operation[] operations)
    {
        var (store, subnet) = StoreWith(subnetCase, TimeSpan.FromSeconds(10));
        RunSteps(store, subnet, operations, () =>
        {
            var allocations = store.ListAllocationsAsync(Space, subnet.Prefix, default).Sync();
            Assert.Equal(allocations.Count, allocations.Select(a => a.Address).Distinct().Count());
            Assert.All(allocations, a =>
            {
                Assert.True(subnet.Prefix.Contains(a.Address), $"{a.Address} outside {subnet.Prefix}");
                Assert.False(subnet.IsReservedOrExcluded(a.Address), $"{a.Address} is reserved or excluded in {subnetCase}");
            });
        });
    }

    [Property]
    public void Free_plus_used_is_the_size_and_the_counts_match_what_can_be_allocated(SubnetCase subnetCase, Operation[] operations)
    {
        var (store, subnet) = StoreWith(subnetCase);
        RunSteps(store, subnet, operations, () =>
        {
            var usage = store.GetSubnetUtilizationAsync(Space, subnet.Prefix, T0.AddYears(1), default).Sync();
            Assert.Equal(usage.Size, usage.Free + usage.Used);
            Assert.Equal(subnet.Prefix.Count, usage.Size);
            Assert.Equal((ulong)store.ListAllocationsAsync(Space, subnet.Prefix, default).Sync().Count, usage.Allocated);
            ulong reserved = (ulong)Enumerable.Range(0, (int)subnet.Prefix.Count)
                .Count(i => subnet.IsReservedOrExcluded(new Ipv4Address(subnet.Prefix.Network.Value + (uint)i)));
            Assert.Equal(reserved, usage.Reserved);
        });

        // Available is exactly how many more addresses can be had.
        ulong available = store.GetSubnetUtilizationAsync(Space, subnet.Prefix, T0.AddYears(1), default).Sync().Available;
        ulong taken = 0;
        while (true)
        {
            try
            {
                store.AllocateAsync(AddressRequest.NextFree(Space, subnet.Prefix, "filler"), T0.AddYears(1), default).Sync();
                taken++;
            }
            catch (SubnetExhaustedException)
            {
                break;
            }
        }

        Assert.Equal(available, taken);
    }

    [Property]
    public void Release_then_allocate_all_gives_back_exactly_the_freed_set(SubnetCase subnetCase, Operation[] operations)
    {
        var (store, subnet) = StoreWith(subnetCase);
        var all = new List<Ipv4Address>();
        try
        {
            while (true)
            {
                all.Add(store.AllocateAsync(AddressRequest.NextFree(Space, subnet.Prefix, "first"), T0, default).Sync().Allocation.Address);
            }
        }
        catch (SubnetExhaustedException)
        {
        }

        var freed = new HashSet<Ipv4Address>();
        foreach (var op in operations)
        {
            if (all.Count > 0 && freed.Add(all[op.X % all.Count]))
            {
                store.ReleaseAsync(Space, all[op.X % all.Count], "first", T0, default).Sync();
            }
        }

        var again = new HashSet<Ipv4Address>();
        int i = 0;
        try
        {
            while (true)
            {
                var request = i++ % 2 == 0
                    ? AddressRequest.NextFree(Space, subnet.Prefix, "second")
                    : AddressRequest.Random(Space, subnet.Prefix, "second");
                Assert.True(again.Add(store.AllocateAsync(request, T0, default).Sync().Allocation.Address));
            }
        }
        catch (SubnetExhaustedException)
        {
        }

        Assert.Equal(freed.Order(), again.Order());
    }

    [Property]
    public void Carved_subnets_never_overlap_and_stay_inside_their_pool(Operation[] operations)
    {
        var store = new InMemoryIpamStore();
        var pools = new[] { Ipv4Prefix.Parse("10.0.0.0/20"), Ipv4Prefix.Parse("192.168.0.0/22") };
        store.CreateSpaceAsync(new AddressSpace(Space, pools), default).Sync();
        foreach (var op in operations)
        {
            int length = 20 + (op.X % 11);
            try
            {
                if (op.Kind < 40)
                {
                    store.CarveSubnetAsync(SubnetRequest.NextFree(Space, length) with { ReservedAddresses = ReservedAddressPolicy.None }, T0, default).Sync();
                }
                else if (op.Kind < 80)
                {
                    var pool = pools[op.Z % 2];
                    var prefix = Ipv4Prefix.Containing(new Ipv4Address(pool.Network.Value + (uint)(op.Y * 8)), length);
                    store.CarveSubnetAsync(SubnetRequest.Explicit(Space, prefix) with { ReservedAddresses = ReservedAddressPolicy.None }, T0, default).Sync();
                }
                else
                {
                    var subnets = store.ListSubnetsAsync(Space, default).Sync();
                    if (subnets.Count > 0)
                    {
                        store.ReleaseSubnetAsync(Space, subnets[op.Y % subnets.Count].Prefix, false, default).Sync();
                    }
                }
            }
            catch (Exception error) when (error is PrefixOverlapException or PrefixOutsidePoolsException or PoolExhaustedException)
            {
            }

            var carved = store.ListSubnetsAsync(Space, default).Sync();
            for (int a = 0; a < carved.Count; a++)
            {
                Assert.Contains(carved[a].Pool, pools);
                Assert.True(carved[a].Pool.Contains(carved[a].Prefix));
                for (int b = a + 1; b < carved.Count; b++)
                {
                    Assert.False(carved[a].Prefix.Overlaps(carved[b].Prefix), $"{carved[a].Prefix} overlaps {carved[b].Prefix}");
                }
            }

            ulong carvedSize = (ulong)carved.Sum(s => (long)s.Prefix.Count);
            Assert.Equal(carvedSize, store.GetSpaceUtilizationAsync(Space, T0, default).Sync().Carved);
        }
    }
}
