using CloudTemple.Networking.Sqlite;
using CloudTemple.Networking.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Sqlite.Tests.Configuration;

/// <summary>
/// UseSqlite(IConfiguration) on both builders in a generic host over docs/configuration/sqlite.appsettings.json, and the
/// health checks it registers.
/// </summary>
public sealed class SqliteConfigurationTests : IDisposable
{
    private const string Example = "sqlite.appsettings.json";
    private const string Section = "Storage:Sqlite";
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    // The example's /var/lib/vpc does not exist on a test machine: the path is overridden, the rest is the file's.
    private HostApplicationBuilder Builder(params (string Key, string? Value)[] overrides)
    {
        var builder = ConfiguredHost.FromExample(Example, [("Storage:Sqlite:Path", _database.Path), .. overrides]);
        var section = builder.Configuration.GetSection(Section);
        builder.Services.AddHealthChecks();
        builder.Services.AddIpam().UseSqlite(section);
        builder.Services.AddDhcpLeaseEngine(o => o.Subnets.Add(new DhcpSubnetOptions { Prefix = Ipv4Prefix.Parse("10.0.1.0/24") })).UseSqlite(section);
        return builder;
    }

    [Fact]
    public async Task Every_value_of_appsettings_json_arrives_in_the_options_of_both_stores()
    {
        using var host = await ConfiguredHost.StartAsync(Builder());
        var options = host.Services.GetRequiredService<IOptionsMonitor<SqliteStoreOptions>>().Get(Section);

        Assert.Equal(_database.Path, options.Path);
        Assert.Equal(TimeSpan.FromSeconds(10), options.BusyTimeout);
        Assert.Equal(5, options.MaxAttempts);
        var ipam = Assert.IsType<SqliteIpamStore>(host.Services.GetRequiredService<IIpamStore>());
        var leases = Assert.IsType<SqliteLeaseStore>(host.Services.GetRequiredService<ILeaseStore>());
        Assert.Equal(_database.Path, ipam.Path);
        Assert.Equal(_database.Path, leases.Path);
        await ipam.CreateSpaceAsync(new AddressSpace("vpc-1", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        Assert.NotNull(await ipam.GetSpaceAsync("vpc-1", default));
    }

    [Theory]
    [InlineData("Storage:Sqlite:MaxAttempts", "0")]
    [InlineData("Storage:Sqlite:BusyTimeout", "soon")]
    [InlineData("Storage:Sqlite:BusyTimeout", "02:00:00")]
    [InlineData("Storage:Sqlite:Path", "")]
    public async Task A_bad_value_stops_the_host_naming_its_key(string key, string value)
    {
        var error = await ConfiguredHost.StartFailsAsync(Builder((key, value)));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Both_health_checks_are_healthy_then_unhealthy_naming_the_file_once_it_is_gone()
    {
        using var host = await ConfiguredHost.StartAsync(Builder());
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries[SqliteStoreHealthCheck.IpamStoreName].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries[SqliteStoreHealthCheck.LeaseStoreName].Status);
        Assert.Contains(_database.Path, report.Entries[SqliteStoreHealthCheck.IpamStoreName].Description, StringComparison.Ordinal);

        File.Delete(_database.Path);
        report = await health.CheckHealthAsync();

        foreach (var name in new[] { SqliteStoreHealthCheck.IpamStoreName, SqliteStoreHealthCheck.LeaseStoreName })
        {
            Assert.Equal(HealthStatus.Unhealthy, report.Entries[name].Status);
            Assert.Contains(_database.Path, report.Entries[name].Description, StringComparison.Ordinal);
            Assert.Contains("does not exist", report.Entries[name].Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_file_that_cannot_be_opened_makes_the_health_check_unhealthy_with_the_stores_error()
    {
        string underAFile = Path.Combine(_database.Path + ".txt", "store.db");
        await File.WriteAllTextAsync(_database.Path + ".txt", "a regular file");
        using var host = await ConfiguredHost.StartAsync(Builder(("Storage:Sqlite:Path", underAFile)));

        var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[SqliteStoreHealthCheck.IpamStoreName];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains(underAFile, entry.Description, StringComparison.Ordinal);
        Assert.IsType<SqliteStoreException>(entry.Exception);
    }

    [Fact]
    public void The_storage_guide_shows_the_example_the_tests_bind() => ConfiguredHost.AssertGuideShows("storage.md", Example);
}
