using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <content>What <see cref="PostgreSqlStoreHealthCheck"/> needs: the store's data source and schema.</content>
public sealed partial class PostgreSqlIpamStore
{
    internal NpgsqlDataSource DataSource => _runner.DataSource;

    internal string Schema => _runner.Schema;
}
