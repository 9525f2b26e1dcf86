using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Sqlite;

/// <summary>One operation's connection and transaction, with its commands prepared once and reused by SQL text.</summary>
internal sealed class SqlSession(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public int Execute(string sql, params (string Name, object? Value)[] parameters) => Prepare(sql, parameters).ExecuteNonQuery();

    public long? Int64(string sql, params (string Name, object? Value)[] parameters) =>
        Prepare(sql, parameters).ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;

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

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }

    private SqliteCommand Prepare(string sql, (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
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
