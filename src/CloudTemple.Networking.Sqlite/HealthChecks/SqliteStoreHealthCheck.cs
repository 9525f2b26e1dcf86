using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// Reports whether a SQLite store's database file is there and readable: it must exist (a file deleted under a running
/// store keeps taking writes that vanish with the process) and a new connection must open it read-write and read its
/// schema. <c>UseSqlite</c> registers one per store under <see cref="IpamStoreName"/> and <see cref="LeaseStoreName"/>
/// (tags <c>sqlite</c>, <c>ready</c>); they run when the host calls <c>services.AddHealthChecks()</c>.
/// </summary>
/// <remarks>Thread-safe: each check opens and closes its own connection, outside the store's.</remarks>
public sealed class SqliteStoreHealthCheck : IHealthCheck
{
    /// <summary>The name of the IPAM store's check: <c>cloudtemple-sqlite-ipam</c>.</summary>
    public const string IpamStoreName = "cloudtemple-sqlite-ipam";

    /// <summary>The name of the DHCP lease store's check: <c>cloudtemple-sqlite-leases</c>.</summary>
    public const string LeaseStoreName = "cloudtemple-sqlite-leases";

    private readonly string _path;
    private readonly TimeSpan _busyTimeout;
    private readonly Func<CancellationToken, ValueTask>? _initializeStore;

    /// <summary>Creates a check of the database file at <paramref name="path"/>.</summary>
    /// <param name="path">The database file (a store's <c>Path</c>).</param>
    /// <param name="busyTimeout">How long the check waits for a writer's lock. Default 5 s.</param>
    public SqliteStoreHealthCheck(string path, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = System.IO.Path.GetFullPath(path);
        _busyTimeout = busyTimeout ?? TimeSpan.FromSeconds(5);
    }

    // Registered by UseSqlite: the store creates its file and schema first (once), so that a check before the store's
    // first use reports on the file the store will use, and a file that cannot be opened reports the store's own error.
    internal SqliteStoreHealthCheck(string path, TimeSpan busyTimeout, Func<CancellationToken, ValueTask> initializeStore)
        : this(path, busyTimeout)
    {
        _initializeStore = initializeStore;
    }

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = new Dictionary<string, object> { ["path"] = _path };
        if (_initializeStore is not null)
        {
            try
            {
                await _initializeStore(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteStoreException e)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e, data);
            }
        }

        if (!File.Exists(_path))
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                $"SQLite database '{_path}' does not exist: it was deleted or moved while its store ran (the store's writes now go to a file nobody will find).",
                data: data);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWrite, // never creates an empty file in place of a missing one
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(_busyTimeout.TotalSeconds)),
        }.ToString();
        try
        {
            var connection = new SqliteConnection(connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = "SELECT count(*) FROM sqlite_master;";
                    long tables = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                    data["schemaObjects"] = tables;
                    return HealthCheckResult.Healthy($"SQLite database '{_path}' is readable ({tables} schema objects).", data);
                }
            }
        }
        catch (SqliteException e)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                $"SQLite database '{_path}' cannot be read: {e.Message}",
                e,
                data);
        }
    }
}
