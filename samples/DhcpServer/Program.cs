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

// 1. Read the command line; bad arguments exit with code 2 and say why.
if (!CommandLine.TryParse(args, out var commandLine, out var error))
{
    Console.Error.WriteLine($"DhcpServer: {error}");
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

// 2. Check the options as the server will at start (a pool outside the subnet, a router elsewhere...).
var options = new DhcpServerOptions();
commandLine.Apply(options);
var failures = new DhcpServerOptionsValidator(requireInterface: true).GetFailures(options);
if (failures.Count > 0)
{
    Console.Error.WriteLine($"DhcpServer: {string.Join(Environment.NewLine + "DhcpServer: ", failures)}");
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

// 3. Host the server: one log line per event, stopped by SIGINT/SIGTERM.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
// Log levels from the environment, e.g. Logging__LogLevel__Default=Warning under a load test.
builder.Configuration.AddEnvironmentVariables();
builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss ";
});
var dhcp = builder.Services.AddDhcpServer(commandLine.Apply);
// Durable stores keep leases across restarts; their addresses come from an IPAM space in the same
// database, so several servers (or a controller's static allocations) can share the pool safely.
switch (commandLine.StoreKind)
{
    case "sqlite":
        builder.Services.AddIpam().UseSqlite(commandLine.StoreTarget);
        dhcp.UseSqlite(commandLine.StoreTarget).UseIpam(IpamSpace);
        break;
    case "postgresql":
        builder.Services.AddIpam().UsePostgreSql(commandLine.StoreTarget);
        dhcp.UsePostgreSql(commandLine.StoreTarget).UseIpam(IpamSpace);
        break;
}

using var host = builder.Build();
try
{
    await host.RunAsync();
}
catch (InvalidOperationException e)
{
    // For example an interface that does not exist or has no IPv4 address.
    Console.Error.WriteLine($"DhcpServer: {e.Message}");
    return 2;
}

return 0;

internal static partial class Program
{
    // The IPAM address space that holds the served subnets when a durable store is used.
    private const string IpamSpace = "dhcp";
}
