namespace CloudTemple.Networking.Ipam;

/// <summary>
/// The carving and allocation rules that every <see cref="IIpamStore"/> applies, written once so that
/// the in-memory, SQLite and PostgreSQL stores cannot drift apart: where exclusions may lie, which
/// subnet a new prefix overlaps, which free block next-free carving takes, which free address
/// next-free allocation takes, and what a repeated request key must match. Each store finds the
/// candidates with its own index (a sorted set, an SQL index seek); the decision is made here.
/// For people writing a store; an application uses <see cref="IpamService"/> or a store.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class SubnetLayout
{
    /// <summary>Refuses a space definition that no store may keep: a negative reuse hold, or two pools that overlap.</summary>
    /// <param name="space">The definition.</param>
    /// <exception cref="ArgumentOutOfRangeException">The reuse hold is negative.</exception>
    /// <exception cref="PrefixOverlapException">Two pools overlap (both are named).</exception>
    public static void ThrowIfInvalid(AddressSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(space.ReuseHold, TimeSpan.Zero);
        for (int i = 0; i < space.Pools.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (space.Pools[i].Overlaps(space.Pools[j]))
                {
                    throw new PrefixOverlapException(space.Name, space.Pools[i], space.Pools[j], "pool");
                }
            }
        }
    }

    /// <summary>Refuses exclusion ranges that reach outside the subnet.</summary>
    /// <param name="subnet">The subnet's CIDR.</param>
    /// <param name="exclusions">The exclusion ranges.</param>
    /// <exception cref="AddressOutsideSubnetException">A range reaches outside (the exception names its first address outside).</exception>
    public static void ThrowIfExclusionsOutside(Ipv4Prefix subnet, IReadOnlyList<Ipv4AddressRange> exclusions)
    {
        ArgumentNullException.ThrowIfNull(exclusions);
        foreach (var range in exclusions)
        {
            if (!subnet.Contains(range.First) || !subnet.Contains(range.Last))
            {
                throw new AddressOutsideSubnetException(subnet.Contains(range.First) ? range.Last : range.First, subnet);
            }
        }
    }

    /// <summary>
    /// The subnet that a new prefix overlaps, from the only two candidates there can be among disjoint
    /// subnets: the last subnet starting at or before the prefix (it may contain it), and the first
    /// subnet starting inside it.
    /// </summary>
    /// <param name="prefix">The prefix to carve.</param>
    /// <param name="lastStartingAtOrBefore">The subnet with the highest network not above <paramref name="prefix"/>'s, or null.</param>
    /// <param name="firstStartingInside">The subnet with the lowest network inside <paramref name="prefix"/>, or null.</param>
    /// <returns>The overlapped subnet, or null when the prefix is free of subnets.</returns>
    public static Ipv4Prefix? Overlapping(Ipv4Prefix prefix, Ipv4Prefix? lastStartingAtOrBefore, Ipv4Prefix? firstStartingInside)
    {
        if (lastStartingAtOrBefore is { } before && before.Overlaps(prefix))
        {
            return before;
        }

        return firstStartingInside is { } inside && prefix.Contains(inside.Network) ? inside : null;
    }

    /// <summary>
    /// Whether a free block is a better choice for next-free carving than the best so far: the
    /// smallest hole that fits wins (the longest block length not above the request's), then the
    /// earlier pool, then the lower address. Keeping large holes whole leaves room for large requests.
    /// </summary>
    /// <param name="length">The requested prefix length.</param>
    /// <param name="block">The candidate free block.</param>
    /// <param name="poolOrdinal">The position of the candidate's pool in the space.</param>
    /// <param name="best">The best block so far, or null.</param>
    /// <param name="bestPoolOrdinal">The position of the best block's pool.</param>
    /// <returns><see langword="true"/> when <paramref name="block"/> can hold the request and beats <paramref name="best"/>.</returns>
    public static bool IsBetterHole(int length, Ipv4Prefix block, int poolOrdinal, Ipv4Prefix? best, int bestPoolOrdinal)
    {
        if (block.Length > length)
        {
            return false;
        }

        if (best is not { } b)
        {
            return true;
        }

        return block.Length != b.Length ? block.Length > b.Length
            : poolOrdinal != bestPoolOrdinal ? poolOrdinal < bestPoolOrdinal
            : block.Network < b.Network;
    }

    /// <summary>The maximal aligned free blocks of a pool, in address order: the pool less its subnets.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="subnets">The pool's subnets, in address order.</param>
    /// <returns>The free blocks.</returns>
    public static IReadOnlyList<Ipv4Prefix> FreeBlocks(Ipv4Prefix pool, IEnumerable<Ipv4Prefix> subnets)
    {
        ArgumentNullException.ThrowIfNull(subnets);
        var blocks = new List<Ipv4Prefix>();
        ulong next = pool.Network.Value;
        foreach (var subnet in subnets)
        {
            AddAligned(blocks, next, (ulong)subnet.Network.Value);
            next = (ulong)subnet.Last.Value + 1;
        }

        AddAligned(blocks, next, (ulong)pool.Last.Value + 1);
        return blocks;
    }

    /// <summary>
    /// The address next-free (or random) allocation takes from the first free range that ends at or
    /// after the starting point: the starting point itself when it is free, else the range's first
    /// address. The search wraps once to the subnet's start when no range ends at or after the point.
    /// </summary>
    /// <param name="range">The first free range ending at or after <paramref name="from"/>.</param>
    /// <param name="from">Where the search started (the subnet's cursor, or a random point).</param>
    /// <returns>The address to take.</returns>
    public static Ipv4Address NextFreeIn(Ipv4AddressRange range, Ipv4Address from) => range.Contains(from) ? from : range.First;

    /// <summary>
    /// Checks that the subnet carved earlier under a request's key answers the request again: same
    /// CIDR or length, same pool when one is named, same name, policy (when given) and exclusions.
    /// </summary>
    /// <param name="request">The repeated request.</param>
    /// <param name="keyed">The subnet stored under its key.</param>
    /// <returns><paramref name="keyed"/>.</returns>
    /// <exception cref="ArgumentException">The key was used for another request; the message names both.</exception>
    public static Subnet ThrowIfRetryDiffers(SubnetRequest request, Subnet keyed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keyed);
        bool same = keyed.Prefix.Length == request.Length
            && (request.Prefix is not { } prefix || prefix == keyed.Prefix)
            && (request.Pool is not { } pool || pool == keyed.Pool)
            && request.Name == keyed.Name
            && (request.ReservedAddresses is not { } policy || policy.Equals(keyed.ReservedAddresses))
            && request.Exclusions.SequenceEqual(keyed.Exclusions);
        return same
            ? keyed
            : throw new ArgumentException(
                $"Request key '{request.RequestKey}' of address space '{request.Space}' carved {keyed.Prefix} (name '{keyed.Name}'), "
                + $"which does not answer this request ({Describe(request)}).",
                nameof(request));

        static string Describe(SubnetRequest r) =>
            $"{(r.Prefix is { } p ? p.ToString() : $"next free /{r.Length}")}{(r.Pool is { } pool ? $" in pool {pool}" : string.Empty)}, name '{r.Name}'";
    }

    // Splits [first, end) into the largest aligned blocks, lowest first.
    private static void AddAligned(List<Ipv4Prefix> blocks, ulong first, ulong end)
    {
        while (first < end)
        {
            int length = 32;
            while (length > 0)
            {
                ulong size = 1UL << (32 - (length - 1));
                if ((first & (size - 1)) != 0 || first + size > end)
                {
                    break;
                }

                length--;
            }

            blocks.Add(new Ipv4Prefix(new Ipv4Address((uint)first), length));
            first += 1UL << (32 - length);
        }
    }
}
