using System.Text;
using CloudTemple.Networking;
using CloudTemple.Networking.Routing;

// Looks IPv4 addresses up in a route table written in `ip route` syntax, so that the answers can
// be compared with the kernel's (`ip route get ADDRESS fibmatch`).
//
//   dotnet run --project samples/RouteLookup -- --routes FILE  < addresses
//
// FILE: one route a line: `PREFIX via ADDRESS [metric N]`, `PREFIX dev NAME [metric N]`,
// `blackhole PREFIX`, `unreachable PREFIX`, `default via ADDRESS`; blank lines and # comments
// are ignored. Output: `ADDRESS ROUTE` (the matched route, normalized) or `ADDRESS none`.
// A malformed line: a message naming it on standard error, exit code 2.

const int Malformed = 2;

// 1. Arguments.
if (args.Length != 2 || args[0] != "--routes")
{
    Console.Error.WriteLine("usage: RouteLookup --routes FILE  (IPv4 addresses on standard input, one a line)");
    return Malformed;
}

string path = args[1];
if (!File.Exists(path))
{
    Console.Error.WriteLine($"{path}: no such file");
    return 1;
}

// 2. Read the routes. Next hops are not checked against connected routes: a file may list only `via` routes.
var table = new RouteTable("main", new VpcRoutingOptions { RequireReachableNextHops = false });
var text = new Dictionary<Route, string>(ReferenceEqualityComparer.Instance);
var routes = new List<Route>();
int lineNumber = 0;
foreach (string raw in File.ReadLines(path))
{
    lineNumber++;
    string line = raw.Split('#', 2)[0].Trim();
    if (line.Length == 0)
    {
        continue;
    }

    try
    {
        var route = Route.Parse(NormalizePrefix(line));
        bool metricGiven = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Contains("metric");
        if (route.Kind is not (RouteKind.NextHop or RouteKind.Connected or RouteKind.Blackhole or RouteKind.Unreachable) || route.IsEcmp)
        {
            throw new FormatException("only 'via', 'dev', 'blackhole' and 'unreachable' routes are supported here.");
        }

        table.Add(route);
        routes.Add(route);
        text[route] = route.ToString(includeZeroMetric: metricGiven);
    }
    catch (Exception error) when (error is FormatException or NetworkingException)
    {
        Console.Error.WriteLine($"{path}:{lineNumber}: {error.Message} (line: '{raw}')");
        return Malformed;
    }
}

// 3. Answer addresses from standard input, buffered both ways (100,000 lines take milliseconds).
using var input = new StreamReader(Console.OpenStandardInput(), Encoding.ASCII, false, 1 << 16);
using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
int inputLine = 0;
while (input.ReadLine() is { } raw)
{
    inputLine++;
    var address = raw.AsSpan().Trim();
    if (address.IsEmpty)
    {
        continue;
    }

    if (!Ipv4Address.TryParse(address, out var destination))
    {
        output.Flush();
        Console.Error.WriteLine($"stdin:{inputLine}: '{raw}' is not an IPv4 address (dotted quad).");
        return Malformed;
    }

    output.Write(address);
    output.Write(' ');
    output.WriteLine(table.Lookup(destination) is { } match ? text[match] : "none");
}

output.Flush();
return 0;

// `ip route` clears host bits (10.1.2.3/8 is 10.0.0.0/8); the library's parser is strict, so clear them first.
static string NormalizePrefix(string line)
{
    var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    int at = tokens[0] is "blackhole" or "unreachable" ? 1 : 0;
    if (at < tokens.Length && Ipv4Prefix.TryParse(tokens[at], Ipv4PrefixParseMode.NormalizeHostBits, out var prefix))
    {
        tokens[at] = prefix.ToString();
    }

    return string.Join(' ', tokens);
}
