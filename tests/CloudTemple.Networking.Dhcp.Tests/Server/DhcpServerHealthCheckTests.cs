using CloudTemple.Networking.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudTemple.Networking.Dhcp.Tests.Server;

/// <summary>The socket health check that AddDhcpServer registers, run by the host's HealthCheckService.</summary>
public class DhcpServerHealthCheckTests
{
    private static ServiceProvider Build(int port)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks();
        services.AddDhcpServer(o =>
        {
            o.InterfaceName = "lo";
            o.InterfaceAddress = Ipv4Address.Parse("127.0.0.1");
            o.ServerPort = port;
            o.ClientPort = port + 1;
            o.ReceiveConcurrency = 2;
            o.Subnets.Add(new DhcpSubnetOptions { Prefix = Ipv4Prefix.Parse("127.0.0.0/24"), PoolStart = Ipv4Address.Parse("127.0.0.100") });
        });
        return services.BuildServiceProvider();
    }

    private static async Task<HealthReportEntry> CheckAsync(IServiceProvider services)
    {
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[DhcpServerHealthCheck.Name];
    }

    [Fact]
    public async Task A_server_not_started_is_unhealthy_and_says_so()
    {
        await using var services = Build(20000 + Random.Shared.Next(10000));

        var entry = await CheckAsync(services);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("not listening", entry.Description, StringComparison.Ordinal);
        Assert.Contains("lo", entry.Description, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_listening_server_is_healthy_and_unhealthy_once_stopped()
    {
        Interop.RequireRoot(); // SO_BINDTODEVICE
        int port = 20000 + Random.Shared.Next(10000);
        await using var services = Build(port);
        var server = services.GetRequiredService<DhcpServer>();
        await server.StartAsync(default);
        try
        {
            var healthy = await CheckAsync(services);
            Assert.Equal(HealthStatus.Healthy, healthy.Status);
            Assert.Contains($"lo (127.0.0.1) port {port} with 2 receive loops", healthy.Description, StringComparison.Ordinal);
        }
        finally
        {
            await server.StopAsync(default);
        }

        var stopped = await CheckAsync(services);
        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
        Assert.Contains($"port {port}", stopped.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDhcpServer_twice_registers_one_check()
    {
        var services = new ServiceCollection();
        services.AddHealthChecks();
        services.AddDhcpServer(o => o.InterfaceName = "lo");
        services.AddDhcpServer(o => o.InterfaceName = "lo");
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value;

        Assert.Single(options.Registrations, r => r.Name == DhcpServerHealthCheck.Name);
    }
}
