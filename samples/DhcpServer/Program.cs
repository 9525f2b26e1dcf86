using System.CommandLine;
using CloudTemple.Networking.Dhcp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A DHCP server for one interface, as a cloud's network node runs it:
//   dotnet run --project samples/DhcpServer -- --interface veth0 --subnet 10.0.1.0/24 --router 10.0.1.1 \
//       --dns 10.0.1.2 --domain vpc.internal --mtu 1450 --static-route 192.168.0.0/16=10.0.1.254
// It serves until SIGINT/SIGTERM and logs each lease on one line. --store sqlite:PATH or
// postgresql:CONNECTION-STRING keeps leases (and the addresses, through IPAM) across restarts.
// Exit codes: 0 stopped by a signal, 1 the server could not start (no such interface...), 2 a bad command line.

// 1. Read the command line (--help prints the usage); a bad value exits with code 2 and the library's message.
var commandLine = new CommandLine();
var command = commandLine.Command;
command.SetAction(async (parsed, cancellationToken) =>
{
    // 2. Check the options as the server will at start (a pool outside the subnet, a router elsewhere...).
    var options = new DhcpServerOptions();
    commandLine.Apply(parsed, options);
    var failures = new DhcpServerOptionsValidator(requireInterface: true).GetFailures(options);
    if (failures.Count > 0)
    {
        return SampleCommandLine.Refuse(parsed, failures);
    }

    // 3. Host the server: one log line per event, stopped by SIGINT/SIGTERM.
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    // Log levels from the environment, e.g. Logging__LogLevel__Default=Warning under a load test.
    builder.Configuration.AddEnvironmentVariables();
    // Npgsql logs every command at Information; one line per SQL statement would drown the lease lines and slow the
    // server under load. Logging__LogLevel__Npgsql=Information brings them back.
    builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
    builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
    builder.Logging.AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss ";
    });
    // A failed start is reported below in one line; the host would log it again with its stack trace.
    builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    var dhcp = builder.Services.AddDhcpServer(o => commandLine.Apply(parsed, o));
    // Durable stores keep leases across restarts; their addresses come from an IPAM space in the same
    // database, so several servers (or a controller's static allocations) can share the pool safely.
    var (kind, target) = commandLine.Store(parsed);
    switch (kind)
    {
        case "sqlite":
            builder.Services.AddIpam().UseSqlite(target);
            dhcp.UseSqlite(target).UseIpam(IpamSpace);
            break;
        case "postgresql":
            builder.Services.AddIpam().UsePostgreSql(target);
            dhcp.UsePostgreSql(target).UseIpam(IpamSpace);
            break;
    }

    using var host = builder.Build();
    try
    {
        await host.StartAsync(cancellationToken);
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        // For example an interface that does not exist or has no IPv4 address, or a database that refuses us.
        Console.Error.WriteLine($"DhcpServer: {e.Message}");
        return 1;
    }

    await host.WaitForShutdownAsync(CancellationToken.None);
    return 0;
});

return await SampleCommandLine.InvokeAsync(command, args);

internal static partial class Program
{
    // The IPAM address space that holds the served subnets when a durable store is used.
    private const string IpamSpace = "dhcp";
}
