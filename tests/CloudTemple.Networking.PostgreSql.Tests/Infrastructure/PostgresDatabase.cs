using Npgsql;

namespace CloudTemple.Networking.PostgreSql.Tests;

/// <summary>
/// A database of its own for one test class, created on the server named by
/// <see cref="ConnectionVariable"/> (default: the local server that <c>.ci/run</c> starts) and
/// dropped at the end, so that test runs never see each other's rows. When the server is not
/// reachable, <see cref="Require"/> skips the test, or fails it when interop tests are required.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    /// <summary>The environment variable holding the server's connection string (Npgsql's NPGSQL_TEST_DB pattern).</summary>
    public const string ConnectionVariable = "CLOUDTEMPLE_TEST_POSTGRES";

    /// <summary>Used when <see cref="ConnectionVariable"/> is not set.</summary>
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres";

    private string? _unavailable;
    private string? _connectionString;
    private NpgsqlDataSource? _dataSource;

    /// <summary>The server's connection string (its maintenance database).</summary>
    public static string ServerConnectionString => Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value ? value : DefaultConnectionString;

    /// <summary>The name of this class's database.</summary>
    public string Name { get; } = $"cloudtemple_test_{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        try
        {
            var admin = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Timeout = 5, Pooling = false };
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", connection);
            await create.ExecuteNonQueryAsync();
            _connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = Name, Timeout = 10 }.ConnectionString;
            _dataSource = NpgsqlDataSource.Create(_connectionString);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            _unavailable = e.Message;
        }
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is null)
        {
            return;
        }

        await _dataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        var admin = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Timeout = 5, Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The connection string of this class's database, or a skip (a failure when required) naming why there is none.</summary>
    public string Require()
    {
        Interop.Require(
            _unavailable is null,
            $"PostgreSQL is not reachable at '{ServerConnectionString}' ({_unavailable}); start one (bash .ci/run does) or set {ConnectionVariable}.");
        return _connectionString!;
    }

    /// <summary>A data source over this class's database, shared by its tests.</summary>
    public NpgsqlDataSource RequireDataSource()
    {
        Require();
        return _dataSource!;
    }

    /// <summary>A fresh schema name, for a test that needs an empty store.</summary>
    public static string NewSchema() => $"t_{Guid.NewGuid():N}";
}
