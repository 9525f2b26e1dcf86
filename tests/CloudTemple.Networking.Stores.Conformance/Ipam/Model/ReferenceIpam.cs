namespace CloudTemple.Networking.Stores.Conformance.Ipam.Model;

/// <summary>
/// A deliberately simple IPAM for one space with one pool: lists and dictionaries, every answer
/// found by scanning. Slow and obviously right; the store must give the same answers. Answers
/// are strings ("10.0.0.5 o1 k0 new", "error:SubnetExhaustedException") so that a mismatch reads well.
/// </summary>
internal sealed class ReferenceIpam
{
    public static readonly Ipv4Prefix Pool = Ipv4Prefix.Parse("10.0.0.0/22");
    public static readonly TimeSpan Hold = TimeSpan.FromSeconds(60);

    private readonly List<ModelSubnet> _subnets = [];

    public IReadOnlyList<Ipv4Prefix> Subnets => [.. _subnets.Select(s => s.Prefix).Order()];

    public IEnumerable<Ipv4Address> AllocatedAddresses =>
        _subnets.SelectMany(s => s.Allocated.Keys).Order().Select(a => new Ipv4Address(a));

    public string CarveNextFree(int length, ReservedAddressPolicy policy)
    {
        if (TooSmall(length, policy))
        {
            return "error:ArgumentException";
        }

        // Every free /length with the length of the largest free aligned block around it; the
        // largest such length (the smallest hole) wins, then the lowest address.
        Ipv4Prefix? best = null;
        int bestHole = -1;
        foreach (var candidate in Pool.Subnets(length))
        {
            if (Overlapping(candidate) is not null)
            {
                continue;
            }

            int hole = length;
            while (hole > Pool.Length && Overlapping(candidate.Supernet(hole - 1)) is null)
            {
                hole--;
            }

            if (hole > bestHole)
            {
                best = candidate;
                bestHole = hole;
            }
        }

        if (best is not { } chosen)
        {
            return "error:PoolExhaustedException";
        }

        _subnets.Add(new ModelSubnet(chosen, policy, []));
        return chosen.ToString();
    }

    public string CarveExplicit(Ipv4Prefix prefix, ReservedAddressPolicy policy, Ipv4AddressRange[] exclusions)
    {
        if (TooSmall(prefix.Length, policy))
        {
            return "error:ArgumentException";
        }

        if (!Pool.Contains(prefix))
        {
            return "error:PrefixOutsidePoolsException";
        }

        if (exclusions.Any(r => !prefix.Contains(r.First) || !prefix.Contains(r.Last)))
        {
            return "error:AddressOutsideSubnetException";
        }

        if (Overlapping(prefix) is { } existing)
        {
            return $"error:PrefixOverlapException {existing}";
        }

        _subnets.Add(new ModelSubnet(prefix, policy, exclusions));
        return prefix.ToString();
    }

    public string ReleaseSubnet(Ipv4Prefix prefix, bool force)
    {
        var subnet = _subnets.Find(s => s.Prefix == prefix);
        if (subnet is null)
        {
            return "error:SubnetNotFoundException";
        }

        if (subnet.Allocated.Count > 0 && !force)
        {
            return "error:SubnetNotEmptyException";
        }

        _subnets.Remove(subnet);
        return Describe(subnet.Allocated.Keys.Order().Select(a => (a, subnet.Allocated[a])));
    }

    /// <summary>Allocates; for a random request, <paramref name="randomChoice"/> is the store's pick, which must be free.</summary>
    public string Allocate(Ipv4Prefix subnetPrefix, AllocationStrategy strategy, Ipv4Address specific, string owner, string? key, long now, Ipv4Address? randomChoice)
    {
        if (key is not null)
        {
            foreach (var s in _subnets)
            {
                foreach (var (address, holder) in s.Allocated)
                {
                    if (holder.Owner == owner && holder.Key == key)
                    {
                        return $"{new Ipv4Address(address)} {owner} {key} old";
                    }
                }
            }
        }

        var subnet = _subnets.Find(s => s.Prefix == subnetPrefix);
        if (subnet is null)
        {
            return "error:SubnetNotFoundException";
        }

        uint chosen;
        switch (strategy)
        {
            case AllocationStrategy.Specific:
                if (!subnet.Prefix.Contains(specific))
                {
                    return "error:AddressOutsideSubnetException";
                }

                if (subnet.Allocated.TryGetValue(specific.Value, out var holder))
                {
                    return holder.Owner == owner ? $"{specific} {owner} {holder.Key} old" : "error:AddressInUseException";
                }

                if (subnet.IsReserved(specific.Value))
                {
                    return "error:AddressReservedException";
                }

                subnet.HeldUntil.Remove(specific.Value);
                chosen = specific.Value;
                break;
            case AllocationStrategy.Random:
                if (!subnet.FreeAddresses(now).Any())
                {
                    return "error:SubnetExhaustedException";
                }

                if (randomChoice is not { } pick || !subnet.FreeAddresses(now).Contains(pick.Value))
                {
                    return $"random pick {randomChoice} is not free";
                }

                subnet.HeldUntil.Remove(pick.Value);
                chosen = pick.Value;
                break;
            default:
                var free = subnet.FreeAddresses(now).ToHashSet();
                if (free.Count == 0)
                {
                    return "error:SubnetExhaustedException";
                }

                ulong size = subnet.Prefix.Count;
                ulong offset = (ulong)subnet.Cursor % size;
                while (!free.Contains(subnet.Prefix.Network.Value + (uint)offset))
                {
                    offset = (offset + 1) % size;
                }

                chosen = subnet.Prefix.Network.Value + (uint)offset;
                subnet.HeldUntil.Remove(chosen);
                subnet.Cursor = (int)offset + 1;
                break;
        }

        subnet.Allocated[chosen] = (owner, key);
        return $"{new Ipv4Address(chosen)} {owner} {key} new";
    }

    public string Release(Ipv4Address address, string? owner, long now)
    {
        var subnet = _subnets.Find(s => s.Prefix.Contains(address));
        if (subnet is null || !subnet.Allocated.TryGetValue(address.Value, out var holder))
        {
            return "null";
        }

        if (owner is not null && owner != holder.Owner)
        {
            return "error:AddressInUseException";
        }

        subnet.Allocated.Remove(address.Value);
        subnet.HeldUntil[address.Value] = now + Hold.Ticks;
        return $"{address} {holder.Owner} {holder.Key}";
    }

    public string ReleaseOwner(string owner, long now)
    {
        var released = new List<(uint, (string, string?))>();
        foreach (var subnet in _subnets)
        {
            foreach (var (address, holder) in subnet.Allocated.Where(a => a.Value.Owner == owner).ToList())
            {
                subnet.Allocated.Remove(address);
                subnet.HeldUntil[address] = now + Hold.Ticks;
                released.Add((address, holder));
            }
        }

        return Describe(released.OrderBy(r => r.Item1));
    }

    public string FindByOwner(string owner) =>
        Describe(_subnets.SelectMany(s => s.Allocated).Where(a => a.Value.Owner == owner).OrderBy(a => a.Key).Select(a => (a.Key, a.Value)));

    public string FindByAddress(Ipv4Address address) =>
        _subnets.Find(s => s.Allocated.ContainsKey(address.Value)) is { } subnet
            ? $"{address} {subnet.Allocated[address.Value].Owner} {subnet.Allocated[address.Value].Key}"
            : "null";

    public string ListAllocations(Ipv4Prefix prefix) =>
        _subnets.Find(s => s.Prefix == prefix) is { } subnet
            ? Describe(subnet.Allocated.OrderBy(a => a.Key).Select(a => (a.Key, a.Value)))
            : "error:SubnetNotFoundException";

    public string SubnetUtilization(Ipv4Prefix prefix, long now) =>
        _subnets.Find(s => s.Prefix == prefix) is { } subnet
            ? Usage(subnet.Prefix.Count, [subnet], now).ToString()
            : "error:SubnetNotFoundException";

    public string PoolUtilization(long now) => Usage(Pool.Count, _subnets, now).ToString();

    private static IpamUtilization Usage(ulong size, IEnumerable<ModelSubnet> subnets, long now)
    {
        ulong carved = 0, reserved = 0, allocated = 0, held = 0;
        foreach (var s in subnets)
        {
            carved += s.Prefix.Count;
            reserved += (ulong)s.Addresses.Count(s.IsReserved);
            allocated += (ulong)s.Allocated.Count;
            held += (ulong)s.HeldUntil.Count(h => h.Value > now);
        }

        return new IpamUtilization(size, carved, reserved, allocated, held);
    }

    private static bool TooSmall(int length, ReservedAddressPolicy policy)
    {
        ulong size = 1UL << (32 - length);
        return size > 2 && size <= (ulong)(policy.ReservedAtStart + policy.ReservedAtEnd);
    }

    private Ipv4Prefix? Overlapping(Ipv4Prefix prefix) =>
        _subnets.Select(s => s.Prefix).Where(p => p.Overlaps(prefix)).Order().Cast<Ipv4Prefix?>().FirstOrDefault();

    private static string Describe(IEnumerable<(uint Address, (string Owner, string? Key) Holder)> allocations) =>
        "[" + string.Join(", ", allocations.Select(a => $"{new Ipv4Address(a.Address)} {a.Holder.Owner} {a.Holder.Key}")) + "]";

    private sealed class ModelSubnet(Ipv4Prefix prefix, ReservedAddressPolicy policy, Ipv4AddressRange[] exclusions)
    {
        public Ipv4Prefix Prefix { get; } = prefix;

        public int Cursor { get; set; }

        public Dictionary<uint, (string Owner, string? Key)> Allocated { get; } = [];

        public Dictionary<uint, long> HeldUntil { get; } = [];

        public IEnumerable<uint> Addresses => Enumerable.Range(0, (int)Prefix.Count).Select(i => Prefix.Network.Value + (uint)i);

        public bool IsReserved(uint address)
        {
            ulong size = Prefix.Count;
            ulong offset = address - Prefix.Network.Value;
            bool byPolicy = size > 2 && size > (ulong)(policy.ReservedAtStart + policy.ReservedAtEnd)
                && (offset < (ulong)policy.ReservedAtStart || offset >= size - (ulong)policy.ReservedAtEnd);
            return byPolicy || exclusions.Any(r => r.Contains(new Ipv4Address(address)));
        }

        public IEnumerable<uint> FreeAddresses(long now) =>
            Addresses.Where(a => !IsReserved(a) && !Allocated.ContainsKey(a) && !(HeldUntil.TryGetValue(a, out long until) && until > now));
    }
}
