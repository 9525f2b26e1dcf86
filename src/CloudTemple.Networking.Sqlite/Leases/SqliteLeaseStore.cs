using System.Diagnostics.Metrics;
using CloudTemple.Networking.Dhcp;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// An <see cref="ILeaseStore"/> in a SQLite file: leases survive a restart (and a crash) of the DHCP
/// server, and several processes may share the file. Saves are group-committed: the saves that arrive
/// while a transaction commits are written together by the next one (with the address allocations of an
/// <see cref="SqliteIpamStore"/> on the same file and options), so that many clients share one disk sync;
/// each <see cref="SaveAsync"/> completes only after the transaction holding its lease has committed
/// (synced, <c>synchronous=FULL</c>), which is what lets the server send its DHCPACK.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe; share one instance per file in a process. The schema is created or migrated on first
/// use (or by <see cref="InitializeAsync"/>). Each save and removal runs in its own savepoint of a
/// <c>BEGIN IMMEDIATE</c> transaction; reads run on WAL snapshots and see every save that has completed.
/// </para>
/// <para>
/// A save that fails reports its own error; the saves it was grouped with are still written. Cancelling a
/// <see cref="SaveAsync"/> stops the save while it is queued; once its transaction has started, the call
/// waits for the commit. Dispose the store to let the saves in flight complete and stop. Database failures
/// throw <see cref="SqliteStoreException"/> and leave nothing half-written.
/// </para>
/// </remarks>
public sealed class SqliteLeaseStore : ILeaseStore, IAsyncDisposable
{
    private const string Columns = "address, subnet_network, subnet_length, client, hardware_address, state, expires_at, host_name";

    private readonly SqliteDatabase _database;
    private readonly SchemaInitializer _schema;
    private long _transactions;
    private long _lastTransaction;
    private int _inFlight;
    private int _disposed;

    /// <summary>Creates a store over the file at <paramref name="path"/> (created when missing).</summary>
    /// <param name="path">The database file; it may be the one an <see cref="SqliteIpamStore"/> uses.</param>
    public SqliteLeaseStore(string path)
        : this(new SqliteStoreOptions { Path = path })
    {
    }

    /// <summary>Creates a store with the given options.</summary>
    /// <param name="options">The file and lock-wait settings.</param>
    public SqliteLeaseStore(SqliteStoreOptions options)
        : this(options, null, null)
    {
    }

    /// <summary>Creates a store with the given options that logs and measures through the host's factories.</summary>
    /// <param name="options">The file and lock-wait settings.</param>
    /// <param name="loggerFactory">Where retries and failures are logged (category <c>CloudTemple.Networking.Sqlite</c>); none when null.</param>
    /// <param name="meterFactory">Creates the <see cref="SqliteTelemetry.MeterName"/> Meter; a standalone Meter when null.</param>
    /// <remarks>The stores of one process on one file share their transactions, and so their diagnostics: those of the first store given a factory.</remarks>
    public SqliteLeaseStore(SqliteStoreOptions options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
    {
        _database = SqliteDatabase.Acquire(options, SqliteDiagnostics.For(loggerFactory, meterFactory));
        _schema = new SchemaInitializer(_database, LeaseSchema.Component, LeaseSchema.Scripts);
    }

    /// <summary>The full path of the database file.</summary>
    public string Path => _database.Path;

    /// <summary>How many transactions this instance's saves were committed in (fewer than saves when they were grouped).</summary>
    internal long SaveTransactions => Interlocked.Read(ref _transactions);

    /// <summary>Creates the file and the lease table, or migrates it, unless already done. Idempotent; safe when several processes open a new file at once.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    public ValueTask InitializeAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<DhcpLease?> FindByAddressAsync(Ipv4Address address, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ReadAsync(
            nameof(FindByAddressAsync),
            session => session.Single($"SELECT {Columns} FROM dhcp_leases WHERE address = $a;", Read, ("$a", address.Value)),
            cancellationToken,
            snapshot: false).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<DhcpLease?> FindByClientAsync(Ipv4Prefix subnet, DhcpClientKey client, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ReadAsync(
            nameof(FindByClientAsync),
            session => session.Single(
                $"SELECT {Columns} FROM dhcp_leases WHERE subnet_network = $n AND subnet_length = $l AND client = $c;",
                Read, ("$n", subnet.Network.Value), ("$l", subnet.Length), ("$c", client.ToString())),
            cancellationToken,
            snapshot: false).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Group-committed with the other writes in flight; completes after the commit that holds this lease.</remarks>
    public async ValueTask SaveAsync(DhcpLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        Interlocked.Increment(ref _inFlight);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
            string client = lease.Client.ToString();
            long? hardware = lease.HardwareAddress is { } mac ? (long)mac.Value : null;
            await _database.WriteAsync(nameof(SaveAsync), session =>
            {
                // REPLACE deletes the rows that conflict on the address and on (subnet, client): the address's
                // previous record and the client's previous record elsewhere in the subnet.
                session.Execute(
                    $"INSERT OR REPLACE INTO dhcp_leases ({Columns}) VALUES ($a, $n, $l, $c, $h, $s, $e, $o);",
                    ("$a", lease.Address.Value), ("$n", lease.Subnet.Network.Value), ("$l", lease.Subnet.Length), ("$c", client),
                    ("$h", hardware), ("$s", (int)lease.State), ("$e", lease.ExpiresAt.UtcTicks),
                    ("$o", lease.HostName));
                if (Interlocked.Exchange(ref _lastTransaction, session.Transaction) != session.Transaction)
                {
                    Interlocked.Increment(ref _transactions);
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RemoveAsync(Ipv4Address address, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.WriteAsync(
            nameof(RemoveAsync),
            session => session.Execute("DELETE FROM dhcp_leases WHERE address = $a;", ("$a", address.Value)) > 0,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DhcpLease>> FindExpiredAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ReadAsync<IReadOnlyList<DhcpLease>>(
            nameof(FindExpiredAsync),
            session => session.List(
                $"SELECT {Columns} FROM dhcp_leases WHERE state IN (0, 1, 4) AND expires_at <= $t ORDER BY expires_at, address LIMIT $n;",
                Read, ("$t", now.UtcTicks), ("$n", maxCount)),
            cancellationToken,
            snapshot: false).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DhcpLease>> ListAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ReadAsync<IReadOnlyList<DhcpLease>>(
            nameof(ListAsync), session => session.List($"SELECT {Columns} FROM dhcp_leases ORDER BY address;", Read), cancellationToken, snapshot: false)
            .ConfigureAwait(false);
    }

    /// <summary>Lets the saves in flight complete, then closes the store. Saves after this throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the saves in flight have completed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (Volatile.Read(ref _inFlight) > 0)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        _database.Release();
        _schema.Dispose();
    }

    private static DhcpLease Read(SqliteDataReader reader) => new(
        new Ipv4Address((uint)reader.GetInt64(0)),
        new Ipv4Prefix(new Ipv4Address((uint)reader.GetInt64(1)), reader.GetInt32(2)),
        DhcpClientKey.Parse(reader.GetString(3)),
        reader.IsDBNull(4) ? null : new MacAddress((ulong)reader.GetInt64(4)),
        (DhcpLeaseState)reader.GetInt32(5),
        new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero),
        reader.IsDBNull(7) ? null : reader.GetString(7));
}
