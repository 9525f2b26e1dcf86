using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>Writes collected during an operation and sent to the server in one round trip.</summary>
internal sealed class SqlBatch
{
    private readonly List<(string Text, object?[] Values)> _commands = [];

    public int Count => _commands.Count;

    public void Add(string text, params object?[] values) => _commands.Add((text, values));

    public async Task<int> ExecuteAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_commands.Count == 0)
        {
            return 0;
        }

        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            foreach (var (text, values) in _commands)
            {
                var command = new NpgsqlBatchCommand(text);
                foreach (object? value in values)
                {
                    command.Parameters.Add(value is NpgsqlParameter parameter ? parameter : new NpgsqlParameter { Value = value ?? DBNull.Value });
                }

                batch.BatchCommands.Add(command);
            }

            _commands.Clear();
            return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
