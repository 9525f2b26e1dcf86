using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>Commands with positional parameters (<c>$1</c>, <c>$2</c>, ...), the form PostgreSQL itself uses.</summary>
internal static class Sql
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, string text, params object?[] values)
    {
        var command = new NpgsqlCommand(text, connection);
        foreach (object? value in values)
        {
            command.Parameters.Add(value is NpgsqlParameter parameter ? parameter : new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string text, CancellationToken cancellationToken, params object?[] values)
    {
        var command = Command(connection, text, values);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, string text, CancellationToken cancellationToken, params object?[] values)
    {
        var command = Command(connection, text, values);
        await using (command.ConfigureAwait(false))
        {
            object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
    }

    /// <summary>Reads every row with <paramref name="read"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(NpgsqlConnection connection, string text, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object?[] values)
    {
        var command = Command(connection, text, values);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var rows = new List<T>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(read(reader));
                }

                return rows;
            }
        }
    }

    public static long Address(Ipv4Address address) => address.Value;

    public static Ipv4Address Address(long value) => new((uint)value);

    /// <summary>A time as PostgreSQL's <c>timestamptz</c> wants it (UTC).</summary>
    public static DateTimeOffset Utc(DateTimeOffset time) => time.ToUniversalTime();
}
