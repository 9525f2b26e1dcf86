namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// The free space of a pool as the buddy allocator of the in-memory store keeps it: the maximal
/// aligned blocks not covered by a subnet. Computed from the subnets themselves (the database holds
/// no second copy that could drift), under the space's row lock.
/// </summary>
internal static class FreeBlocks
{
    /// <summary>The maximal aligned free blocks of <paramref name="pool"/>, in address order.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="subnets">The pool's subnets, in address order.</param>
    public static List<Ipv4Prefix> Of(Ipv4Prefix pool, IEnumerable<Ipv4Prefix> subnets)
    {
        var blocks = new List<Ipv4Prefix>();
        ulong next = pool.Network.Value;
        foreach (var subnet in subnets)
        {
            AddRange(blocks, next, (ulong)subnet.Network.Value - 1, subnet.Network.Value > next);
            next = (ulong)subnet.Last.Value + 1;
        }

        AddRange(blocks, next, pool.Last.Value, next <= pool.Last.Value);
        return blocks;
    }

    /// <summary>The length of the smallest free block that holds a /<paramref name="length"/> (the longest such length), or -1; and the lowest block of that length.</summary>
    public static (int Fit, Ipv4Prefix Block) SmallestFit(IReadOnlyList<Ipv4Prefix> blocks, int length)
    {
        int fit = -1;
        Ipv4Prefix best = default;
        foreach (var block in blocks)
        {
            if (block.Length <= length && block.Length > fit)
            {
                fit = block.Length;
                best = block;
            }
        }

        return (fit, best);
    }

    // Splits [first, last] into the largest aligned blocks, lowest first.
    private static void AddRange(List<Ipv4Prefix> blocks, ulong first, ulong last, bool any)
    {
        if (!any)
        {
            return;
        }

        while (first <= last)
        {
            int length = 32;
            while (length > 0)
            {
                ulong size = 1UL << (32 - (length - 1));
                if ((first & (size - 1)) != 0 || first + size - 1 > last)
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
