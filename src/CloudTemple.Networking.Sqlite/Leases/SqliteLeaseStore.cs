using System.Threading.Channels;
using CloudTemple.Networking.Dhcp;
using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// An <see cref="ILeaseStore"/> in a SQLite file: leases survive a restart (and a crash) of the DHCP
/// server, and several processes may share the file. Saves are group-committed: the saves that arrive
/// while a transaction commits are written together by the next one, so that many clients share one
/// disk sync; each <see cref="SaveAsync"/> completes only after the transaction holding its lease has
/// committed (synced, <c>synchronous=FULL</c>), which is what lets the server send its DHCPACK.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe; share one instance per file in a process. The schema is created or migrated on first
/// use (or by <see cref="InitializeAsync"/>). Removal is one <c>BEGIN IMMEDIATE</c> transaction; reads
/// run on WAL snapshots and see every save that has completed.
/// </para>
/// <para>
/// A batch that fails is tried again one save per transaction, so that only the saves that fail
/// themselves report an error. Cancelling a <see cref="SaveAsync"/> stops the wait, not the write: a
/// lease already queued may still be committed. Dispose the store to write what is queued and stop.
/// Database failures throw <see cref="SqliteStoreException"/> and leave nothing half-written.
/// </para>
/// </remarks>
public sealed class SqliteLeaseStore : ILeaseStore, IAsyncDisposable
{
    private const int MaxBatch = 512;
    private const string Columns = "address, subnet_network, subnet_length, client, hardware_address, state, expires_at, host_name";

    private readonly SqliteDatabase _database;
    private readonly SchemaInitializer _schema;
    private readonly Channel<PendingSave> _saves =
        Channel.CreateBounded<PendingSave>(new BoundedChannelOptions(16 * MaxBatch) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Task _writer;
    private long _transactions;

    /// <summary>Creates a store over the file at <paramref name="path"/> (created when missing).</summary>
    /// <param name="path">The database file; it may be the one an <see cref="SqliteIpamStore"/> uses.</param>
    public SqliteLeaseStore(string path)
        : this(new SqliteStoreOptions { Path = path })
    {
    }

    /// <summary>Creates a store with the given options.</summary>
    /// <param name="options">The file and lock-wait settings.</param>
    public SqliteLeaseStore(SqliteStoreOptions options)
    {
        _database = new SqliteDatabase(options);
        _schema = new SchemaInitializer(_database, LeaseSchema.Component, LeaseSchema.Scripts);
        _writer = Task.Run(WriteSavesAsync);
    }

    /// <summary>The full path of the database file.</summary>
    public string Path => _database.Path;

    /// <summary>How many save transactions this instance has committed (fewer than saves when they were grouped).</summary>
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
            cancellationToken).ConfigureAwait(false);
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
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Group-committed with the other saves in flight; completes after the commit that holds this lease.</remarks>
    public async ValueTask SaveAsync(DhcpLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var pending = new PendingSave(lease);
        try
        {
            await _saves.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(SqliteLeaseStore));
        }

        await pending.Committed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DhcpLease>> ListAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ReadAsync<IReadOnlyList<DhcpLease>>(
            nameof(ListAsync), session => session.List($"SELECT {Columns} FROM dhcp_leases ORDER BY address;", Read), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the saves already queued, then stops the writer. Saves after this throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the writer has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        _saves.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _schema.Dispose();
    }

    // The single writer: takes whatever queued while the previous transaction committed, writes it in one.
    private async Task WriteSavesAsync()
    {
        var batch = new List<PendingSave>(MaxBatch);
        var reader = _saves.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await CommitAsync(batch).ConfigureAwait(false);
                batch.ForEach(p => p.Committed.TrySetResult());
            }
            catch (Exception) when (batch.Count > 1)
            {
                // Find the culprit: each save on its own, so that the others still succeed.
                foreach (var pending in batch)
                {
                    try
                    {
                        await CommitAsync([pending]).ConfigureAwait(false);
                        pending.Committed.TrySetResult();
                    }
                    catch (Exception e)
                    {
                        pending.Committed.TrySetException(e);
                    }
                }
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Committed.TrySetException(e));
            }
        }
    }

    private async ValueTask CommitAsync(List<PendingSave> batch)
    {
        await _database.WriteAsync(nameof(SaveAsync), session =>
        {
            foreach (var pending in batch)
            {
                var lease = pending.Lease;
                // REPLACE deletes the rows that conflict on the address and on (subnet, client): the address's
                // previous record and the client's previous record elsewhere in the subnet.
                session.Execute(
                    $"INSERT OR REPLACE INTO dhcp_leases ({Columns}) VALUES ($a, $n, $l, $c, $h, $s, $e, $o);",
                    ("$a", lease.Address.Value), ("$n", lease.Subnet.Network.Value), ("$l", lease.Subnet.Length), ("$c", lease.Client.ToString()),
                    ("$h", lease.HardwareAddress is { } mac ? (long)mac.Value : null), ("$s", (int)lease.State), ("$e", lease.ExpiresAt.UtcTicks),
                    ("$o", lease.HostName));
            }

            return batch.Count;
        }, CancellationToken.None).ConfigureAwait(false);
        Interlocked.Increment(ref _transactions);
    }

    private static DhcpLease Read(SqliteDataReader reader) => new(
        new Ipv4Address((uint)reader.GetInt64(0)),
        new Ipv4Prefix(new Ipv4Address((uint)reader.GetInt64(1)), reader.GetInt32(2)),
        DhcpClientKey.Parse(reader.GetString(3)),
        reader.IsDBNull(4) ? null : new MacAddress((ulong)reader.GetInt64(4)),
        (DhcpLeaseState)reader.GetInt32(5),
        new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero),
        reader.IsDBNull(7) ? null : reader.GetString(7));

    private sealed class PendingSave(DhcpLease lease)
    {
        public DhcpLease Lease { get; } = lease;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
