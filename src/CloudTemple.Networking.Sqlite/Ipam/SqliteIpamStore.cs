using System.Collections.ObjectModel;
using System.Diagnostics.Metrics;
using System.Text.Json;
using CloudTemple.Networking.Ipam;
using Microsoft.Extensions.Logging;

namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// An <see cref="IIpamStore"/> in a SQLite file: durable, and shared safely by every process that opens
/// the same file. A write (allocate, release, carve, ...) reads, decides and writes inside a
/// <c>BEGIN IMMEDIATE</c> transaction, under the database's write lock, so that two processes never get
/// the same address or overlapping subnets; writes that arrive together are group-committed (one
/// transaction, each write in its own savepoint, run one after the other). An error rolls the whole
/// operation back and fails only that operation.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe; share one instance per file in a process. The schema is created or migrated on first
/// use (or by <see cref="InitializeAsync"/>). Writes of one process to one file queue asynchronously
/// for the write lock, and share transactions with the other SQLite stores of the process on the same
/// file and options; reads run in parallel on WAL snapshots. Commits are synced to disk
/// (<c>synchronous=FULL</c>) before a method returns. Cancelling a write stops it while it is queued;
/// once its transaction has started, the call waits for the commit.
/// </para>
/// <para>
/// Domain errors are the same <see cref="IpamException"/> types as <see cref="InMemoryIpamStore"/>;
/// database failures (I/O, full disk, corruption, a lock held through every attempt) throw
/// <see cref="SqliteStoreException"/>.
/// </para>
/// </remarks>
public sealed class SqliteIpamStore : IIpamStore, IDisposable
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = ReadOnlyDictionary<string, string>.Empty;

    private readonly SqliteDatabase _database;
    private readonly SchemaInitializer _schema;
    private int _disposed;

    /// <summary>Creates a store over the file at <paramref name="path"/> (created when missing).</summary>
    /// <param name="path">The database file.</param>
    public SqliteIpamStore(string path)
        : this(new SqliteStoreOptions { Path = path })
    {
    }

    /// <summary>Creates a store with the given options.</summary>
    /// <param name="options">The file and lock-wait settings.</param>
    public SqliteIpamStore(SqliteStoreOptions options)
        : this(options, null, null)
    {
    }

    /// <summary>Creates a store with the given options that logs and measures through the host's factories.</summary>
    /// <param name="options">The file and lock-wait settings.</param>
    /// <param name="loggerFactory">Where retries and failures are logged (category <c>CloudTemple.Networking.Sqlite</c>); none when null.</param>
    /// <param name="meterFactory">Creates the <see cref="SqliteTelemetry.MeterName"/> Meter; a standalone Meter when null.</param>
    /// <remarks>The stores of one process on one file share their transactions, and so their diagnostics: those of the first store given a factory.</remarks>
    public SqliteIpamStore(SqliteStoreOptions options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
    {
        _database = SqliteDatabase.Acquire(options, SqliteDiagnostics.For(loggerFactory, meterFactory));
        _schema = new SchemaInitializer(_database, IpamSchema.Component, IpamSchema.Scripts);
    }

    /// <summary>The full path of the database file.</summary>
    public string Path => _database.Path;

    /// <summary>Creates the file and the IPAM tables, or migrates them, unless already done. Idempotent; safe when several processes open a new file at once.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    public ValueTask InitializeAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(cancellationToken);

    /// <summary>Releases the instance's resources; the file and its data stay. Operations must have completed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _database.Release();
            _schema.Dispose();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<AddressSpace> CreateSpaceAsync(AddressSpace space, CancellationToken cancellationToken)
    {
        SubnetLayout.ThrowIfInvalid(space);
        return await WriteAsync(nameof(CreateSpaceAsync), session =>
        {
            if (session.Int64("SELECT id FROM ipam_spaces WHERE name = $n;", ("$n", space.Name)) is not null)
            {
                throw new AddressSpaceExistsException(space.Name);
            }

            return InsertSpace(session, space);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<AddressSpace> EnsureSpaceAsync(AddressSpace space, CancellationToken cancellationToken)
    {
        SubnetLayout.ThrowIfInvalid(space);
        return await WriteAsync(nameof(EnsureSpaceAsync), session =>
        {
            if (FindSpace(session, space.Name) is not { } row)
            {
                return InsertSpace(session, space);
            }

            var stored = Definition(row, Pools(session, row.Id));
            return stored.Equals(space) ? stored : throw new AddressSpaceConflictException(stored, space);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static AddressSpace InsertSpace(SqlSession session, AddressSpace space)
    {
        {
            var policy = space.DefaultReservedAddresses;
            long id = session.Int64(
                "INSERT INTO ipam_spaces (name, reuse_hold_ticks, policy_name, policy_start, policy_end) VALUES ($n, $h, $p, $a, $b) RETURNING id;",
                ("$n", space.Name), ("$h", space.ReuseHold.Ticks), ("$p", policy?.Name), ("$a", policy?.ReservedAtStart), ("$b", policy?.ReservedAtEnd))!.Value;
            for (int i = 0; i < space.Pools.Count; i++)
            {
                InsertPool(session, id, space.Pools[i], i);
            }

            return space;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<AddressSpace> AddPoolAsync(string space, Ipv4Prefix pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await WriteAsync(nameof(AddPoolAsync), session =>
        {
            var row = GetSpace(session, space);
            var pools = Pools(session, row.Id);
            foreach (var existing in pools)
            {
                if (existing.Overlaps(pool))
                {
                    throw new PrefixOverlapException(space, pool, existing, "pool");
                }
            }

            InsertPool(session, row.Id, pool, pools.Count);
            return Definition(row, [.. pools, pool]);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteSpaceAsync(string space, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await WriteAsync(nameof(DeleteSpaceAsync), session =>
        {
            if (session.Int64("SELECT id FROM ipam_spaces WHERE name = $n;", ("$n", space)) is not { } id)
            {
                return false;
            }

            foreach (string table in (ReadOnlySpan<string>)["ipam_pools", "ipam_free_blocks", "ipam_subnets", "ipam_free_ranges", "ipam_allocations", "ipam_holds"])
            {
                session.Execute($"DELETE FROM {table} WHERE space_id = $s;", ("$s", id));
            }

            session.Execute("DELETE FROM ipam_spaces WHERE id = $s;", ("$s", id));
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<AddressSpace?> GetSpaceAsync(string space, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await ReadAsync(nameof(GetSpaceAsync), session =>
            FindSpace(session, space) is { } row ? Definition(row, Pools(session, row.Id)) : null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<AddressSpace>> ListSpacesAsync(CancellationToken cancellationToken) =>
        await ReadAsync<IReadOnlyList<AddressSpace>>(nameof(ListSpacesAsync), session =>
        {
            var rows = session.List($"SELECT {SpaceRow.Columns} FROM ipam_spaces;", SpaceRow.Read);
            return [.. rows.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => Definition(r, Pools(session, r.Id)))];
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<Subnet> CarveSubnetAsync(SubnetRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await WriteAsync(nameof(CarveSubnetAsync), session =>
        {
            var space = GetSpace(session, request.Space);
            if (request.RequestKey is { } key
                && session.Single(
                    $"SELECT {SubnetRow.Columns} FROM ipam_subnets WHERE space_id = $s AND request_key = $k;",
                    r => SubnetRow.Read(r, space.Name), ("$s", space.Id), ("$k", key)) is { } keyed)
            {
                return SubnetLayout.ThrowIfRetryDiffers(request, keyed.Definition);
            }

            var policy = request.ReservedAddresses ?? space.DefaultReservedAddresses ?? ReservedAddressPolicy.Default;
            policy.ThrowIfTooSmall(1UL << (32 - request.Length));
            var pools = Pools(session, space.Id);
            Ipv4Prefix prefix;
            Ipv4Prefix pool;
            if (request.Prefix is { } wanted)
            {
                int index = pools.FindIndex(p => p.Contains(wanted));
                pool = index >= 0 ? pools[index] : throw new PrefixOutsidePoolsException(request.Space, wanted, pools);
                SubnetLayout.ThrowIfExclusionsOutside(wanted, request.Exclusions);
                if (FindOverlappingSubnet(session, space.Id, wanted) is { } existing)
                {
                    throw new PrefixOverlapException(request.Space, wanted, existing, "subnet");
                }

                var block = FreeBlocks.Containing(session, space.Id, wanted)
                    ?? throw new InvalidOperationException($"IPAM state is inconsistent: {wanted} overlaps no subnet but is not free in pool {pool}.");
                FreeBlocks.Split(session, space.Id, block, wanted);
                prefix = wanted;
            }
            else
            {
                if (request.Pool is { } named && !pools.Contains(named))
                {
                    throw new PrefixOutsidePoolsException(request.Space, named, pools);
                }

                var block = FreeBlocks.SmallestFit(session, space.Id, request.Length, request.Pool)
                    ?? throw new PoolExhaustedException(request.Space, request.Length, request.Pool is { } only ? [only] : pools);
                prefix = new Ipv4Prefix(new Ipv4Address(block.Network), request.Length);
                pool = pools.Find(p => p.Network.Value == block.Pool);
                FreeBlocks.Split(session, space.Id, block, prefix);
                SubnetLayout.ThrowIfExclusionsOutside(prefix, request.Exclusions);
            }

            if (request.Name is { } name
                && FindPrefix(session, "SELECT network, length FROM ipam_subnets WHERE space_id = $s AND name = $name;", ("$s", space.Id), ("$name", name)) is { } taken)
            {
                throw new SubnetNameInUseException(request.Space, name, taken, prefix);
            }

            var subnet = new Subnet(request.Space, prefix, pool, policy)
            {
                Name = request.Name, RequestKey = request.RequestKey, Exclusions = request.Exclusions, CarvedAt = now,
            };
            ulong reserved = FreeRanges.Create(session, space.Id, subnet);
            session.Execute(
                """
                INSERT INTO ipam_subnets (space_id, network, length, pool_network, pool_length, name, policy_name, policy_start, policy_end,
                    exclusions, carved_at, cursor, reserved, allocated, held, request_key)
                VALUES ($s, $n, $l, $pn, $pl, $name, $policy, $a, $b, $x, $t, 0, $r, 0, 0, $k);
                """,
                ("$s", space.Id), ("$n", prefix.Network.Value), ("$l", prefix.Length), ("$pn", pool.Network.Value), ("$pl", pool.Length),
                ("$name", request.Name), ("$policy", policy.Name), ("$a", policy.ReservedAtStart), ("$b", policy.ReservedAtEnd),
                ("$x", SubnetRow.FormatExclusions(request.Exclusions)), ("$t", now.UtcTicks), ("$r", (long)reserved), ("$k", request.RequestKey));
            return subnet;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<AddressAllocation>> ReleaseSubnetAsync(string space, Ipv4Prefix subnet, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await WriteAsync<IReadOnlyList<AddressAllocation>>(nameof(ReleaseSubnetAsync), session =>
        {
            var row = GetSpace(session, space);
            var subnetRow = GetSubnet(session, row, subnet);
            if (subnetRow.Allocated > 0 && !force)
            {
                throw new SubnetNotEmptyException(space, subnet, subnetRow.Allocated);
            }

            var dropped = Allocations(session, row, subnet);
            (string, object?)[] range = [("$s", row.Id), ("$a", subnet.Network.Value), ("$b", subnet.Last.Value)];
            session.Execute("DELETE FROM ipam_allocations WHERE space_id = $s AND address BETWEEN $a AND $b;", range);
            session.Execute("DELETE FROM ipam_holds WHERE space_id = $s AND address BETWEEN $a AND $b;", range);
            FreeRanges.DeleteSubnet(session, row.Id, subnet);
            session.Execute("DELETE FROM ipam_subnets WHERE space_id = $s AND network = $n;", ("$s", row.Id), ("$n", subnet.Network.Value));
            FreeBlocks.Release(session, row.Id, subnet, subnetRow.Definition.Pool);
            return dropped;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<Subnet?> GetSubnetAsync(string space, Ipv4Prefix subnet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await ReadAsync(nameof(GetSubnetAsync), session => FindSubnet(session, GetSpace(session, space), subnet)?.Definition, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<Subnet?> GetSubnetByNameAsync(string space, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(name);
        return await ReadAsync(nameof(GetSubnetByNameAsync), session =>
        {
            var row = GetSpace(session, space);
            return session.Single(
                $"SELECT {SubnetRow.Columns} FROM ipam_subnets WHERE space_id = $s AND name = $name;",
                r => SubnetRow.Read(r, space).Definition, ("$s", row.Id), ("$name", name));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<Subnet>> ListSubnetsAsync(string space, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await ReadAsync<IReadOnlyList<Subnet>>(nameof(ListSubnetsAsync), session =>
        {
            var row = GetSpace(session, space);
            return session.List(
                $"SELECT {SubnetRow.Columns} FROM ipam_subnets WHERE space_id = $s ORDER BY network;",
                r => SubnetRow.Read(r, space).Definition,
                ("$s", row.Id));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<AddressAllocationResult> AllocateAsync(AddressRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? metadata = request.Metadata.Count == 0 ? null : JsonSerializer.Serialize(request.Metadata);
        return await WriteAsync(nameof(AllocateAsync), session =>
        {
            var space = GetSpace(session, request.Space);
            EndExpiredHolds(session, space, now);
            if (request.RequestKey is { } key
                && session.Single(
                    $"SELECT {AllocationColumns} FROM ipam_allocations WHERE space_id = $s AND owner = $o AND request_key = $k;",
                    r => ReadAllocation(r, space.Name), ("$s", space.Id), ("$o", request.Owner), ("$k", key)) is { } retried)
            {
                return new AddressAllocationResult(retried, IsNew: false);
            }

            var subnet = GetSubnet(session, space, request.Subnet);
            uint network = subnet.Prefix.Network.Value;
            uint address;
            bool counted = false;
            switch (request.Strategy)
            {
                case AllocationStrategy.Specific:
                    if (TakeSpecific(session, space, subnet, request) is { } existing)
                    {
                        return new AddressAllocationResult(existing, IsNew: false);
                    }

                    address = request.Address.Value;
                    break;
                case AllocationStrategy.Random:
                    {
                        uint from = network + (uint)Random.Shared.NextInt64((long)subnet.Prefix.Count);
                        var range = FreeRanges.FindFrom(session, space.Id, subnet.Prefix, from)
                            ?? throw new SubnetExhaustedException(space.Name, subnet.Prefix, subnet.Utilization);
                        // Inside a free range the drawn address itself; past a used stretch, anywhere in the next free range.
                        address = range.First <= from && from <= range.Last
                            ? from
                            : range.First + (uint)Random.Shared.NextInt64((long)range.Last - range.First + 1);
                        FreeRanges.Take(session, space.Id, range, address);
                        break;
                    }

                default:
                    {
                        uint from = subnet.Cursor < (long)subnet.Prefix.Count ? network + (uint)subnet.Cursor : network;
                        var range = FreeRanges.FindFrom(session, space.Id, subnet.Prefix, from)
                            ?? throw new SubnetExhaustedException(space.Name, subnet.Prefix, subnet.Utilization);
                        address = SubnetLayout.NextFreeIn(new Ipv4AddressRange(new Ipv4Address(range.First), new Ipv4Address(range.Last)), new Ipv4Address(from)).Value;
                        FreeRanges.Take(session, space.Id, range, address);
                        // The cursor and the counter in one statement: this path runs for every DHCP offer.
                        session.Execute(
                            "UPDATE ipam_subnets SET cursor = $c, allocated = allocated + 1 WHERE space_id = $s AND network = $n;",
                            ("$c", (long)address - network + 1), ("$s", space.Id), ("$n", network));
                        counted = true;
                        break;
                    }
            }

            var allocation = new AddressAllocation(
                space.Name, subnet.Prefix, new Ipv4Address(address), request.Owner, request.RequestKey, request.Metadata, now);
            session.Execute(
                """
                INSERT INTO ipam_allocations (space_id, address, subnet, subnet_length, owner, request_key, metadata, allocated_at)
                VALUES ($s, $a, $n, $l, $o, $k, $m, $t);
                """,
                ("$s", space.Id), ("$a", address), ("$n", network), ("$l", subnet.Prefix.Length), ("$o", request.Owner),
                ("$k", request.RequestKey), ("$m", metadata), ("$t", now.UtcTicks));
            if (!counted)
            {
                AddToCounter(session, space.Id, network, "allocated", 1);
            }

            return new AddressAllocationResult(allocation, IsNew: true);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<AddressAllocation?> ReleaseAsync(string space, Ipv4Address address, string? owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await WriteAsync(nameof(ReleaseAsync), session =>
        {
            var row = GetSpace(session, space);
            EndExpiredHolds(session, row, now);
            if (FindAllocation(session, row, address) is not { } allocation)
            {
                return null;
            }

            if (owner is not null && !string.Equals(owner, allocation.Owner, StringComparison.Ordinal))
            {
                throw new AddressInUseException(allocation, owner);
            }

            Release(session, row, allocation, now);
            return allocation;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<AddressAllocation>> ReleaseOwnerAsync(string space, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(owner);
        return await WriteAsync<IReadOnlyList<AddressAllocation>>(nameof(ReleaseOwnerAsync), session =>
        {
            var row = GetSpace(session, space);
            EndExpiredHolds(session, row, now);
            var released = OwnerAllocations(session, row, owner);
            foreach (var allocation in released)
            {
                Release(session, row, allocation, now);
            }

            return released;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<AddressAllocation?> FindByAddressAsync(string space, Ipv4Address address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await ReadAsync(nameof(FindByAddressAsync), session => FindAllocation(session, GetSpace(session, space), address), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<AddressAllocation>> FindByOwnerAsync(string space, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(owner);
        return await ReadAsync<IReadOnlyList<AddressAllocation>>(
            nameof(FindByOwnerAsync), session => OwnerAllocations(session, GetSpace(session, space), owner), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<AddressAllocation>> ListAllocationsAsync(string space, Ipv4Prefix subnet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await ReadAsync<IReadOnlyList<AddressAllocation>>(nameof(ListAllocationsAsync), session =>
        {
            var row = GetSpace(session, space);
            GetSubnet(session, row, subnet);
            return Allocations(session, row, subnet);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IpamUtilization> GetSubnetUtilizationAsync(string space, Ipv4Prefix subnet, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await ReadAsync(nameof(GetSubnetUtilizationAsync), session =>
        {
            var row = GetSpace(session, space);
            var usage = GetSubnet(session, row, subnet).Utilization;
            // Holds that ended by now count as free; the next write turns them back into free ranges.
            long ended = session.Int64(
                "SELECT count(*) FROM ipam_holds WHERE space_id = $s AND address BETWEEN $a AND $b AND reusable_at <= $t;",
                ("$s", row.Id), ("$a", subnet.Network.Value), ("$b", subnet.Last.Value), ("$t", now.UtcTicks)) ?? 0;
            return usage with { Held = usage.Held - (ulong)ended };
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IpamUtilization> GetPoolUtilizationAsync(string space, Ipv4Prefix pool, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await ReadAsync(nameof(GetPoolUtilizationAsync), session =>
        {
            var row = GetSpace(session, space);
            var pools = Pools(session, row.Id);
            if (!pools.Contains(pool))
            {
                throw new PrefixOutsidePoolsException(space, pool, pools);
            }

            return Usage(session, row.Id, pool.Count, pool, now);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IpamUtilization> GetSpaceUtilizationAsync(string space, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        return await ReadAsync(nameof(GetSpaceUtilizationAsync), session =>
        {
            var row = GetSpace(session, space);
            ulong size = 0;
            foreach (var pool in Pools(session, row.Id))
            {
                size += pool.Count;
            }

            return Usage(session, row.Id, size, null, now);
        }, cancellationToken).ConfigureAwait(false);
    }

    private const string AllocationColumns = "address, subnet, subnet_length, owner, request_key, metadata, allocated_at";

    private async ValueTask<T> WriteAsync<T>(string operation, Func<SqlSession, T> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.WriteAsync(operation, work, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<T> ReadAsync<T>(string operation, Func<SqlSession, T> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ReadAsync(operation, work, cancellationToken).ConfigureAwait(false);
    }

    private static SpaceRow? FindSpace(SqlSession session, string space) =>
        session.Single($"SELECT {SpaceRow.Columns} FROM ipam_spaces WHERE name = $n;", SpaceRow.Read, ("$n", space));

    private static SpaceRow GetSpace(SqlSession session, string space) => FindSpace(session, space) ?? throw new AddressSpaceNotFoundException(space);

    private static List<Ipv4Prefix> Pools(SqlSession session, long space) =>
        session.List(
            "SELECT network, length FROM ipam_pools WHERE space_id = $s ORDER BY ordinal;",
            r => new Ipv4Prefix(new Ipv4Address((uint)r.GetInt64(0)), r.GetInt32(1)),
            ("$s", space));

    private static AddressSpace Definition(SpaceRow row, IEnumerable<Ipv4Prefix> pools) =>
        new(row.Name, pools) { ReuseHold = row.ReuseHold, DefaultReservedAddresses = row.DefaultReservedAddresses };

    private static void InsertPool(SqlSession session, long space, Ipv4Prefix pool, int ordinal)
    {
        session.Execute(
            "INSERT INTO ipam_pools (space_id, network, length, ordinal) VALUES ($s, $n, $l, $o);",
            ("$s", space), ("$n", pool.Network.Value), ("$l", pool.Length), ("$o", ordinal));
        FreeBlocks.Add(session, space, pool.Network.Value, pool.Length, pool.Network.Value);
    }

    private static SubnetRow? FindSubnet(SqlSession session, SpaceRow space, Ipv4Prefix subnet) =>
        session.Single(
            $"SELECT {SubnetRow.Columns} FROM ipam_subnets WHERE space_id = $s AND network = $n AND length = $l;",
            r => SubnetRow.Read(r, space.Name),
            ("$s", space.Id), ("$n", subnet.Network.Value), ("$l", subnet.Length));

    private static SubnetRow GetSubnet(SqlSession session, SpaceRow space, Ipv4Prefix subnet) =>
        FindSubnet(session, space, subnet) ?? throw new SubnetNotFoundException(space.Name, subnet);

    private static Ipv4Prefix? FindOverlappingSubnet(SqlSession session, long space, Ipv4Prefix prefix)
    {
        // Subnets are disjoint: one containing prefix is the last one starting at or before it; one inside starts within it.
        var before = FindPrefix(
            session, "SELECT network, length FROM ipam_subnets WHERE space_id = $s AND network <= $n ORDER BY network DESC LIMIT 1;",
            ("$s", space), ("$n", prefix.Network.Value));
        var inside = FindPrefix(
            session, "SELECT network, length FROM ipam_subnets WHERE space_id = $s AND network BETWEEN $a AND $b ORDER BY network LIMIT 1;",
            ("$s", space), ("$a", prefix.Network.Value), ("$b", prefix.Last.Value));
        return SubnetLayout.Overlapping(prefix, before, inside);
    }

    // The (network, length) of the first row, if any.
    private static Ipv4Prefix? FindPrefix(SqlSession session, string sql, params (string Name, object? Value)[] parameters)
    {
        using var reader = session.Query(sql, parameters);
        return reader.Read() ? new Ipv4Prefix(new Ipv4Address((uint)reader.GetInt64(0)), reader.GetInt32(1)) : null;
    }

    // Checks a specific request; returns the allocation when the owner holds the address already, null when it is now taken.
    private static AddressAllocation? TakeSpecific(SqlSession session, SpaceRow space, SubnetRow subnet, AddressRequest request)
    {
        var address = request.Address;
        if (!subnet.Prefix.Contains(address))
        {
            throw new AddressOutsideSubnetException(address, subnet.Prefix);
        }

        if (FindAllocation(session, space, address) is { } existing)
        {
            return string.Equals(existing.Owner, request.Owner, StringComparison.Ordinal)
                ? existing
                : throw new AddressInUseException(existing, request.Owner);
        }

        var definition = subnet.Definition;
        if (definition.ReservationOf(address) is { } reason)
        {
            throw new AddressReservedException(address, subnet.Prefix, reason);
        }

        // An explicit request may take an address still in its reuse hold: the hold only keeps automatic choices away.
        if (session.Execute("DELETE FROM ipam_holds WHERE space_id = $s AND address = $a;", ("$s", space.Id), ("$a", address.Value)) > 0)
        {
            AddToCounter(session, space.Id, subnet.Prefix.Network.Value, "held", -1);
            return null;
        }

        var free = FreeRanges.Containing(session, space.Id, subnet.Prefix, address.Value)
            ?? throw new InvalidOperationException($"IPAM state is inconsistent: {address} is neither free, held nor allocated.");
        FreeRanges.Take(session, space.Id, free, address.Value);
        return null;
    }

    private static void Release(SqlSession session, SpaceRow space, AddressAllocation allocation, DateTimeOffset now)
    {
        uint address = allocation.Address.Value;
        uint subnet = allocation.Subnet.Network.Value;
        session.Execute("DELETE FROM ipam_allocations WHERE space_id = $s AND address = $a;", ("$s", space.Id), ("$a", address));
        AddToCounter(session, space.Id, subnet, "allocated", -1);
        if (space.ReuseHold <= TimeSpan.Zero)
        {
            FreeRanges.Free(session, space.Id, subnet, address);
            return;
        }

        session.Execute(
            "INSERT INTO ipam_holds (space_id, address, subnet, reusable_at) VALUES ($s, $a, $n, $t);",
            ("$s", space.Id), ("$a", address), ("$n", subnet), ("$t", now.UtcTicks + space.ReuseHold.Ticks));
        AddToCounter(session, space.Id, subnet, "held", 1);
    }

    // Turns the holds that ended by now back into free addresses (usually none: one index seek).
    private static void EndExpiredHolds(SqlSession session, SpaceRow space, DateTimeOffset now)
    {
        if (space.ReuseHold <= TimeSpan.Zero)
        {
            return; // a space's hold is fixed at creation: without one, Release never makes holds
        }

        var ended = session.List(
            "SELECT address, subnet FROM ipam_holds WHERE space_id = $s AND reusable_at <= $t;",
            r => ((uint)r.GetInt64(0), (uint)r.GetInt64(1)),
            ("$s", space.Id), ("$t", now.UtcTicks));
        foreach (var (address, subnet) in ended)
        {
            session.Execute("DELETE FROM ipam_holds WHERE space_id = $s AND address = $a;", ("$s", space.Id), ("$a", address));
            AddToCounter(session, space.Id, subnet, "held", -1);
            FreeRanges.Free(session, space.Id, subnet, address);
        }
    }

    private static void AddToCounter(SqlSession session, long space, uint subnet, string counter, int delta) =>
        session.Execute(
            counter switch
            {
                "allocated" => "UPDATE ipam_subnets SET allocated = allocated + $d WHERE space_id = $s AND network = $n;",
                _ => "UPDATE ipam_subnets SET held = held + $d WHERE space_id = $s AND network = $n;",
            },
            ("$d", delta), ("$s", space), ("$n", subnet));

    private static IpamUtilization Usage(SqlSession session, long space, ulong size, Ipv4Prefix? pool, DateTimeOffset now)
    {
        using var reader = session.Query(
            """
            SELECT coalesce(sum(1 << (32 - length)), 0), coalesce(sum(reserved), 0), coalesce(sum(allocated), 0), coalesce(sum(held), 0),
                (SELECT count(*) FROM ipam_holds h JOIN ipam_subnets s ON s.space_id = h.space_id AND s.network = h.subnet
                 WHERE h.space_id = $s AND h.reusable_at <= $t AND ($p IS NULL OR s.pool_network = $p))
            FROM ipam_subnets WHERE space_id = $s AND ($p IS NULL OR pool_network = $p);
            """,
            ("$s", space), ("$t", now.UtcTicks), ("$p", pool?.Network.Value));
        reader.Read();
        return new IpamUtilization(
            size, (ulong)reader.GetInt64(0), (ulong)reader.GetInt64(1), (ulong)reader.GetInt64(2), (ulong)(reader.GetInt64(3) - reader.GetInt64(4)));
    }

    private static AddressAllocation? FindAllocation(SqlSession session, SpaceRow space, Ipv4Address address) =>
        session.Single(
            $"SELECT {AllocationColumns} FROM ipam_allocations WHERE space_id = $s AND address = $a;",
            r => ReadAllocation(r, space.Name), ("$s", space.Id), ("$a", address.Value));

    private static List<AddressAllocation> OwnerAllocations(SqlSession session, SpaceRow space, string owner) =>
        session.List(
            $"SELECT {AllocationColumns} FROM ipam_allocations WHERE space_id = $s AND owner = $o ORDER BY address;",
            r => ReadAllocation(r, space.Name), ("$s", space.Id), ("$o", owner));

    private static List<AddressAllocation> Allocations(SqlSession session, SpaceRow space, Ipv4Prefix subnet) =>
        session.List(
            $"SELECT {AllocationColumns} FROM ipam_allocations WHERE space_id = $s AND address BETWEEN $a AND $b ORDER BY address;",
            r => ReadAllocation(r, space.Name), ("$s", space.Id), ("$a", subnet.Network.Value), ("$b", subnet.Last.Value));

    private static AddressAllocation ReadAllocation(Microsoft.Data.Sqlite.SqliteDataReader reader, string space) => new(
        space,
        new Ipv4Prefix(new Ipv4Address((uint)reader.GetInt64(1)), reader.GetInt32(2)),
        new Ipv4Address((uint)reader.GetInt64(0)),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? NoMetadata : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(5)) ?? NoMetadata,
        new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero));
}
