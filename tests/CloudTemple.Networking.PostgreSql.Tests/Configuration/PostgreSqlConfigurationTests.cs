using CloudTemple.Networking.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CloudTemple.Networking.PostgreSql.Tests.Configuration;

/// <summary>
/// UsePostgreSql(IConfiguration) on both builders in a generic host over docs/configuration/postgresql.appsettings.json,
/// and the health checks it registers.
/// </summary>
public sealed class PostgreSqlConfigurationTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string Example = "postgresql.appsettings.json";
    private const string Section = "Storage:PostgreSql";

    // The example's server is not the test's: the connection string is overridden, the rest is the file's.
    private static HostApplicationBuilder Builder(string connectionString, params (string Key, string? Value)[] overrides)
    {
        var builder = ConfiguredHost.FromExample(Example, [("Storage:PostgreSql:ConnectionString", connectionString), .. overrides]);
        var section = builder.Configuration.GetSection(Section);
        builder.Services.AddHealthChecks();
        builder.Services.AddIpam().UsePostgreSql(section);
        builder.Services.AddDhcpLeaseEngine(o => o.Subnets.Add(new DhcpSubnetOptions { Prefix = Ipv4Prefix.Parse("10.0.1.0/24") })).UsePostgreSql(section);
        return builder;
    }

    [SkippableFact]
    public async Task Every_value_of_appsettings_json_arrives_in_the_options_of_both_stores()
    {
        string connection = database.Require();
        using var host = await ConfiguredHost.StartAsync(Builder(connection));
        var options = host.Services.GetRequiredService<IOptionsMonitor<PostgreSqlStoreOptions>>().Get(Section);

        Assert.Equal(connection, options.ConnectionString);
        Assert.Equal("vpc_network", options.Schema);
        Assert.Equal(8, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.RetryDelay);
        Assert.Equal(512, options.MaxBatchSize);

        var ipam = Assert.IsType<PostgreSqlIpamStore>(host.Services.GetRequiredService<IIpamStore>());
        Assert.IsType<PostgreSqlLeaseStore>(host.Services.GetRequiredService<ILeaseStore>());
        await ipam.CreateSpaceAsync(new AddressSpace($"vpc-{Guid.NewGuid():N}", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        await using var check = new NpgsqlConnection(connection);
        await check.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'vpc_network')", check);
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("Storage:PostgreSql:Schema", "Vpc-Network")]
    [InlineData("Storage:PostgreSql:MaxAttempts", "0")]
    [InlineData("Storage:PostgreSql:RetryDelay", "later")]
    [InlineData("Storage:PostgreSql:MaxBatchSize", "-1")]
    [InlineData("Storage:PostgreSql:ConnectionString", "")]
    [InlineData("Storage:PostgreSql:ConnectionString", "Hots=db")]
    public async Task A_bad_value_stops_the_host_naming_its_key(string key, string value)
    {
        var error = await ConfiguredHost.StartFailsAsync(Builder("Host=127.0.0.1;Database=vpc", (key, value)));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Both_health_checks_are_healthy_on_a_reachable_server()
    {
        string connection = database.Require();
        using var host = await ConfiguredHost.StartAsync(Builder(connection));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries[PostgreSqlStoreHealthCheck.IpamStoreName].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries[PostgreSqlStoreHealthCheck.LeaseStoreName].Status);
        Assert.Contains("vpc_network", report.Entries[PostgreSqlStoreHealthCheck.LeaseStoreName].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_does_not_answer_makes_both_checks_unhealthy_naming_the_server()
    {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        using var host = await ConfiguredHost.StartAsync(Builder("Host=127.0.0.1;Port=1;Database=gone;Username=vpc;Timeout=2"));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        foreach (var name in new[] { PostgreSqlStoreHealthCheck.IpamStoreName, PostgreSqlStoreHealthCheck.LeaseStoreName })
        {
            Assert.Equal(HealthStatus.Unhealthy, report.Entries[name].Status);
            Assert.Contains("127.0.0.1:1/gone does not answer", report.Entries[name].Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_storage_guide_shows_the_example_the_tests_bind() => ConfiguredHost.AssertGuideShows("storage.md", Example);
}
