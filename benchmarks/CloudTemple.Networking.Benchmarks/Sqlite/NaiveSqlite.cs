using CloudTemple.Networking.Dhcp;
using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Benchmarks.Sqlite;

/// <summary>
/// The baselines: what one writes first with SQLite. One table, the same pragmas as the stores (WAL,
/// synchronous=FULL, busy_timeout), one <c>BEGIN IMMEDIATE</c> transaction per operation, and concurrent
/// callers left to SQLite's busy handler.
/// </summary>
internal sealed class NaiveSqlite(string path)
{
    private readonly string _connectionString = $"Data Source={path};Pooling=True;Default Timeout=60";

    public void Create(string sql)
    {
        using var connection = Open();
        Execute(connection, null, "PRAGMA journal_mode = WAL;");
        Execute(connection, null, sql);
    }

    /// <summary>Reads every used address in order and takes the first gap (after the reserved network and gateway).</summary>
    public uint AllocateFirstFree(uint network, string owner)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        uint candidate = network + 2;
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT address FROM naive_allocations ORDER BY address;";
            using var reader = select.ExecuteReader();
            while (reader.Read() && (uint)reader.GetInt64(0) == candidate)
            {
                candidate++;
            }
        }

        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO naive_allocations (address, owner) VALUES ($a, $o);";
            insert.Parameters.AddWithValue("$a", candidate);
            insert.Parameters.AddWithValue("$o", owner);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return candidate;
    }

    /// <summary>One transaction for one lease.</summary>
    public void SaveLease(DhcpLease lease)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO naive_leases (address, client, state, expires_at) VALUES ($a, $c, $s, $e);";
        command.Parameters.AddWithValue("$a", lease.Address.Value);
        command.Parameters.AddWithValue("$c", lease.Client.ToString());
        command.Parameters.AddWithValue("$s", (int)lease.State);
        command.Parameters.AddWithValue("$e", lease.ExpiresAt.UtcTicks);
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA busy_timeout = 60000; PRAGMA synchronous = FULL;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
