using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// The <c>ipam_free_range</c> rows of a subnet: disjoint address ranges that automatic allocation may
/// hand out. Every caller holds the subnet's row lock, so that the ranges of a subnet change one
/// transaction at a time.
/// </summary>
internal sealed class FreeRanges(string schema)
{
    private readonly string _table = $"\"{schema}\".ipam_free_range";

    /// <summary>The free range that contains <paramref name="address"/>, if any.</summary>
    public async Task<(long First, long Last)?> FindContainingAsync(NpgsqlConnection connection, long spaceId, long address, CancellationToken cancellationToken)
    {
        var rows = await Sql.ListAsync(
            connection,
            $"SELECT first, last FROM {_table} WHERE space_id = $1 AND last >= $2 ORDER BY last LIMIT 1",
            r => (r.GetInt64(0), r.GetInt64(1)), cancellationToken, spaceId, address).ConfigureAwait(false);
        return rows.Count == 1 && rows[0].Item1 <= address ? rows[0] : null;
    }

    /// <summary>Removes <paramref name="address"/> from its range (which the caller found).</summary>
    public void Take(SqlBatch writes, long spaceId, long subnetNetwork, (long First, long Last) range, long address)
    {
        var (first, last) = range;
        if (first == address && last == address)
        {
            writes.Add($"DELETE FROM {_table} WHERE space_id = $1 AND first = $2", spaceId, first);
        }
        else if (first == address)
        {
            writes.Add($"UPDATE {_table} SET first = $3 WHERE space_id = $1 AND first = $2", spaceId, first, address + 1);
        }
        else if (last == address)
        {
            writes.Add($"UPDATE {_table} SET last = $3 WHERE space_id = $1 AND first = $2", spaceId, first, address - 1);
        }
        else
        {
            writes.Add($"UPDATE {_table} SET last = $3 WHERE space_id = $1 AND first = $2", spaceId, first, address - 1);
            writes.Add($"INSERT INTO {_table} (space_id, subnet_network, first, last) VALUES ($1, $2, $3, $4)", spaceId, subnetNetwork, address + 1, last);
        }
    }

    /// <summary>Gives <paramref name="address"/> back, merging it with the ranges just below and above it inside the subnet.</summary>
    public async Task ReturnAsync(NpgsqlConnection connection, long spaceId, Ipv4Prefix subnet, long address, CancellationToken cancellationToken)
    {
        long below = address > subnet.Network.Value ? address - 1 : -1;
        long above = address < subnet.Last.Value ? address + 1 : -1;
        var neighbours = await Sql.ListAsync(
            connection,
            $"SELECT first, last FROM {_table} WHERE space_id = $1 AND (last = $2 OR first = $3)",
            r => (First: r.GetInt64(0), Last: r.GetInt64(1)), cancellationToken, spaceId, below, above).ConfigureAwait(false);
        var left = neighbours.Find(n => n.Last == below && below >= 0);
        var right = neighbours.Find(n => n.First == above && above >= 0);
        bool hasLeft = neighbours.Exists(n => n.Last == below && below >= 0);
        bool hasRight = neighbours.Exists(n => n.First == above && above >= 0);
        var writes = new SqlBatch();
        if (hasLeft && hasRight)
        {
            writes.Add($"DELETE FROM {_table} WHERE space_id = $1 AND first = $2", spaceId, right.First);
            writes.Add($"UPDATE {_table} SET last = $3 WHERE space_id = $1 AND first = $2", spaceId, left.First, right.Last);
        }
        else if (hasLeft)
        {
            writes.Add($"UPDATE {_table} SET last = $3 WHERE space_id = $1 AND first = $2", spaceId, left.First, address);
        }
        else if (hasRight)
        {
            writes.Add($"UPDATE {_table} SET first = $3 WHERE space_id = $1 AND first = $2", spaceId, right.First, address);
        }
        else
        {
            writes.Add($"INSERT INTO {_table} (space_id, subnet_network, first, last) VALUES ($1, $2, $3, $3)", spaceId, (long)subnet.Network.Value, address);
        }

        await writes.ExecuteAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts the initial ranges of a new subnet (its allocatable ranges).</summary>
    public void Insert(SqlBatch writes, long spaceId, long subnetNetwork, IReadOnlyList<Ipv4AddressRange> ranges)
    {
        if (ranges.Count > 0)
        {
            writes.Add(
                $"INSERT INTO {_table} (space_id, subnet_network, first, last) SELECT $1, $2, f, l FROM unnest($3::bigint[], $4::bigint[]) AS r(f, l)",
                spaceId, subnetNetwork, ranges.Select(r => (long)r.First.Value).ToArray(), ranges.Select(r => (long)r.Last.Value).ToArray());
        }
    }
}
