using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// An <see cref="IIpamStore"/> in PostgreSQL, shared by every process that points at the same database
/// and schema. Each method is one transaction; concurrent allocators, in threads or in other
/// processes, never receive the same address or overlapping subnets.
/// </summary>
/// <remarks>
/// <para>
/// How it stays correct under concurrency: every change to a subnet's addresses first locks the
/// subnet row (<c>SELECT ... FOR NO KEY UPDATE</c>), so that allocations in one subnet take turns
/// while different subnets proceed in parallel; carving and releasing subnets lock the space row.
/// Behind the locks, the database refuses what must never happen: a primary key on
/// (space, address) for allocations, a unique key on (space, owner, request key), and exclusion
/// constraints on the address spans of pools and subnets. Free addresses are kept as ranges, so
/// that next-free, random and specific allocation are index probes at any fill level.
/// </para>
/// <para>
/// Failures: a transient failure (lost connection, serialization failure, deadlock, a conflict
/// with a concurrent writer) re-runs the whole transaction, at most
/// <see cref="PostgreSqlStoreOptions.MaxAttempts"/> times; anything else rolls back and surfaces as
/// <see cref="PostgreSqlStoreException"/>. Domain errors are the same <see cref="IpamException"/>
/// types as the in-memory store's. A re-run after a connection lost during commit finds the work of
/// the first run (each call carries an operation id), so that a call is applied once.
/// </para>
/// <para>The schema is created or migrated by the first operation (or <see cref="InitializeAsync"/>).
/// Thread-safe: every call takes its own pooled connection.</para>
/// </remarks>
public sealed partial class PostgreSqlIpamStore : IIpamStore, IAsyncDisposable
{
    private readonly TransactionRunner _runner;
    private readonly NpgsqlDataSource? _ownedDataSource;
    private readonly SchemaMigrator _migrator = new();
    private readonly FreeRanges _free;
    private readonly AllocationQueue _nextFree;
    private readonly string _s;

    /// <summary>Creates a store over a connection string, with the default options; the store owns (and disposes) its data source.</summary>
    /// <param name="connectionString">An Npgsql connection string. Unless it sets them, the store turns on Max Auto Prepare (64) and No Reset On Close: it sends the same few statements over and over and leaves no session state.</param>
    public PostgreSqlIpamStore(string connectionString)
        : this(connectionString, new PostgreSqlStoreOptions())
    {
    }

    /// <summary>Creates a store over a connection string; the store owns (and disposes) its data source.</summary>
    /// <param name="connectionString">An Npgsql connection string. Unless it sets them, the store turns on Max Auto Prepare (64) and No Reset On Close: it sends the same few statements over and over and leaves no session state.</param>
    /// <param name="options">Schema and retry settings.</param>
    public PostgreSqlIpamStore(string connectionString, PostgreSqlStoreOptions options)
        : this(OwnedDataSource.Create(connectionString), options, owned: true)
    {
    }

    /// <summary>Creates a store over a connection string that logs and measures through the host's factories; the store owns (and disposes) its data source, which logs through <paramref name="loggerFactory"/> too.</summary>
    /// <param name="connectionString">An Npgsql connection string. Unless it sets them, the store turns on Max Auto Prepare (64) and No Reset On Close: it sends the same few statements over and over and leaves no session state.</param>
    /// <param name="options">Schema and retry settings.</param>
    /// <param name="loggerFactory">Where retries and failures are logged (category <c>CloudTemple.Networking.PostgreSql</c>), and Npgsql's own logs; none when null.</param>
    /// <param name="meterFactory">Creates the <see cref="PostgreSqlTelemetry.MeterName"/> Meter; a standalone Meter when null.</param>
    public PostgreSqlIpamStore(string connectionString, PostgreSqlStoreOptions options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
        : this(OwnedDataSource.Create(connectionString, loggerFactory), options, owned: true, PostgreSqlDiagnostics.For(loggerFactory, meterFactory))
    {
    }

    /// <summary>Creates a store over a data source that the caller owns (and disposes), with the default options.</summary>
    /// <param name="dataSource">The data source. Build it with No Reset On Close and Max Auto Prepare, as the connection-string overloads do: otherwise every pooled connection is reset with DISCARD ALL on return, which also drops the server's cached plans, and a next-free allocation costs two to three times as much.</param>
    public PostgreSqlIpamStore(NpgsqlDataSource dataSource)
        : this(dataSource, new PostgreSqlStoreOptions())
    {
    }

    /// <summary>Creates a store over a data source that the caller owns (and disposes).</summary>
    /// <param name="dataSource">The data source. Build it with No Reset On Close and Max Auto Prepare, as the connection-string overloads do: otherwise every pooled connection is reset with DISCARD ALL on return, which also drops the server's cached plans, and a next-free allocation costs two to three times as much.</param>
    /// <param name="options">Schema and retry settings.</param>
    public PostgreSqlIpamStore(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options)
        : this(dataSource ?? throw new ArgumentNullException(nameof(dataSource)), options, owned: false)
    {
    }

    /// <summary>Creates a store over a data source that the caller owns (and disposes), logging and measuring through the host's factories.</summary>
    /// <param name="dataSource">The data source (give it the host's logger factory with <c>NpgsqlDataSourceBuilder.UseLoggerFactory</c> for Npgsql's own logs). Build it with No Reset On Close and Max Auto Prepare, as the connection-string overloads do.</param>
    /// <param name="options">Schema and retry settings.</param>
    /// <param name="loggerFactory">Where retries and failures are logged (category <c>CloudTemple.Networking.PostgreSql</c>); none when null.</param>
    /// <param name="meterFactory">Creates the <see cref="PostgreSqlTelemetry.MeterName"/> Meter; a standalone Meter when null.</param>
    public PostgreSqlIpamStore(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
        : this(dataSource ?? throw new ArgumentNullException(nameof(dataSource)), options, owned: false, PostgreSqlDiagnostics.For(loggerFactory, meterFactory))
    {
    }

    private PostgreSqlIpamStore(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options, bool owned, PostgreSqlDiagnostics? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Validated();
        _ownedDataSource = owned ? dataSource : null;
        _runner = new TransactionRunner(dataSource, settings, _migrator, diagnostics ?? PostgreSqlDiagnostics.Default);
        _free = new FreeRanges(settings.Schema);
        _s = $"\"{settings.Schema}\".";
        _nextFree = new AllocationQueue(RunNextFreeBatchAsync, settings.MaxBatchSize);
    }

    /// <summary>Creates or migrates the schema now rather than on the first operation.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    public Task InitializeAsync(CancellationToken cancellationToken) => _migrator.EnsureAsync(_runner, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _ownedDataSource?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <inheritdoc/>
    public async ValueTask<AddressSpace> CreateSpaceAsync(AddressSpace space, CancellationToken cancellationToken)
    {
        SubnetLayout.ThrowIfInvalid(space);
        var operation = Guid.NewGuid();
        return await _runner.RunAsync(nameof(CreateSpaceAsync), async (c, attempt, ct) =>
        {
            if (attempt > 1 && await Sql.ScalarAsync(c, $"SELECT 1 FROM {_s}ipam_space WHERE operation_id = $1", ct, operation).ConfigureAwait(false) is not null)
            {
                return space;
            }

            return await TryInsertSpaceAsync(c, space, operation, ct).ConfigureAwait(false) ? space : throw new AddressSpaceExistsException(space.Name);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<AddressSpace> EnsureSpaceAsync(AddressSpace space, CancellationToken cancellationToken)
    {
        SubnetLayout.ThrowIfInvalid(space);
        var operation = Guid.NewGuid();
        return await _runner.RunAsync(nameof(EnsureSpaceAsync), async (c, _, ct) =>
        {
            // ON CONFLICT waits for a concurrent creator's commit; the read that follows then sees its row.
            // A re-run after a lost commit finds its own row, which has the requested definition.
            while (!await TryInsertSpaceAsync(c, space, operation, ct).ConfigureAwait(false))
            {
                if (await ReadSpaceAsync(c, space.Name, ct).ConfigureAwait(false) is { } stored)
                {
                    return stored.Equals(space) ? stored : throw new AddressSpaceConflictException(stored, space);
                }
            }

            return space;
        }, cancellationToken).ConfigureAwait(false);
    }

    // Inserts the space and its pools; false when the name is taken.
    private async Task<bool> TryInsertSpaceAsync(NpgsqlConnection c, AddressSpace space, Guid operation, CancellationToken ct)
    {
        var policy = space.DefaultReservedAddresses;
        object? id = await Sql.ScalarAsync(
            c,
            $"""
            INSERT INTO {_s}ipam_space (name, reuse_hold_ticks, policy_name, policy_start, policy_end, operation_id)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING RETURNING space_id
            """,
            ct, space.Name, space.ReuseHold.Ticks, policy?.Name, policy?.ReservedAtStart, policy?.ReservedAtEnd, operation).ConfigureAwait(false);
        if (id is not long spaceId)
        {
            return false;
        }

        var writes = new SqlBatch();
        for (int i = 0; i < space.Pools.Count; i++)
        {
            AddPool(writes, spaceId, space.Pools[i], i);
        }

        await writes.ExecuteAsync(c, ct).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async ValueTask<AddressSpace> AddPoolAsync(string space, Ipv4Prefix pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await _runner.RunAsync(nameof(AddPoolAsync), async (c, attempt, ct) =>
        {
            long spaceId = await LockSpaceAsync(c, space, ct).ConfigureAwait(false);
            var pools = await PoolsAsync(c, spaceId, ct).ConfigureAwait(false);
            // A re-run after a commit that was not acknowledged finds its pool in place.
            if (attempt > 1 && pools.Contains(pool))
            {
                return (await ReadSpaceAsync(c, space, ct).ConfigureAwait(false))!;
            }

            foreach (var existing in pools)
            {
                if (existing.Overlaps(pool))
                {
                    throw new PrefixOverlapException(space, pool, existing, "pool");
                }
            }

            var writes = new SqlBatch();
            AddPool(writes, spaceId, pool, pools.Count);
            await writes.ExecuteAsync(c, ct).ConfigureAwait(false);
            return (await ReadSpaceAsync(c, space, ct).ConfigureAwait(false))!;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteSpaceAsync(string space, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await _runner.RunAsync(nameof(DeleteSpaceAsync), async (c, _, ct) =>
            await Sql.ExecuteAsync(c, $"DELETE FROM {_s}ipam_space WHERE name = $1", ct, space).ConfigureAwait(false) > 0,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<AddressSpace?> GetSpaceAsync(string space, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await _runner.RunAsync(nameof(GetSpaceAsync), (c, _, ct) => ReadSpaceAsync(c, space, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<AddressSpace>> ListSpacesAsync(CancellationToken cancellationToken)
    {
        return await _runner.RunAsync(nameof(ListSpacesAsync), async (c, _, ct) =>
        {
            var rows = await Sql.ListAsync(
                c,
                $"""
                SELECT s.name, s.reuse_hold_ticks, s.policy_name, s.policy_start, s.policy_end,
                       coalesce(array_agg(p.network ORDER BY p.ordinal) FILTER (WHERE p.network IS NOT NULL), ARRAY[]::bigint[]),
                       coalesce(array_agg(p.length ORDER BY p.ordinal) FILTER (WHERE p.network IS NOT NULL), ARRAY[]::integer[])
                FROM {_s}ipam_space s LEFT JOIN {_s}ipam_pool p ON p.space_id = s.space_id
                GROUP BY s.space_id ORDER BY s.name COLLATE "C"
                """,
                ReadSpace, ct).ConfigureAwait(false);
            return (IReadOnlyList<AddressSpace>)rows;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<Subnet> CarveSubnetAsync(SubnetRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var operation = Guid.NewGuid();
        return await _runner.RunAsync(nameof(CarveSubnetAsync), async (c, attempt, ct) =>
        {
            // The space row lock serializes carving and subnet release in the space.
            var space = await Sql.ListAsync(
                c,
                $"SELECT space_id, policy_name, policy_start, policy_end FROM {_s}ipam_space WHERE name = $1 FOR UPDATE",
                r => (Id: r.GetInt64(0), Policy: r.IsDBNull(1) ? null : IpamRows.Policy(r.GetString(1), r.GetInt32(2), r.GetInt32(3))),
                ct, request.Space).ConfigureAwait(false);
            if (space.Count == 0)
            {
                throw new AddressSpaceNotFoundException(request.Space);
            }

            long spaceId = space[0].Id;
            if (attempt > 1 && await FindSubnetByOperationAsync(c, operation, ct).ConfigureAwait(false) is { } done)
            {
                return done;
            }

            if (request.RequestKey is { } key && await FindSubnetAsync(c, "n.space_id = $1 AND n.request_key = $2", ct, spaceId, key).ConfigureAwait(false) is { } keyed)
            {
                return SubnetLayout.ThrowIfRetryDiffers(request, keyed);
            }

            var policy = request.ReservedAddresses ?? space[0].Policy ?? ReservedAddressPolicy.Default;
            policy.ThrowIfTooSmall(1UL << (32 - request.Length));

            var pools = await PoolsAsync(c, spaceId, ct).ConfigureAwait(false);
            var subnets = await Sql.ListAsync(
                c,
                $"SELECT network, length FROM {_s}ipam_subnet WHERE space_id = $1 ORDER BY network",
                r => new Ipv4Prefix(Sql.Address(r.GetInt64(0)), r.GetInt32(1)), ct, spaceId).ConfigureAwait(false);
            Ipv4Prefix pool;
            Ipv4Prefix prefix;
            if (request.Prefix is { } wanted)
            {
                pool = pools.Find(p => p.Contains(wanted)) is var found && found.Contains(wanted) && pools.Contains(found)
                    ? found
                    : throw new PrefixOutsidePoolsException(request.Space, wanted, pools);
                SubnetLayout.ThrowIfExclusionsOutside(wanted, request.Exclusions);
                if (FindOverlapping(subnets, wanted) is { } existing)
                {
                    throw new PrefixOverlapException(request.Space, wanted, existing, "subnet");
                }

                prefix = wanted;
            }
            else
            {
                (pool, prefix) = ChooseNextFree(request, pools, subnets);
                SubnetLayout.ThrowIfExclusionsOutside(prefix, request.Exclusions);
            }

            if (request.Name is { } name && await FindSubnetAsync(c, "n.space_id = $1 AND n.name = $2", ct, spaceId, name).ConfigureAwait(false) is { } taken)
            {
                throw new SubnetNameInUseException(request.Space, name, taken.Prefix, prefix);
            }

            var subnet = new Subnet(request.Space, prefix, pool, policy)
            {
                Name = request.Name,
                RequestKey = request.RequestKey,
                Exclusions = request.Exclusions,
                CarvedAt = now,
            };
            var ranges = subnet.AllocatableRanges();
            var writes = new SqlBatch();
            writes.Add(
                $"""
                INSERT INTO {_s}ipam_subnet (space_id, network, length, pool_network, name, policy_name, policy_start, policy_end,
                    exclusion_first, exclusion_last, carved_at, reserved, operation_id, span, request_key)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                """,
                spaceId, (long)prefix.Network.Value, prefix.Length, (long)pool.Network.Value, request.Name, policy.Name, policy.ReservedAtStart, policy.ReservedAtEnd,
                request.Exclusions.Select(e => (long)e.First.Value).ToArray(), request.Exclusions.Select(e => (long)e.Last.Value).ToArray(),
                Sql.Utc(now), (long)subnet.UnallocatableCount(), operation, IpamRows.Span(spaceId, prefix), request.RequestKey);
            _free.Insert(writes, spaceId, prefix.Network.Value, ranges);
            await writes.ExecuteAsync(c, ct).ConfigureAwait(false);
            return subnet;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<AddressAllocation>> ReleaseSubnetAsync(string space, Ipv4Prefix subnet, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await _runner.RunAsync(nameof(ReleaseSubnetAsync), async (c, _, ct) =>
        {
            long spaceId = await LockSpaceAsync(c, space, ct).ConfigureAwait(false);
            if (await LockSubnetAsync(c, space, subnet, ct).ConfigureAwait(false) is null)
            {
                throw new SubnetNotFoundException(space, subnet);
            }

            var allocations = await Sql.ListAsync(
                c,
                $"SELECT {IpamRows.AllocationColumns} FROM {IpamRows.AllocationFrom(_s)} WHERE a.space_id = $1 AND a.subnet_network = $2 ORDER BY a.address",
                r => IpamRows.ReadAllocation(r, space), ct, spaceId, (long)subnet.Network.Value).ConfigureAwait(false);
            if (allocations.Count > 0 && !force)
            {
                throw new SubnetNotEmptyException(space, subnet, (ulong)allocations.Count);
            }

            // Allocations, holds and free ranges go with the subnet (ON DELETE CASCADE); its space returns to the pool.
            await Sql.ExecuteAsync(c, $"DELETE FROM {_s}ipam_subnet WHERE space_id = $1 AND network = $2", ct, spaceId, (long)subnet.Network.Value).ConfigureAwait(false);
            return (IReadOnlyList<AddressAllocation>)allocations;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<Subnet?> GetSubnetAsync(string space, Ipv4Prefix subnet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await _runner.RunAsync(nameof(GetSubnetAsync), async (c, _, ct) =>
        {
            var rows = await Sql.ListAsync(
                c,
                $"SELECT {IpamRows.SubnetColumns} FROM {IpamRows.SubnetFrom(_s)} WHERE s.name = $1 AND n.network = $2 AND n.length = $3",
                IpamRows.ReadSubnet, ct, space, (long)subnet.Network.Value, subnet.Length).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                await SpaceIdAsync(c, space, ct).ConfigureAwait(false);
                return null;
            }

            return rows[0].Definition;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<Subnet?> GetSubnetByNameAsync(string space, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(name);
        return await _runner.RunAsync(nameof(GetSubnetByNameAsync), async (c, _, ct) =>
        {
            long spaceId = await SpaceIdAsync(c, space, ct).ConfigureAwait(false);
            return await FindSubnetAsync(c, "n.space_id = $1 AND n.name = $2", ct, spaceId, name).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<Subnet>> ListSubnetsAsync(string space, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await _runner.RunAsync(nameof(ListSubnetsAsync), async (c, _, ct) =>
        {
            long spaceId = await SpaceIdAsync(c, space, ct).ConfigureAwait(false);
            var rows = await Sql.ListAsync(
                c,
                $"SELECT {IpamRows.SubnetColumns} FROM {IpamRows.SubnetFrom(_s)} WHERE n.space_id = $1 ORDER BY n.network",
                IpamRows.ReadSubnet, ct, spaceId).ConfigureAwait(false);
            return (IReadOnlyList<Subnet>)[.. rows.Select(r => r.Definition)];
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<AddressAllocationResult> AllocateAsync(AddressRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Next-free requests of one subnet that arrive together share a transaction (see AllocationQueue);
        // random requests run in the same server-side function from a random offset; specific ones here.
        return request.Strategy switch
        {
            AllocationStrategy.NextFree => await _nextFree.EnqueueAsync(request, now, cancellationToken).ConfigureAwait(false),
            AllocationStrategy.Random => await AllocateRandomAsync(request, now, cancellationToken).ConfigureAwait(false),
            _ => await AllocateSpecificAsync(request, now, cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<AddressAllocationResult> AllocateSpecificAsync(AddressRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var operation = Guid.NewGuid();
        return await _runner.RunAsync(nameof(AllocateAsync), async (c, attempt, ct) =>
        {
            var subnet = await LockSubnetAsync(c, request.Space, request.Subnet, ct).ConfigureAwait(false);
            if (subnet is null)
            {
                return await WithoutSubnetAsync(c, request, ct).ConfigureAwait(false);
            }

            // A re-run after a commit that was not acknowledged returns what the first run stored.
            if (attempt > 1 && await FindByOperationAsync(c, subnet.SpaceId, request.Space, operation, ct).ConfigureAwait(false) is { } mine)
            {
                return new AddressAllocationResult(mine, IsNew: true);
            }

            if (await FindByRequestKeyAsync(c, subnet.SpaceId, request, ct).ConfigureAwait(false) is { } retried)
            {
                return new AddressAllocationResult(retried, IsNew: false);
            }

            if (subnet.ReuseHoldTicks > 0)
            {
                // The same hold expiry as ipam_allocate_next's, at the caller's time.
                await Sql.ExecuteAsync(
                    c, $"SELECT {_s}ipam_end_expired_holds($1, $2, $3, $4)", ct, subnet.SpaceId, subnet.Network, subnet.Last, Sql.Utc(now)).ConfigureAwait(false);
            }

            var writes = new SqlBatch();
            if (await TakeSpecificAsync(c, writes, subnet, request, ct).ConfigureAwait(false) is { } existing)
            {
                return new AddressAllocationResult(existing, IsNew: false);
            }

            long address = request.Address.Value;
            var allocation = new AddressAllocation(
                request.Space, subnet.Prefix, Sql.Address(address), request.Owner, request.RequestKey, request.Metadata, now);
            writes.Add(
                $"""
                INSERT INTO {_s}ipam_allocation (space_id, address, subnet_network, owner, request_key, metadata, allocated_at, operation_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """,
                subnet.SpaceId, address, subnet.Network, request.Owner, request.RequestKey, IpamRows.Metadata(request.Metadata), Sql.Utc(now), operation);
            writes.Add($"UPDATE {_s}ipam_subnet SET allocated = allocated + 1 WHERE space_id = $1 AND network = $2", subnet.SpaceId, subnet.Network);
            await writes.ExecuteAsync(c, ct).ConfigureAwait(false);
            return new AddressAllocationResult(allocation, IsNew: true);
        }, cancellationToken).ConfigureAwait(false);
    }

    // No such subnet: the allocation held under the request's key elsewhere in the space, or SubnetNotFoundException.
    private async Task<AddressAllocationResult> WithoutSubnetAsync(NpgsqlConnection c, AddressRequest request, CancellationToken ct)
    {
        long spaceId = await SpaceIdAsync(c, request.Space, ct).ConfigureAwait(false);
        return await FindByRequestKeyAsync(c, spaceId, request, ct).ConfigureAwait(false) is { } keyed
            ? new AddressAllocationResult(keyed, IsNew: false)
            : throw new SubnetNotFoundException(request.Space, request.Subnet);
    }

    /// <inheritdoc/>
    public async ValueTask<AddressAllocation?> ReleaseAsync(string space, Ipv4Address address, string? owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await _runner.RunAsync(nameof(ReleaseAsync), async (c, _, ct) =>
        {
            long spaceId = await SpaceIdAsync(c, space, ct).ConfigureAwait(false);
            // The subnet that can contain the address: the last one starting at or before it.
            var subnets = await Sql.ListAsync(
                c,
                $"""
                SELECT {IpamRows.SubnetColumns} FROM {IpamRows.SubnetFrom(_s)}
                WHERE n.space_id = $1 AND n.network <= $2 ORDER BY n.network DESC LIMIT 1 FOR NO KEY UPDATE OF n
                """,
                IpamRows.ReadSubnet, ct, spaceId, (long)address.Value).ConfigureAwait(false);
            if (subnets.Count == 0 || !subnets[0].Prefix.Contains(address))
            {
                return null;
            }

            var subnet = subnets[0];
            var allocations = await Sql.ListAsync(
                c,
                $"SELECT {IpamRows.AllocationColumns} FROM {IpamRows.AllocationFrom(_s)} WHERE a.space_id = $1 AND a.address = $2",
                r => IpamRows.ReadAllocation(r, space), ct, spaceId, (long)address.Value).ConfigureAwait(false);
            if (allocations.Count == 0)
            {
                return null;
            }

            var allocation = allocations[0];
            if (owner is not null && !string.Equals(owner, allocation.Owner, StringComparison.Ordinal))
            {
                throw new AddressInUseException(allocation, owner);
            }

            await ReleaseLockedAsync(c, subnet, [allocation], now, ct).ConfigureAwait(false);
            return allocation;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<AddressAllocation>> ReleaseOwnerAsync(string space, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(owner);
        return await _runner.RunAsync(nameof(ReleaseOwnerAsync), async (c, _, ct) =>
        {
            long spaceId = await SpaceIdAsync(c, space, ct).ConfigureAwait(false);
            // Lock the owner's subnets in address order (one order for everyone: no deadlock), then read its allocations under the locks.
            var subnets = await Sql.ListAsync(
                c,
                $"""
                SELECT {IpamRows.SubnetColumns} FROM {IpamRows.SubnetFrom(_s)}
                WHERE n.space_id = $1 AND n.network IN (SELECT subnet_network FROM {_s}ipam_allocation WHERE space_id = $1 AND owner = $2)
                ORDER BY n.network FOR NO KEY UPDATE OF n
                """,
                IpamRows.ReadSubnet, ct, spaceId, owner).ConfigureAwait(false);
            var released = new List<AddressAllocation>();
            foreach (var subnet in subnets)
            {
                var allocations = await Sql.ListAsync(
                    c,
                    $"""
                    SELECT {IpamRows.AllocationColumns} FROM {IpamRows.AllocationFrom(_s)}
                    WHERE a.space_id = $1 AND a.subnet_network = $2 AND a.owner = $3 ORDER BY a.address
                    """,
                    r => IpamRows.ReadAllocation(r, space), ct, spaceId, subnet.Network, owner).ConfigureAwait(false);
                await ReleaseLockedAsync(c, subnet, allocations, now, ct).ConfigureAwait(false);
                released.AddRange(allocations);
            }

            return (IReadOnlyList<AddressAllocation>)released;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<AddressAllocation?> FindByAddressAsync(string space, Ipv4Address address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await _runner.RunAsync(nameof(FindByAddressAsync), async (c, _, ct) =>
        {
            long spaceId = await SpaceIdAsync(c, space, ct).ConfigureAwait(false);
            var rows = await Sql.ListAsync(
                c,
                $"SELECT {IpamRows.AllocationColumns} FROM {IpamRows.AllocationFrom(_s)} WHERE a.space_id = $1 AND a.address = $2",
                r => IpamRows.ReadAllocation(r, space), ct, spaceId, (long)address.Value).ConfigureAwait(false);
            return rows.Count == 0 ? null : rows[0];
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<AddressAllocation>> FindByOwnerAsync(string space, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(owner);
        return await _runner.RunAsync(nameof(FindByOwnerAsync), async (c, _, ct) =>
        {
            long spaceId = await SpaceIdAsync(c, space, ct).ConfigureAwait(false);
            return (IReadOnlyList<AddressAllocation>)await Sql.ListAsync(
                c,
                $"SELECT {IpamRows.AllocationColumns} FROM {IpamRows.AllocationFrom(_s)} WHERE a.space_id = $1 AND a.owner = $2 ORDER BY a.address",
                r => IpamRows.ReadAllocation(r, space), ct, spaceId, owner).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<AddressAllocation>> ListAllocationsAsync(string space, Ipv4Prefix subnet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await _runner.RunAsync(nameof(ListAllocationsAsync), async (c, _, ct) =>
        {
            long spaceId = await SpaceIdAsync(c, space, ct).ConfigureAwait(false);
            if (await Sql.ScalarAsync(c, $"SELECT 1 FROM {_s}ipam_subnet WHERE space_id = $1 AND network = $2 AND length = $3", ct, spaceId, (long)subnet.Network.Value, subnet.Length).ConfigureAwait(false) is null)
            {
                throw new SubnetNotFoundException(space, subnet);
            }

            return (IReadOnlyList<AddressAllocation>)await Sql.ListAsync(
                c,
                $"SELECT {IpamRows.AllocationColumns} FROM {IpamRows.AllocationFrom(_s)} WHERE a.space_id = $1 AND a.subnet_network = $2 ORDER BY a.address",
                r => IpamRows.ReadAllocation(r, space), ct, spaceId, (long)subnet.Network.Value).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IpamUtilization> GetSubnetUtilizationAsync(string space, Ipv4Prefix subnet, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await _runner.RunAsync(nameof(GetSubnetUtilizationAsync), async (c, _, ct) =>
        {
            long spaceId = await SpaceIdAsync(c, space, ct).ConfigureAwait(false);
            return await SubnetUtilizationAsync(c, spaceId, subnet, now, ct).ConfigureAwait(false)
                ?? throw new SubnetNotFoundException(space, subnet);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IpamUtilization> GetPoolUtilizationAsync(string space, Ipv4Prefix pool, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await _runner.RunAsync(nameof(GetPoolUtilizationAsync), async (c, _, ct) =>
        {
            long spaceId = await SpaceIdAsync(c, space, ct).ConfigureAwait(false);
            var rows = await Sql.ListAsync(
                c,
                $"""
                SELECT (SELECT coalesce(sum(1::bigint << (32 - n.length)), 0)::bigint FROM {_s}ipam_subnet n WHERE n.space_id = p.space_id AND n.pool_network = p.network),
                       (SELECT coalesce(sum(n.reserved), 0)::bigint FROM {_s}ipam_subnet n WHERE n.space_id = p.space_id AND n.pool_network = p.network),
                       (SELECT coalesce(sum(n.allocated), 0)::bigint FROM {_s}ipam_subnet n WHERE n.space_id = p.space_id AND n.pool_network = p.network),
                       (SELECT count(*) FROM {_s}ipam_hold h JOIN {_s}ipam_subnet n ON n.space_id = h.space_id AND n.network = h.subnet_network
                        WHERE h.space_id = p.space_id AND n.pool_network = p.network AND h.reusable_at > $4)
                FROM {_s}ipam_pool p WHERE p.space_id = $1 AND p.network = $2 AND p.length = $3
                """,
                r => new IpamUtilization(pool.Count, (ulong)r.GetInt64(0), (ulong)r.GetInt64(1), (ulong)r.GetInt64(2), (ulong)r.GetInt64(3)),
                ct, spaceId, (long)pool.Network.Value, pool.Length, Sql.Utc(now)).ConfigureAwait(false);
            return rows.Count == 1 ? rows[0] : throw new PrefixOutsidePoolsException(space, pool, await PoolsAsync(c, spaceId, ct).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IpamUtilization> GetSpaceUtilizationAsync(string space, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await _runner.RunAsync(nameof(GetSpaceUtilizationAsync), async (c, _, ct) =>
        {
            long spaceId = await SpaceIdAsync(c, space, ct).ConfigureAwait(false);
            var rows = await Sql.ListAsync(
                c,
                $"""
                SELECT (SELECT coalesce(sum(1::bigint << (32 - length)), 0)::bigint FROM {_s}ipam_pool WHERE space_id = $1),
                       coalesce(sum(1::bigint << (32 - n.length)), 0)::bigint, coalesce(sum(n.reserved), 0)::bigint, coalesce(sum(n.allocated), 0)::bigint,
                       (SELECT count(*) FROM {_s}ipam_hold WHERE space_id = $1 AND reusable_at > $2)
                FROM {_s}ipam_subnet n WHERE n.space_id = $1
                """,
                r => new IpamUtilization((ulong)r.GetInt64(0), (ulong)r.GetInt64(1), (ulong)r.GetInt64(2), (ulong)r.GetInt64(3), (ulong)r.GetInt64(4)),
                ct, spaceId, Sql.Utc(now)).ConfigureAwait(false);
            return rows[0];
        }, cancellationToken).ConfigureAwait(false);
    }

    // The two candidates of the shared overlap rule, from the space's subnets in address order.
    private static Ipv4Prefix? FindOverlapping(List<Ipv4Prefix> subnets, Ipv4Prefix prefix)
    {
        Ipv4Prefix? before = null;
        Ipv4Prefix? inside = null;
        foreach (var subnet in subnets)
        {
            if (subnet.Network.Value <= prefix.Network.Value)
            {
                before = subnet;
            }
            else if (inside is null && prefix.Contains(subnet.Network))
            {
                inside = subnet;
            }
        }

        return SubnetLayout.Overlapping(prefix, before, inside);
    }

    // The shared next-free carving rule over the free blocks of each candidate pool.
    private static (Ipv4Prefix Pool, Ipv4Prefix Prefix) ChooseNextFree(SubnetRequest request, List<Ipv4Prefix> pools, List<Ipv4Prefix> subnets)
    {
        IReadOnlyList<Ipv4Prefix> candidates = pools;
        if (request.Pool is { } named)
        {
            candidates = pools.Contains(named) ? [named] : throw new PrefixOutsidePoolsException(request.Space, named, pools);
        }

        Ipv4Prefix bestPool = default;
        Ipv4Prefix? bestBlock = null;
        int bestOrdinal = -1;
        foreach (var pool in candidates)
        {
            int ordinal = pools.IndexOf(pool);
            foreach (var block in SubnetLayout.FreeBlocks(pool, subnets.Where(pool.Contains)))
            {
                if (SubnetLayout.IsBetterHole(request.Length, block, ordinal, bestBlock, bestOrdinal))
                {
                    bestPool = pool;
                    bestBlock = block;
                    bestOrdinal = ordinal;
                }
            }
        }

        return bestBlock is { } chosen
            ? (bestPool, new Ipv4Prefix(chosen.Network, request.Length))
            : throw new PoolExhaustedException(request.Space, request.Length, [.. candidates]);
    }

    private void AddPool(SqlBatch writes, long spaceId, Ipv4Prefix pool, int ordinal) =>
        writes.Add(
            $"INSERT INTO {_s}ipam_pool (space_id, network, length, ordinal, span) VALUES ($1, $2, $3, $4, $5)",
            spaceId, (long)pool.Network.Value, pool.Length, ordinal, IpamRows.Span(spaceId, pool));

    private async Task<long> SpaceIdAsync(NpgsqlConnection c, string space, CancellationToken ct) =>
        await Sql.ScalarAsync(c, $"SELECT space_id FROM {_s}ipam_space WHERE name = $1", ct, space).ConfigureAwait(false) is long id
            ? id
            : throw new AddressSpaceNotFoundException(space);

    private async Task<long> LockSpaceAsync(NpgsqlConnection c, string space, CancellationToken ct) =>
        await Sql.ScalarAsync(c, $"SELECT space_id FROM {_s}ipam_space WHERE name = $1 FOR UPDATE", ct, space).ConfigureAwait(false) is long id
            ? id
            : throw new AddressSpaceNotFoundException(space);

    private async Task<List<Ipv4Prefix>> PoolsAsync(NpgsqlConnection c, long spaceId, CancellationToken ct) =>
        await Sql.ListAsync(
            c,
            $"SELECT network, length FROM {_s}ipam_pool WHERE space_id = $1 ORDER BY ordinal",
            r => new Ipv4Prefix(Sql.Address(r.GetInt64(0)), r.GetInt32(1)), ct, spaceId).ConfigureAwait(false);

    private async Task<AddressSpace?> ReadSpaceAsync(NpgsqlConnection c, string space, CancellationToken ct)
    {
        var rows = await Sql.ListAsync(
            c,
            $"""
            SELECT s.name, s.reuse_hold_ticks, s.policy_name, s.policy_start, s.policy_end,
                   coalesce(array_agg(p.network ORDER BY p.ordinal) FILTER (WHERE p.network IS NOT NULL), ARRAY[]::bigint[]),
                   coalesce(array_agg(p.length ORDER BY p.ordinal) FILTER (WHERE p.network IS NOT NULL), ARRAY[]::integer[])
            FROM {_s}ipam_space s LEFT JOIN {_s}ipam_pool p ON p.space_id = s.space_id
            WHERE s.name = $1 GROUP BY s.space_id
            """,
            ReadSpace, ct, space).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static AddressSpace ReadSpace(NpgsqlDataReader r)
    {
        long[] networks = r.GetFieldValue<long[]>(5);
        int[] lengths = r.GetFieldValue<int[]>(6);
        return new AddressSpace(r.GetString(0), networks.Zip(lengths, (n, l) => new Ipv4Prefix(Sql.Address(n), l)))
        {
            ReuseHold = TimeSpan.FromTicks(r.GetInt64(1)),
            DefaultReservedAddresses = r.IsDBNull(2) ? null : IpamRows.Policy(r.GetString(2), r.GetInt32(3), r.GetInt32(4)),
        };
    }

    // Every change to a subnet's addresses starts here: the subnet row lock makes them take turns.
    private async Task<SubnetRow?> LockSubnetAsync(NpgsqlConnection c, string space, Ipv4Prefix subnet, CancellationToken ct)
    {
        var rows = await Sql.ListAsync(
            c,
            $"SELECT {IpamRows.SubnetColumns} FROM {IpamRows.SubnetFrom(_s)} WHERE s.name = $1 AND n.network = $2 AND n.length = $3 FOR NO KEY UPDATE OF n",
            IpamRows.ReadSubnet, ct, space, (long)subnet.Network.Value, subnet.Length).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<Subnet?> FindSubnetByOperationAsync(NpgsqlConnection c, Guid operation, CancellationToken ct)
    {
        var rows = await Sql.ListAsync(
            c, $"SELECT {IpamRows.SubnetColumns} FROM {IpamRows.SubnetFrom(_s)} WHERE n.operation_id = $1", IpamRows.ReadSubnet, ct, operation).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0].Definition;
    }

    private async Task<Subnet?> FindSubnetAsync(NpgsqlConnection c, string where, CancellationToken ct, params object?[] parameters)
    {
        var rows = await Sql.ListAsync(
            c, $"SELECT {IpamRows.SubnetColumns} FROM {IpamRows.SubnetFrom(_s)} WHERE {where}", IpamRows.ReadSubnet, ct, parameters).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0].Definition;
    }

    private async Task<AddressAllocation?> FindByOperationAsync(NpgsqlConnection c, long spaceId, string space, Guid operation, CancellationToken ct)
    {
        var rows = await Sql.ListAsync(
            c,
            $"SELECT {IpamRows.AllocationColumns} FROM {IpamRows.AllocationFrom(_s)} WHERE a.space_id = $1 AND a.operation_id = $2",
            r => IpamRows.ReadAllocation(r, space), ct, spaceId, operation).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<AddressAllocation?> FindByRequestKeyAsync(NpgsqlConnection c, long spaceId, AddressRequest request, CancellationToken ct)
    {
        if (request.RequestKey is not { } key)
        {
            return null;
        }

        var rows = await Sql.ListAsync(
            c,
            $"SELECT {IpamRows.AllocationColumns} FROM {IpamRows.AllocationFrom(_s)} WHERE a.space_id = $1 AND a.owner = $2 AND a.request_key = $3",
            r => IpamRows.ReadAllocation(r, request.Space), ct, spaceId, request.Owner, key).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<IpamUtilization?> SubnetUtilizationAsync(NpgsqlConnection c, long spaceId, Ipv4Prefix subnet, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await Sql.ListAsync(
            c,
            $"""
            SELECT n.reserved, n.allocated,
                   (SELECT count(*) FROM {_s}ipam_hold h WHERE h.space_id = n.space_id AND h.subnet_network = n.network AND h.reusable_at > $4)
            FROM {_s}ipam_subnet n WHERE n.space_id = $1 AND n.network = $2 AND n.length = $3
            """,
            r => new IpamUtilization(subnet.Count, subnet.Count, (ulong)r.GetInt64(0), (ulong)r.GetInt64(1), (ulong)r.GetInt64(2)),
            ct, spaceId, (long)subnet.Network.Value, subnet.Length, Sql.Utc(now)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    // Checks a specific request; returns the allocation when the owner holds the address already, null when it is now taken for the request.
    private async Task<AddressAllocation?> TakeSpecificAsync(NpgsqlConnection c, SqlBatch writes, SubnetRow subnet, AddressRequest request, CancellationToken ct)
    {
        var address = request.Address;
        if (!subnet.Prefix.Contains(address))
        {
            throw new AddressOutsideSubnetException(address, subnet.Prefix);
        }

        var existing = await Sql.ListAsync(
            c,
            $"SELECT {IpamRows.AllocationColumns} FROM {IpamRows.AllocationFrom(_s)} WHERE a.space_id = $1 AND a.address = $2",
            r => IpamRows.ReadAllocation(r, request.Space), ct, subnet.SpaceId, (long)address.Value).ConfigureAwait(false);
        if (existing.Count > 0)
        {
            return string.Equals(existing[0].Owner, request.Owner, StringComparison.Ordinal)
                ? existing[0]
                : throw new AddressInUseException(existing[0], request.Owner);
        }

        var definition = subnet.Definition;
        if (definition.ReservationOf(address) is { } reason)
        {
            throw new AddressReservedException(address, subnet.Prefix, reason);
        }

        // An explicit request may take an address still in its reuse hold: the hold only keeps automatic choices away from it.
        if (await Sql.ExecuteAsync(c, $"DELETE FROM {_s}ipam_hold WHERE space_id = $1 AND address = $2", ct, subnet.SpaceId, (long)address.Value).ConfigureAwait(false) > 0)
        {
            return null;
        }

        var free = await _free.FindContainingAsync(c, subnet.SpaceId, address.Value, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"IPAM state is inconsistent: {address} is neither free, held nor allocated.");
        _free.Take(writes, subnet.SpaceId, subnet.Network, free, address.Value);
        return null;
    }

    // Releases allocations of one locked subnet: each address goes to its reuse hold, or straight back to the free ranges.
    private async Task ReleaseLockedAsync(NpgsqlConnection c, SubnetRow subnet, List<AddressAllocation> allocations, DateTimeOffset now, CancellationToken ct)
    {
        if (allocations.Count == 0)
        {
            return;
        }

        long[] addresses = [.. allocations.Select(a => (long)a.Address.Value)];
        var writes = new SqlBatch();
        writes.Add($"DELETE FROM {_s}ipam_allocation WHERE space_id = $1 AND address = ANY($2)", subnet.SpaceId, addresses);
        writes.Add($"UPDATE {_s}ipam_subnet SET allocated = allocated - $3 WHERE space_id = $1 AND network = $2", subnet.SpaceId, subnet.Network, (long)addresses.Length);
        if (subnet.ReuseHoldTicks > 0)
        {
            writes.Add(
                $"INSERT INTO {_s}ipam_hold (space_id, address, subnet_network, reusable_at) SELECT $1, a, $2, $3 FROM unnest($4::bigint[]) AS t(a)",
                subnet.SpaceId, subnet.Network, Sql.Utc(now + TimeSpan.FromTicks(subnet.ReuseHoldTicks)), addresses);
            await writes.ExecuteAsync(c, ct).ConfigureAwait(false);
            return;
        }

        await writes.ExecuteAsync(c, ct).ConfigureAwait(false);
        foreach (long address in addresses)
        {
            await _free.ReturnAsync(c, subnet.SpaceId, subnet.Prefix, address, ct).ConfigureAwait(false);
        }
    }
}
