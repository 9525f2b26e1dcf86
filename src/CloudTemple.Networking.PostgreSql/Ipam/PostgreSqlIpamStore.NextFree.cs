using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// Next-free and random allocation: every request goes through the server-side function
/// <c>ipam_allocate_next</c>, the store's one allocator. Next-free requests of one subnet queued while its
/// previous call ran are served by one call; when such a call fails, its requests are retried one by one,
/// each in a call of its own (the same function), so that each caller gets its own answer or error.
/// </summary>
public sealed partial class PostgreSqlIpamStore
{
    internal async Task RunNextFreeBatchAsync(IReadOnlyList<PendingAllocation> batch)
    {
        Outcome[] outcomes;
        try
        {
            outcomes = await CallAllocateNextAsync(batch, start: null).ConfigureAwait(false);
        }
        catch (Exception) when (batch.Count > 1)
        {
            await RunOneByOneAsync(batch).ConfigureAwait(false);
            return;
        }
        catch (Exception e)
        {
            batch[0].Done.TrySetException(e);
            return;
        }

        for (int i = 0; i < batch.Count; i++)
        {
            Complete(batch[i], outcomes[i]);
        }
    }

    /// <summary>The fallback of a failed batch: each request in a call of its own, through the same function.</summary>
    internal async Task RunOneByOneAsync(IReadOnlyList<PendingAllocation> batch)
    {
        foreach (var pending in batch)
        {
            try
            {
                Complete(pending, (await CallAllocateNextAsync([pending], start: null).ConfigureAwait(false))[0]);
            }
            catch (Exception error)
            {
                pending.Done.TrySetException(error);
            }
        }
    }

    private async Task<AddressAllocationResult> AllocateRandomAsync(AddressRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = new PendingAllocation(request, now, Guid.NewGuid(), new TaskCompletionSource<AddressAllocationResult>());
        var outcome = (await CallAllocateNextAsync([pending], Random.Shared.NextInt64((long)request.Subnet.Count), cancellationToken).ConfigureAwait(false))[0];
        return outcome.Error is { } error ? throw error : outcome.Result;
    }

    private static void Complete(PendingAllocation pending, Outcome outcome)
    {
        if (outcome.Error is { } error)
        {
            pending.Done.TrySetException(error);
        }
        else
        {
            pending.Done.TrySetResult(outcome.Result);
        }
    }

    private Task<Outcome[]> CallAllocateNextAsync(IReadOnlyList<PendingAllocation> batch, long? start, CancellationToken cancellationToken = default) =>
        _runner.RunSingleAsync(nameof(AllocateAsync), (c, attempt, ct) => AllocateNextAsync(c, attempt, batch, start, ct), cancellationToken);

    // One statement, so one round trip and one implicit transaction: the subnet's row lock is held for
    // the function and the commit only. start: null for next-free from the cursor, else the offset of a random start.
    private async Task<Outcome[]> AllocateNextAsync(NpgsqlConnection c, int attempt, IReadOnlyList<PendingAllocation> batch, long? start, CancellationToken ct)
    {
        var first = batch[0].Request;
        var rows = await Sql.ListAsync(
            c,
            $"SELECT r_idx, r_kind, r_address, r_metadata, r_allocated_at FROM {_s}ipam_allocate_next($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
            attempt > 1,
            start).ConfigureAwait(false);
        var outcomes = new Outcome[batch.Count];
        if (rows.Count == 1 && rows[0].Kind == NoSuchSubnet)
        {
            // The function changed nothing; a request key held elsewhere in the space still answers.
            for (int i = 0; i < batch.Count; i++)
            {
                try
                {
                    outcomes[i] = new Outcome(await WithoutSubnetAsync(c, batch[i].Request, ct).ConfigureAwait(false), null);
                }
                catch (IpamException error)
                {
                    outcomes[i] = new Outcome(default, error);
                }
            }

            return outcomes;
        }

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
}
