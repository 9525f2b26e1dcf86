using System.Collections.Concurrent;

namespace CloudTemple.Networking.Ipam.Tests.Concurrency;

public class ConcurrentAllocationTests
{
    [Fact]
    public async Task Many_threads_allocating_and_releasing_at_once_never_get_the_same_address()
    {
        using var ipam = new IpamService(new InMemoryIpamStore(), new IpamOptions { ReuseHold = TimeSpan.Zero });
        await ipam.CreateSpaceAsync("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]);
        // A small subnet, so that threads fight over the same few addresses and reuse them constantly.
        var subnet = (await ipam.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Ipv4Prefix.Parse("10.0.1.0/26")))).Prefix;
        var holders = new ConcurrentDictionary<Ipv4Address, int>();
        int duplicates = 0;
        int exhausted = 0;
        int threads = Math.Max(4, Environment.ProcessorCount * 2);
        using var start = new Barrier(threads);

        var workers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                var random = new Random(t);
                var mine = new List<Ipv4Address>();
                start.SignalAndWait();
                for (int i = 0; i < 5_000; i++)
                {
                    if (mine.Count > 0 && random.Next(3) == 0)
                    {
                        var address = mine[random.Next(mine.Count)];
                        mine.Remove(address);
                        // Forget it before releasing: once released, another thread may get it at once.
                        holders.TryRemove(address, out _);
                        ipam.ReleaseAsync("vpc", address, $"t{t}").Sync();
                        continue;
                    }

                    try
                    {
                        var request = random.Next(3) switch
                        {
                            0 => AddressRequest.NextFree("vpc", subnet, $"t{t}"),
                            1 => AddressRequest.Random("vpc", subnet, $"t{t}"),
                            _ => AddressRequest.Specific("vpc", subnet, new Ipv4Address(subnet.Network.Value + 2 + (uint)random.Next(61)), $"t{t}"),
                        };
                        var allocation = ipam.AllocateAsync(request).Sync();
                        if (mine.Contains(allocation.Address))
                        {
                            continue; // a specific request for an address this thread holds returns it again
                        }

                        if (!holders.TryAdd(allocation.Address, t))
                        {
                            Interlocked.Increment(ref duplicates);
                        }

                        mine.Add(allocation.Address);
                    }
                    catch (SubnetExhaustedException)
                    {
                        Interlocked.Increment(ref exhausted);
                    }
                    catch (AddressInUseException)
                    {
                    }
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);

        Assert.Equal(0, duplicates);
        var allocations = await ipam.ListAllocationsAsync("vpc", subnet);
        Assert.Equal(holders.Count, allocations.Count);
        Assert.All(allocations, a => Assert.Equal($"t{holders[a.Address]}", a.Owner));
        var usage = await ipam.GetSubnetUtilizationAsync("vpc", subnet);
        Assert.Equal((ulong)allocations.Count, usage.Allocated);
        Assert.Equal(usage.Size, usage.Free + usage.Used);
    }

    [Fact]
    public async Task Concurrent_carves_in_one_space_never_overlap()
    {
        var store = new InMemoryIpamStore();
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        var carved = new ConcurrentBag<Ipv4Prefix>();
        await Parallel.ForAsync(0, 512, async (i, ct) =>
        {
            try
            {
                carved.Add((await store.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24 + (i % 5)), DateTimeOffset.UnixEpoch, ct)).Prefix);
            }
            catch (PoolExhaustedException)
            {
            }
        });

        var all = carved.ToList();
        Assert.All(all, a => Assert.Single(all, b => a.Overlaps(b)));
        Assert.Equal((ulong)all.Sum(p => (long)p.Count), (await store.GetSpaceUtilizationAsync("vpc", DateTimeOffset.UnixEpoch, default)).Carved);
    }
}
