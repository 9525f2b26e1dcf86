using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// Reports whether a PostgreSQL store's database answers: a connection from the store's data source runs a query
/// that also says whether the store's schema exists yet (the stores create it on first use). <c>UsePostgreSql</c>
/// registers one per store under <see cref="IpamStoreName"/> and <see cref="LeaseStoreName"/> (tags <c>postgresql</c>,
/// <c>ready</c>); they run when the host calls <c>services.AddHealthChecks()</c>.
/// </summary>
/// <remarks>Thread-safe: each check takes a connection from the data source's pool and gives it back.</remarks>
public sealed class PostgreSqlStoreHealthCheck : IHealthCheck
{
    /// <summary>The name of the IPAM store's check: <c>cloudtemple-postgresql-ipam</c>.</summary>
    public const string IpamStoreName = "cloudtemple-postgresql-ipam";

    /// <summary>The name of the DHCP lease store's check: <c>cloudtemple-postgresql-leases</c>.</summary>
    public const string LeaseStoreName = "cloudtemple-postgresql-leases";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly string _server;

    /// <summary>Creates a check of the database behind <paramref name="dataSource"/>.</summary>
    /// <param name="dataSource">The store's data source.</param>
    /// <param name="schema">The store's schema (<see cref="PostgreSqlStoreOptions.Schema"/>).</param>
    public PostgreSqlStoreHealthCheck(NpgsqlDataSource dataSource, string schema)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        _dataSource = dataSource;
        _schema = schema;
        // Host, port and database only: the connection string may hold a password.
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        _server = $"{settings.Host}:{settings.Port}/{settings.Database}";
    }

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = new Dictionary<string, object> { ["server"] = _server, ["schema"] = _schema };
        try
        {
            var command = _dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1);");
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = _schema });
                bool schemaExists = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                data["schemaExists"] = schemaExists;
                return HealthCheckResult.Healthy(
                    schemaExists
                        ? $"PostgreSQL {_server} answers; schema \"{_schema}\" exists."
                        : $"PostgreSQL {_server} answers; schema \"{_schema}\" is created on the store's first use.",
                    data);
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL {_server} does not answer: {e.Message}", e, data);
        }
    }
}
