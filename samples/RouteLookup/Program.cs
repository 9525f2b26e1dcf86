using System.CommandLine;
using System.Text;
using CloudTemple.Networking;

// Looks IPv4 addresses up in the routes that `ip route` printed, so that the answers can be compared
// with the kernel's (`ip route get ADDRESS fibmatch`):
//
//   ip route show table all > routes.txt
//   dotnet run --project samples/RouteLookup -- --routes routes.txt < addresses
//   dotnet run --project samples/RouteLookup -- --routes routes.txt --address 10.1.2.3 --address 8.8.8.8
//
// FILE: what `ip route`, `ip route show table main` or `ip route show table all` prints (types, proto,
// scope, src, metric, multipath `nexthop` lines...), or hand-written lines in the same syntax; blank lines
// and # comments are ignored. Lookups follow the kernel's default rules: the local table, then main, then
// default. Output: `ADDRESS ROUTE` (the matched route as `ip route get ADDRESS fibmatch` prints it, on one
// line) or `ADDRESS none`. A malformed line or address: a message naming it on standard error, exit code 2.

// 1. The command line: --routes is required; addresses come from --address or standard input.
var routesOption = new Option<FileInfo>("--routes")
{
    HelpName = "FILE",
    Description = "The routes, as `ip route show table all` (or `ip route`) prints them.",
    Required = true,
};
routesOption.AcceptExistingOnly();
var addressOption = SampleCommandLine.Values(
    "--address", "IP", "An address to look up (repeatable); without it, addresses are read from standard input, one a line.", Ipv4Address.Parse);
var command = new RootCommand("Looks IPv4 addresses up in `ip route` output, as the kernel's FIB would.") { routesOption, addressOption };
command.SetAction(parsed => Run(parsed.GetRequiredValue(routesOption), parsed.GetValue(addressOption)));
return await SampleCommandLine.InvokeAsync(command, args);

static int Run(FileInfo file, List<Ipv4Address>? addresses)
{
    // 2. Read the routes into the library's route tables (local, main, default, and any other table named).
    KernelRouteTables tables;
    try
    {
        tables = KernelRouteTables.Load(File.ReadLines(file.FullName), file.ToString());
    }
    catch (FormatException error)
    {
        Console.Error.WriteLine(error.Message);
        return SampleCommandLine.BadUsage;
    }

    // 3. Answer the addresses given, or those on standard input, buffered both ways (100,000 lines take milliseconds).
    using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
    if (addresses is { Count: > 0 })
    {
        foreach (var address in addresses)
        {
            Answer(output, tables, address);
        }

        return 0;
    }

    using var input = new StreamReader(Console.OpenStandardInput(), Encoding.ASCII, false, 1 << 16);
    int inputLine = 0;
    while (input.ReadLine() is { } raw)
    {
        inputLine++;
        var text = raw.AsSpan().Trim();
        if (text.IsEmpty)
        {
            continue;
        }

        if (!Ipv4Address.TryParse(text, out var destination))
        {
            output.Flush();
            Console.Error.WriteLine($"stdin:{inputLine}: '{raw}' is not an IPv4 address (dotted quad).");
            return SampleCommandLine.BadUsage;
        }

        Answer(output, tables, destination);
    }

    return 0;
}

static void Answer(StreamWriter output, KernelRouteTables tables, Ipv4Address destination)
{
    output.Write(destination.ToString());
    output.Write(' ');
    output.WriteLine(tables.Lookup(destination) ?? "none");
}
