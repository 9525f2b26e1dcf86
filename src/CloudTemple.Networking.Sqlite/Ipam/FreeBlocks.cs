namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// The free space of the pools of a space as buddy blocks (aligned prefixes, disjoint). Carving takes
/// the smallest block that fits (then the first pool, then the lowest address) and splits it; releasing
/// merges a block with its buddy as long as the buddy is free.
/// </summary>
internal static class FreeBlocks
{
    public static void Add(SqlSession session, long space, uint network, int length, uint pool) =>
        session.Execute(
            "INSERT INTO ipam_free_blocks (space_id, network, length, pool_network) VALUES ($s, $n, $l, $p);",
            ("$s", space), ("$n", network), ("$l", length), ("$p", pool));

    /// <summary>The smallest free block that holds a /<paramref name="length"/>, in <paramref name="pool"/> or any pool.</summary>
    public static (uint Network, int Length, uint Pool)? SmallestFit(SqlSession session, long space, int length, Ipv4Prefix? pool)
    {
        using var reader = session.Query(
            """
            SELECT b.network, b.length, b.pool_network FROM ipam_free_blocks b
            JOIN ipam_pools p ON p.space_id = b.space_id AND p.network = b.pool_network
            WHERE b.space_id = $s AND b.length <= $l AND ($p IS NULL OR b.pool_network = $p)
            ORDER BY b.length DESC, p.ordinal, b.network LIMIT 1;
            """,
            ("$s", space), ("$l", length), ("$p", pool?.Network.Value));
        return reader.Read() ? ((uint)reader.GetInt64(0), reader.GetInt32(1), (uint)reader.GetInt64(2)) : null;
    }

    /// <summary>The free block that contains <paramref name="prefix"/>, if the prefix is wholly free.</summary>
    public static (uint Network, int Length, uint Pool)? Containing(SqlSession session, long space, Ipv4Prefix prefix)
    {
        using var reader = session.Query(
            "SELECT network, length, pool_network FROM ipam_free_blocks WHERE space_id = $s AND network <= $n ORDER BY network DESC LIMIT 1;",
            ("$s", space), ("$n", prefix.Network.Value));
        if (!reader.Read())
        {
            return null;
        }

        var block = new Ipv4Prefix(new Ipv4Address((uint)reader.GetInt64(0)), reader.GetInt32(1));
        return block.Contains(prefix) ? (block.Network.Value, block.Length, (uint)reader.GetInt64(2)) : null;
    }

    /// <summary>Removes the free block and gives back every half of it that does not hold <paramref name="target"/>.</summary>
    public static void Split(SqlSession session, long space, (uint Network, int Length, uint Pool) block, Ipv4Prefix target)
    {
        session.Execute("DELETE FROM ipam_free_blocks WHERE space_id = $s AND network = $n;", ("$s", space), ("$n", block.Network));
        uint network = block.Network;
        for (int length = block.Length + 1; length <= target.Length; length++)
        {
            uint half = 1u << (32 - length);
            uint other = (target.Network.Value & half) == 0 ? network | half : network;
            Add(session, space, other, length, block.Pool);
            network = target.Network.Value & Ipv4Prefix.MaskOf(length);
        }
    }

    public static void Release(SqlSession session, long space, Ipv4Prefix prefix, Ipv4Prefix pool)
    {
        uint network = prefix.Network.Value;
        int length = prefix.Length;
        while (length > pool.Length)
        {
            uint buddy = network ^ (1u << (32 - length));
            int removed = session.Execute(
                "DELETE FROM ipam_free_blocks WHERE space_id = $s AND network = $n AND length = $l;", ("$s", space), ("$n", buddy), ("$l", length));
            if (removed == 0)
            {
                break;
            }

            length--;
            network &= Ipv4Prefix.MaskOf(length);
        }

        Add(session, space, network, length, pool.Network.Value);
    }
}
