using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>The data source a store makes (and owns) from a connection string.</summary>
internal static class OwnedDataSource
{
    // Enough for every statement the stores send on their hot paths.
    private const int AutoPreparedStatements = 64;

    /// <summary>
    /// Turns on Npgsql's automatic preparation unless the connection string says otherwise: the stores
    /// send the same few statements over and over, and a prepared statement skips PostgreSQL's parse
    /// and plan on every later use (less server CPU per operation). Also skips the session reset
    /// Npgsql otherwise sends (several statements) each time a connection goes back to the pool, unless
    /// the connection string says otherwise: the stores leave no session state behind (no SET, no
    /// temporary tables, no session-level advisory locks), and the data source is theirs alone.
    /// </summary>
    /// <param name="connectionString">The connection string.</param>
    /// <param name="loggerFactory">The host's logger factory, which Npgsql then logs through; none when null.</param>
    public static NpgsqlDataSource Create(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        if (loggerFactory is not null)
        {
            dataSource.UseLoggerFactory(loggerFactory);
        }

        return dataSource.Build();
    }
}
