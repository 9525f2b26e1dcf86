using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>Next-free allocation in batches: the requests of one subnet queued while its previous transaction ran, served by one transaction.</summary>
public sealed partial class PostgreSqlIpamStore
{
    private async Task RunNextFreeBatchAsync(IReadOnlyList<PendingAllocation> batch)
    {
        Outcome[] outcomes;
        try
        {
            outcomes = await _runner.RunAsync(nameof(AllocateAsync), (c, attempt, ct) => AllocateNextFreeBatchAsync(c, attempt, batch, ct), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (batch.Count > 1 || e is BatchNotApplicableException)
        {
            // One by one, so that each caller gets its own answer (and its own error).
            foreach (var pending in batch)
            {
                try
                {
                    pending.Done.TrySetResult(await AllocateOneAsync(pending.Request, pending.Now, pending.Operation, CancellationToken.None).ConfigureAwait(false));
                }
                catch (Exception error)
                {
                    pending.Done.TrySetException(error);
                }
            }

            return;
        }
        catch (Exception e)
        {
            batch[0].Done.TrySetException(e);
            return;
        }

        for (int i = 0; i < batch.Count; i++)
        {
            if (outcomes[i].Error is { } error)
            {
                batch[i].Done.TrySetException(error);
            }
            else
            {
                batch[i].Done.TrySetResult(outcomes[i].Result);
            }
        }
    }

    private async Task<Outcome[]> AllocateNextFreeBatchAsync(NpgsqlConnection c, int attempt, IReadOnlyList<PendingAllocation> batch, CancellationToken ct)
    {
        var first = batch[0].Request;
        var keyed = batch.Where(p => p.Request.RequestKey is not null).ToList();
        var (locked, read, held) = await LockAndReadRangesAsync(c, first, batch.Count, keyed, ct).ConfigureAwait(false);
        var subnet = locked ?? throw new BatchNotApplicableException();
        var outcomes = new Outcome[batch.Count];
        var committed = attempt > 1
            ? (await Sql.ListAsync(
                c,
                $"SELECT a.operation_id, {IpamRows.AllocationColumns} FROM {IpamRows.AllocationFrom(_s)} WHERE a.space_id = $1 AND a.operation_id = ANY($2)",
                r => (Operation: r.GetGuid(0), Allocation: IpamRows.ReadAllocation(r, first.Space, 1)), ct, subnet.SpaceId, batch.Select(p => p.Operation).ToArray()).ConfigureAwait(false))
                .ToDictionary(x => x.Operation, x => x.Allocation)
            : [];
        var byKey = held.ToDictionary(a => (a.Owner, a.RequestKey!));

        long size = (long)subnet.Prefix.Count;
        long offset = subnet.NextOffset >= size ? 0 : subnet.NextOffset;
        long from = subnet.Network + offset;
        var free = read;
        if (subnet.ReuseHoldTicks > 0)
        {
            // Ended holds go back to the free ranges first: read the ranges again after that.
            await EndExpiredHoldsAsync(c, subnet, batch.Min(p => p.Now), ct).ConfigureAwait(false);
            free = await ReadRangesAsync(c, subnet.SpaceId, from, subnet.Last, batch.Count, ct).ConfigureAwait(false);
        }

        long available = free.Sum(r => r.Value - Math.Max(r.Key, from) + 1);
        if (available < batch.Count && offset > 0)
        {
            foreach (var (start, end) in await ReadRangesAsync(c, subnet.SpaceId, subnet.Network, from - 1, batch.Count, ct).ConfigureAwait(false))
            {
                free.TryAdd(start, end);
            }
        }

        long[] originals = [.. free.Keys];
        var taken = new List<(int Index, long Address)>();
        var exhausted = new List<int>();
        long position = from;
        bool wrapped = offset == 0;
        for (int i = 0; i < batch.Count; i++)
        {
            var request = batch[i].Request;
            if (committed.TryGetValue(batch[i].Operation, out var mine))
            {
                outcomes[i] = new Outcome(new AddressAllocationResult(mine, IsNew: true), null);
            }
            else if (request.RequestKey is { } key && byKey.TryGetValue((request.Owner, key), out var existing))
            {
                outcomes[i] = new Outcome(new AddressAllocationResult(existing, IsNew: false), null);
            }
            else if (TakeNext(free, ref position, ref wrapped, subnet) is { } address)
            {
                var allocation = new AddressAllocation(request.Space, subnet.Prefix, Sql.Address(address), request.Owner, request.RequestKey, request.Metadata, batch[i].Now);
                outcomes[i] = new Outcome(new AddressAllocationResult(allocation, IsNew: true), null);
                taken.Add((i, address));
                if (request.RequestKey is { } newKey)
                {
                    byKey[(request.Owner, newKey)] = allocation;
                }

                continue;
            }
            else
            {
                exhausted.Add(i);
                continue;
            }

            if (request.RequestKey is { } heldKey)
            {
                byKey[(request.Owner, heldKey)] = outcomes[i].Result.Allocation;
            }
        }

        if (taken.Count > 0)
        {
            var writes = new SqlBatch();
            writes.Add($"DELETE FROM {_s}ipam_free_range WHERE space_id = $1 AND first = ANY($2)", subnet.SpaceId, originals);
            writes.Add(
                $"INSERT INTO {_s}ipam_free_range (space_id, subnet_network, first, last) SELECT $1, $2, f, l FROM unnest($3::bigint[], $4::bigint[]) AS r(f, l)",
                subnet.SpaceId, subnet.Network, free.Keys.ToArray(), free.Values.ToArray());
            var mineTaken = taken.Select(t => batch[t.Index]).ToList();
            writes.Add(
                $"""
                INSERT INTO {_s}ipam_allocation (space_id, address, subnet_network, owner, request_key, metadata, allocated_at, operation_id)
                SELECT $1, a, $2, o, k, m::jsonb, t, op FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::uuid[]) AS u(a, o, k, m, t, op)
                """,
                subnet.SpaceId, subnet.Network, taken.Select(t => t.Address).ToArray(),
                mineTaken.Select(p => p.Request.Owner).ToArray(), mineTaken.Select(p => p.Request.RequestKey).ToArray(),
                mineTaken.Select(p => IpamRows.MetadataJson(p.Request.Metadata)).ToArray(), mineTaken.Select(p => Sql.Utc(p.Now)).ToArray(),
                mineTaken.Select(p => p.Operation).ToArray());
            writes.Add(
                $"UPDATE {_s}ipam_subnet SET allocated = allocated + $3, next_offset = $4 WHERE space_id = $1 AND network = $2",
                subnet.SpaceId, subnet.Network, (long)taken.Count, taken[^1].Address - subnet.Network + 1);
            await writes.ExecuteAsync(c, ct).ConfigureAwait(false);
        }

        if (exhausted.Count > 0)
        {
            var usage = await SubnetUtilizationAsync(c, subnet.SpaceId, subnet.Prefix, batch.Max(p => p.Now), ct).ConfigureAwait(false) ?? default;
            foreach (int i in exhausted)
            {
                outcomes[i] = new Outcome(default, new SubnetExhaustedException(first.Space, subnet.Prefix, usage));
            }
        }

        return outcomes;
    }

    // One round trip: lock the subnet row, then (further statements, so fresh snapshots taken after
    // the lock was granted) read the free ranges from its cursor on and the allocations already
    // held under the keyed requests' (owner, request key).
    private async Task<(SubnetRow? Subnet, SortedList<long, long> Free, List<AddressAllocation> Held)> LockAndReadRangesAsync(
        NpgsqlConnection c, AddressRequest request, int count, List<PendingAllocation> keyed, CancellationToken ct)
    {
        var batch = new NpgsqlBatch(c);
        await using (batch.ConfigureAwait(false))
        {
            object[] subnetKey = [request.Space, (long)request.Subnet.Network.Value, request.Subnet.Length];
            batch.BatchCommands.Add(Command(
                $"SELECT {IpamRows.SubnetColumns} FROM {IpamRows.SubnetFrom(_s)} WHERE s.name = $1 AND n.network = $2 AND n.length = $3 FOR NO KEY UPDATE OF n",
                subnetKey));
            batch.BatchCommands.Add(Command(
                $"""
                SELECT f.first, f.last FROM {_s}ipam_subnet n JOIN {_s}ipam_space s ON s.space_id = n.space_id
                JOIN {_s}ipam_free_range f ON f.space_id = n.space_id
                    AND f.last >= n.network + CASE WHEN n.next_offset >= (1::bigint << (32 - n.length)) THEN 0 ELSE n.next_offset END
                    AND f.last <= n.network + (1::bigint << (32 - n.length)) - 1
                WHERE s.name = $1 AND n.network = $2 AND n.length = $3
                ORDER BY f.last LIMIT $4
                """,
                [.. subnetKey, (long)count]));
            if (keyed.Count > 0)
            {
                batch.BatchCommands.Add(Command(
                    $"""
                    SELECT {IpamRows.AllocationColumns} FROM {IpamRows.AllocationFrom(_s)}
                    WHERE a.space_id = (SELECT space_id FROM {_s}ipam_space WHERE name = $1)
                        AND (a.owner, a.request_key) IN (SELECT * FROM unnest($2::text[], $3::text[]))
                    """,
                    [request.Space, keyed.Select(p => p.Request.Owner).ToArray(), keyed.Select(p => p.Request.RequestKey!).ToArray()]));
            }

            var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                SubnetRow? subnet = await reader.ReadAsync(ct).ConfigureAwait(false) ? IpamRows.ReadSubnet(reader) : null;
                await reader.NextResultAsync(ct).ConfigureAwait(false);
                var free = new SortedList<long, long>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    free.Add(reader.GetInt64(0), reader.GetInt64(1));
                }

                var held = new List<AddressAllocation>();
                if (keyed.Count > 0 && await reader.NextResultAsync(ct).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        held.Add(IpamRows.ReadAllocation(reader, request.Space));
                    }
                }

                return (subnet, free, held);
            }
        }

        static NpgsqlBatchCommand Command(string text, object[] values)
        {
            var command = new NpgsqlBatchCommand(text);
            foreach (object value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            return command;
        }
    }

    // The free ranges of the space ending in [from, last], lowest first, at most count of them.
    private async Task<SortedList<long, long>> ReadRangesAsync(NpgsqlConnection c, long spaceId, long from, long last, int count, CancellationToken ct)
    {
        var rows = await Sql.ListAsync(
            c,
            $"SELECT first, last FROM {_s}ipam_free_range WHERE space_id = $1 AND last >= $2 AND last <= $3 ORDER BY last LIMIT $4",
            r => (r.GetInt64(0), r.GetInt64(1)), ct, spaceId, from, last, (long)count).ConfigureAwait(false);
        var ranges = new SortedList<long, long>(rows.Count);
        foreach (var (start, end) in rows)
        {
            ranges.Add(start, end);
        }

        return ranges;
    }

    // The first free address at or after position in the ranges read, wrapping once to the subnet start; removes it from the ranges.
    private static long? TakeNext(SortedList<long, long> free, ref long position, ref bool wrapped, SubnetRow subnet)
    {
        while (true)
        {
            for (int i = 0; i < free.Count; i++)
            {
                long start = free.Keys[i];
                long end = free.Values[i];
                if (end < position)
                {
                    continue;
                }

                long address = Math.Max(start, position);
                free.RemoveAt(i);
                if (start < address)
                {
                    free.Add(start, address - 1);
                }

                if (address < end)
                {
                    free.Add(address + 1, end);
                }

                position = address + 1;
                return address;
            }

            if (wrapped)
            {
                return null;
            }

            wrapped = true;
            position = subnet.Network;
        }
    }

    private readonly record struct Outcome(AddressAllocationResult Result, Exception? Error);

    private sealed class BatchNotApplicableException : Exception
    {
    }
}
