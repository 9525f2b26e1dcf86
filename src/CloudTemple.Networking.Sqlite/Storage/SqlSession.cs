using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// One open connection of a <see cref="SqliteDatabase"/> with its commands, prepared once and reused by
/// SQL text for the connection's life (SQLite keeps each statement compiled). Transactions are begun and
/// ended with plain statements by the database, so the commands carry no transaction object.
/// </summary>
/// <remarks>Used by one operation at a time; not thread-safe.</remarks>
internal sealed class SqlSession(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>The number of the write transaction running on this connection (unique in the process), 0 outside one.</summary>
    public long Transaction { get; set; }

    public int Execute(string sql, params (string Name, object? Value)[] parameters) => Prepare(sql, parameters).ExecuteNonQuery();

    public long? Int64(string sql, params (string Name, object? Value)[] parameters) =>
        Prepare(sql, parameters).ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>Runs parameterless statements (transaction control) straight through SQLite, without a command object.</summary>
    public void Run(string sql)
    {
        int rc = SQLitePCL.raw.sqlite3_exec(connection.Handle, sql);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    /// <summary>Runs a statement with a result, such as a pragma, without keeping it prepared.</summary>
    public string? Scalar(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }

    /// <summary>Reads the rows; the reader must be disposed before the next command runs.</summary>
    public SqliteDataReader Query(string sql, params (string Name, object? Value)[] parameters) => Prepare(sql, parameters).ExecuteReader();

    public List<T> List<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        var rows = new List<T>();
        using var reader = Query(sql, parameters);
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public T? Single<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
        where T : class
    {
        using var reader = Query(sql, parameters);
        return reader.Read() ? map(reader) : null;
    }

    /// <summary>Rolls back the open transaction, if any; false when the connection could not do it (and should be dropped).</summary>
    public bool TryRollback()
    {
        Transaction = 0;
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return false;
        }

        if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0)
        {
            return true; // nothing open: never begun, or SQLite rolled it back itself
        }

        try
        {
            Run("ROLLBACK;");
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _commands.Add(sql, command);
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return command;
    }
}
