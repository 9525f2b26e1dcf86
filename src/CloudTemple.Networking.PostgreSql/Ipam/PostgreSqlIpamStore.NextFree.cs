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
            outcomes = await _runner.RunSingleAsync(nameof(AllocateAsync), (c, attempt, ct) => AllocateNextFreeBatchAsync(c, attempt, batch, ct), CancellationToken.None).ConfigureAwait(false);
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

    // One statement (the ipam_allocate_next function of schema version 2), so one round trip and one
    // implicit transaction: the subnet's row lock is held for the function and the commit only.
    private async Task<Outcome[]> AllocateNextFreeBatchAsync(NpgsqlConnection c, int attempt, IReadOnlyList<PendingAllocation> batch, CancellationToken ct)
    {
        var first = batch[0].Request;
        var rows = await Sql.ListAsync(
            c,
            $"SELECT r_idx, r_kind, r_address, r_metadata, r_allocated_at FROM {_s}ipam_allocate_next($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            r => new BatchRow(
                r.GetInt32(0),
                r.GetInt16(1),
                r.IsDBNull(2) ? 0 : r.GetInt64(2),
                r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? default : r.GetFieldValue<DateTimeOffset>(4)),
            ct,
            first.Space,
            (long)first.Subnet.Network.Value,
            first.Subnet.Length,
            batch.Select(p => p.Request.Owner).ToArray(),
            batch.Select(p => p.Request.RequestKey).ToArray(),
            batch.Select(p => IpamRows.MetadataJson(p.Request.Metadata)).ToArray(),
            batch.Select(p => Sql.Utc(p.Now)).ToArray(),
            batch.Select(p => p.Operation).ToArray(),
            attempt > 1).ConfigureAwait(false);
        if (rows.Count != batch.Count || rows[0].Kind == NoSuchSubnet)
        {
            // No such subnet: one by one, so that a request key held elsewhere still answers.
            throw new BatchNotApplicableException();
        }

        var outcomes = new Outcome[batch.Count];
        IpamUtilization? usage = null;
        foreach (var row in rows)
        {
            int i = row.Index - 1;
            var request = batch[i].Request;
            var address = Sql.Address(row.Address);
            outcomes[i] = row.Kind switch
            {
                Allocated => new Outcome(new AddressAllocationResult(
                    new AddressAllocation(request.Space, request.Subnet, address, request.Owner, request.RequestKey, request.Metadata, batch[i].Now), IsNew: true), null),
                HeldUnderKey => new Outcome(new AddressAllocationResult(Stored(request, address, row), IsNew: false), null),
                CommittedEarlier => new Outcome(new AddressAllocationResult(Stored(request, address, row), IsNew: true), null),
                _ => new Outcome(default, new SubnetExhaustedException(request.Space, request.Subnet, usage ??= await UsageAsync().ConfigureAwait(false))),
            };
        }

        return outcomes;

        // Read after the commit: only to describe the exhaustion in the exception.
        async Task<IpamUtilization> UsageAsync()
        {
            long spaceId = await SpaceIdAsync(c, first.Space, ct).ConfigureAwait(false);
            return await SubnetUtilizationAsync(c, spaceId, first.Subnet, batch.Max(p => p.Now), ct).ConfigureAwait(false) ?? default;
        }

        static AddressAllocation Stored(AddressRequest request, Ipv4Address address, BatchRow row) =>
            new(request.Space, request.Subnet, address, request.Owner, request.RequestKey, IpamRows.ReadMetadata(row.Metadata!), row.AllocatedAt);
    }

    // The kinds of ipam_allocate_next's result rows (see AllocateNextFunction).
    private const short NoSuchSubnet = -1;
    private const short Allocated = 0;
    private const short HeldUnderKey = 1;
    private const short CommittedEarlier = 2;

    private readonly record struct BatchRow(int Index, short Kind, long Address, string? Metadata, DateTimeOffset AllocatedAt);

    private readonly record struct Outcome(AddressAllocationResult Result, Exception? Error);

    private sealed class BatchNotApplicableException : Exception
    {
    }
}
