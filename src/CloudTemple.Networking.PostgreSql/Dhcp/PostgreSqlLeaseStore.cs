using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// An <see cref="ILeaseStore"/> in PostgreSQL: leases survive restarts and are shared by every DHCP
/// server process that points at the same database and schema.
/// </summary>
/// <remarks>
/// <para>
/// Group commit: concurrent <see cref="SaveAsync"/> calls are gathered and stored by a single
/// transaction (at most <see cref="PostgreSqlStoreOptions.MaxBatchSize"/> leases, in arrival order;
/// a few such transactions run at once); each call completes only after the transaction holding its
/// lease has committed. Concurrent saves of the same address may commit in either order. Under
/// load one disk flush then serves many clients; a lone save costs one transaction as before.
/// Cancelling a save after it was queued stops the wait, not necessarily the write.
/// </para>
/// <para>
/// The database enforces one record per address (primary key) and one record per client and subnet
/// (unique key). Transient failures re-run the transaction, at most
/// <see cref="PostgreSqlStoreOptions.MaxAttempts"/> times; other failures roll back and surface as
/// <see cref="PostgreSqlStoreException"/>. The schema is created or migrated by the first operation
/// (or <see cref="InitializeAsync"/>). Thread-safe.
/// </para>
/// </remarks>
public sealed partial class PostgreSqlLeaseStore : ILeaseStore, IAsyncDisposable
{
    private readonly TransactionRunner _runner;
    private readonly NpgsqlDataSource? _ownedDataSource;
    private readonly SchemaMigrator _migrator = new();
    private readonly GroupCommit _saves;
    private readonly string _table;

    /// <summary>Creates a store over a connection string, with the default options; the store owns (and disposes) its data source.</summary>
    /// <param name="connectionString">An Npgsql connection string. Unless it sets them, the store turns on Max Auto Prepare (64) and No Reset On Close: it sends the same few statements over and over and leaves no session state.</param>
    public PostgreSqlLeaseStore(string connectionString)
        : this(connectionString, new PostgreSqlStoreOptions())
    {
    }

    /// <summary>Creates a store over a connection string; the store owns (and disposes) its data source.</summary>
    /// <param name="connectionString">An Npgsql connection string. Unless it sets them, the store turns on Max Auto Prepare (64) and No Reset On Close: it sends the same few statements over and over and leaves no session state.</param>
    /// <param name="options">Schema, retry and batch settings.</param>
    public PostgreSqlLeaseStore(string connectionString, PostgreSqlStoreOptions options)
        : this(OwnedDataSource.Create(connectionString), options, owned: true)
    {
    }

    /// <summary>Creates a store over a connection string that logs and measures through the host's factories; the store owns (and disposes) its data source, which logs through <paramref name="loggerFactory"/> too.</summary>
    /// <param name="connectionString">An Npgsql connection string. Unless it sets them, the store turns on Max Auto Prepare (64) and No Reset On Close: it sends the same few statements over and over and leaves no session state.</param>
    /// <param name="options">Schema, retry and batch settings.</param>
    /// <param name="loggerFactory">Where retries and failures are logged (category <c>CloudTemple.Networking.PostgreSql</c>), and Npgsql's own logs; none when null.</param>
    /// <param name="meterFactory">Creates the <see cref="PostgreSqlTelemetry.MeterName"/> Meter; a standalone Meter when null.</param>
    public PostgreSqlLeaseStore(string connectionString, PostgreSqlStoreOptions options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
        : this(OwnedDataSource.Create(connectionString, loggerFactory), options, owned: true, PostgreSqlDiagnostics.For(loggerFactory, meterFactory))
    {
    }

    /// <summary>Creates a store over a data source that the caller owns (and disposes), with the default options.</summary>
    /// <param name="dataSource">The data source. Build it with No Reset On Close and Max Auto Prepare, as the connection-string overloads do: otherwise every pooled connection is reset with DISCARD ALL on return, which also drops the server's cached plans, and a next-free allocation costs two to three times as much.</param>
    public PostgreSqlLeaseStore(NpgsqlDataSource dataSource)
        : this(dataSource, new PostgreSqlStoreOptions())
    {
    }

    /// <summary>Creates a store over a data source that the caller owns (and disposes).</summary>
    /// <param name="dataSource">The data source. Build it with No Reset On Close and Max Auto Prepare, as the connection-string overloads do: otherwise every pooled connection is reset with DISCARD ALL on return, which also drops the server's cached plans, and a next-free allocation costs two to three times as much.</param>
    /// <param name="options">Schema, retry and batch settings.</param>
    public PostgreSqlLeaseStore(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options)
        : this(dataSource ?? throw new ArgumentNullException(nameof(dataSource)), options, owned: false)
    {
    }

    /// <summary>Creates a store over a data source that the caller owns (and disposes), logging and measuring through the host's factories.</summary>
    /// <param name="dataSource">The data source (give it the host's logger factory with <c>NpgsqlDataSourceBuilder.UseLoggerFactory</c> for Npgsql's own logs). Build it with No Reset On Close and Max Auto Prepare, as the connection-string overloads do.</param>
    /// <param name="options">Schema, retry and batch settings.</param>
    /// <param name="loggerFactory">Where retries and failures are logged (category <c>CloudTemple.Networking.PostgreSql</c>); none when null.</param>
    /// <param name="meterFactory">Creates the <see cref="PostgreSqlTelemetry.MeterName"/> Meter; a standalone Meter when null.</param>
    public PostgreSqlLeaseStore(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
        : this(dataSource ?? throw new ArgumentNullException(nameof(dataSource)), options, owned: false, PostgreSqlDiagnostics.For(loggerFactory, meterFactory))
    {
    }

    private PostgreSqlLeaseStore(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options, bool owned, PostgreSqlDiagnostics? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Validated();
        _ownedDataSource = owned ? dataSource : null;
        _runner = new TransactionRunner(dataSource, settings, _migrator, diagnostics ?? PostgreSqlDiagnostics.Default);
        _table = $"\"{settings.Schema}\".dhcp_lease";
        _saves = new GroupCommit(WriteBatchAsync, settings.MaxBatchSize);
    }

    /// <summary>Creates or migrates the schema now rather than on the first operation.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    public Task InitializeAsync(CancellationToken cancellationToken) => _migrator.EnsureAsync(_runner, cancellationToken);

    /// <summary>Writes the queued saves, then releases the data source if the store owns it.</summary>
    /// <returns>A task that completes when the store is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _saves.DisposeAsync().ConfigureAwait(false);
        if (_ownedDataSource is not null)
        {
            await _ownedDataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<DhcpLease?> FindByAddressAsync(Ipv4Address address, CancellationToken cancellationToken)
    {
        return await _runner.RunSingleAsync(nameof(FindByAddressAsync), async (c, _, ct) =>
            FirstOrNull(await Sql.ListAsync(c, $"SELECT {LeaseRows.Columns} FROM {_table} WHERE address = $1", LeaseRows.Read, ct, (long)address.Value).ConfigureAwait(false)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<DhcpLease?> FindByClientAsync(Ipv4Prefix subnet, DhcpClientKey client, CancellationToken cancellationToken)
    {
        return await _runner.RunSingleAsync(nameof(FindByClientAsync), async (c, _, ct) =>
            FirstOrNull(await Sql.ListAsync(
                c,
                $"SELECT {LeaseRows.Columns} FROM {_table} WHERE subnet_network = $1 AND subnet_length = $2 AND client = $3",
                LeaseRows.Read, ct, (long)subnet.Network.Value, (short)subnet.Length, client.ToString()).ConfigureAwait(false)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask SaveAsync(DhcpLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new ValueTask(_saves.SaveAsync(lease, cancellationToken));
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RemoveAsync(Ipv4Address address, CancellationToken cancellationToken)
    {
        return await _runner.RunSingleAsync(nameof(RemoveAsync), async (c, _, ct) =>
            await Sql.ExecuteAsync(c, $"DELETE FROM {_table} WHERE address = $1", ct, (long)address.Value).ConfigureAwait(false) > 0,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DhcpLease>> FindExpiredAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        return await _runner.RunSingleAsync(nameof(FindExpiredAsync), async (c, _, ct) =>
            (IReadOnlyList<DhcpLease>)await Sql.ListAsync(
                c,
                $"SELECT {LeaseRows.Columns} FROM {_table} WHERE state IN (0, 1, 4) AND expires_at <= $1 ORDER BY expires_at, address LIMIT $2",
                LeaseRows.Read, ct, Sql.Utc(now), (long)maxCount).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DhcpLease>> ListAsync(CancellationToken cancellationToken)
    {
        return await _runner.RunSingleAsync(nameof(ListAsync), async (c, _, ct) =>
            (IReadOnlyList<DhcpLease>)await Sql.ListAsync(c, $"SELECT {LeaseRows.Columns} FROM {_table} ORDER BY address", LeaseRows.Read, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    private static DhcpLease? FirstOrNull(List<DhcpLease> rows) => rows.Count == 0 ? null : rows[0];

    // One NpgsqlBatch, so one implicit transaction (all or nothing) and one round trip for the whole
    // batch; the writes are idempotent, so a re-run after a lost commit is harmless.
    private async Task WriteBatchAsync(IReadOnlyList<DhcpLease> leases, CancellationToken cancellationToken)
    {
        await _runner.RunSingleAsync(nameof(SaveAsync), async (c, _, ct) =>
        {
            var writes = new SqlBatch();
            foreach (var lease in leases)
            {
                LeaseRows.AddSave(writes, _table, lease);
            }

            return await writes.ExecuteAsync(c, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }
}
