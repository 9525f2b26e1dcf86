namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// The free addresses of the subnets of a space as disjoint ranges [first, last], keyed by last: the first
/// free address at or after any point is one index seek, taking or freeing one address touches at most two rows.
/// </summary>
internal static class FreeRanges
{
    /// <summary>A free range.</summary>
    public readonly record struct Range(uint First, uint Last, uint Subnet);

    /// <summary>The first free range of the subnet ending at or after <paramref name="from"/>, wrapping to the subnet's start.</summary>
    public static Range? FindFrom(SqlSession session, long space, Ipv4Prefix subnet, uint from)
    {
        uint network = subnet.Network.Value;
        var found = Seek(session, space, subnet, from);
        return found is null && from > network ? Seek(session, space, subnet, network) : found;
    }

    /// <summary>The free range that contains <paramref name="address"/>, if it is free.</summary>
    public static Range? Containing(SqlSession session, long space, Ipv4Prefix subnet, uint address) =>
        Seek(session, space, subnet, address) is { } range && range.First <= address ? range : null;

    public static void Take(SqlSession session, long space, Range range, uint address)
    {
        if (range.First == range.Last)
        {
            session.Execute("DELETE FROM ipam_free_ranges WHERE space_id = $s AND last = $l;", ("$s", space), ("$l", range.Last));
        }
        else if (address == range.Last)
        {
            session.Execute("UPDATE ipam_free_ranges SET last = $n WHERE space_id = $s AND last = $l;", ("$n", address - 1), ("$s", space), ("$l", range.Last));
        }
        else
        {
            session.Execute("UPDATE ipam_free_ranges SET first = $f WHERE space_id = $s AND last = $l;", ("$f", address + 1), ("$s", space), ("$l", range.Last));
            if (address > range.First)
            {
                Insert(session, space, range.First, address - 1, range.Subnet);
            }
        }
    }

    /// <summary>Makes an address free again, merging it with the free ranges on either side (of the same subnet).</summary>
    public static void Free(SqlSession session, long space, uint subnet, uint address)
    {
        Range? left = null;
        if (address > subnet)
        {
            using var reader = session.Query(
                "SELECT first FROM ipam_free_ranges WHERE space_id = $s AND last = $l AND subnet = $n;", ("$s", space), ("$l", address - 1), ("$n", subnet));
            if (reader.Read())
            {
                left = new Range((uint)reader.GetInt64(0), address - 1, subnet);
            }
        }

        Range? right = null;
        if (address < uint.MaxValue)
        {
            using var reader = session.Query(
                "SELECT first, last, subnet FROM ipam_free_ranges WHERE space_id = $s AND last > $a ORDER BY last LIMIT 1;", ("$s", space), ("$a", address));
            if (reader.Read() && reader.GetInt64(0) == address + 1L && reader.GetInt64(2) == subnet)
            {
                right = new Range(address + 1, (uint)reader.GetInt64(1), subnet);
            }
        }

        switch (left, right)
        {
            case ({ } l, { } r):
                session.Execute("DELETE FROM ipam_free_ranges WHERE space_id = $s AND last = $l;", ("$s", space), ("$l", l.Last));
                session.Execute("UPDATE ipam_free_ranges SET first = $f WHERE space_id = $s AND last = $l;", ("$f", l.First), ("$s", space), ("$l", r.Last));
                break;
            case ({ } l, null):
                session.Execute("UPDATE ipam_free_ranges SET last = $n WHERE space_id = $s AND last = $l;", ("$n", address), ("$s", space), ("$l", l.Last));
                break;
            case (null, { } r):
                session.Execute("UPDATE ipam_free_ranges SET first = $f WHERE space_id = $s AND last = $l;", ("$f", address), ("$s", space), ("$l", r.Last));
                break;
            default:
                Insert(session, space, address, address, subnet);
                break;
        }
    }

    /// <summary>The free ranges of a new subnet: its allocatable ranges (the rule every store shares).</summary>
    /// <returns>How many addresses are reserved or excluded (each counted once).</returns>
    public static ulong Create(SqlSession session, long space, Ipam.Subnet subnet)
    {
        uint network = subnet.Prefix.Network.Value;
        ulong free = 0;
        foreach (var range in subnet.AllocatableRanges())
        {
            Insert(session, space, range.First.Value, range.Last.Value, network);
            free += range.Count;
        }

        return subnet.Prefix.Count - free;
    }

    public static void DeleteSubnet(SqlSession session, long space, Ipv4Prefix subnet) =>
        session.Execute(
            "DELETE FROM ipam_free_ranges WHERE space_id = $s AND last BETWEEN $a AND $b;",
            ("$s", space), ("$a", subnet.Network.Value), ("$b", subnet.Last.Value));

    private static Range? Seek(SqlSession session, long space, Ipv4Prefix subnet, uint from)
    {
        using var reader = session.Query(
            "SELECT first, last, subnet FROM ipam_free_ranges WHERE space_id = $s AND last >= $a ORDER BY last LIMIT 1;", ("$s", space), ("$a", from));
        if (!reader.Read() || reader.GetInt64(2) != subnet.Network.Value)
        {
            return null;
        }

        return new Range((uint)reader.GetInt64(0), (uint)reader.GetInt64(1), subnet.Network.Value);
    }

    private static void Insert(SqlSession session, long space, uint first, uint last, uint subnet) =>
        session.Execute(
            "INSERT INTO ipam_free_ranges (space_id, last, first, subnet) VALUES ($s, $l, $f, $n);",
            ("$s", space), ("$l", last), ("$f", first), ("$n", subnet));
}
