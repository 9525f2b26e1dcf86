using System.Text;
using System.Text.RegularExpressions;
using CloudTemple.Networking.Testing;

namespace CloudTemple.Networking.Routing.Tests.Interop;

/// <summary>
/// The Linux kernel's FIB is the oracle: random tables (every length, nested prefixes, several
/// metrics per prefix, default routes, blackhole and unreachable routes) are installed with
/// <c>ip -batch</c> into a network namespace made by the test, random and edge addresses are
/// looked up with <c>ip route get ADDRESS fibmatch</c>, and every answer is compared with ours.
/// </summary>
public partial class KernelFibOracleTests
{
    private const string Device = "v0";
    private static readonly Ipv4Prefix Link = Ipv4Prefix.Parse("10.255.0.0/24");

    // Addresses where the kernel answers from its local table or treats specially (loopback,
    // "this network", multicast/reserved, our own link's local and broadcast addresses): not FIB lookups.
    private static readonly Ipv4Prefix[] NotProbed =
        [Ipv4Prefix.Parse("0.0.0.0/8"), Ipv4Prefix.Parse("127.0.0.0/8"), Ipv4Prefix.Parse("224.0.0.0/3"), Link];

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void The_kernel_and_our_table_pick_the_same_route_for_every_address(int seed)
    {
        string ip = Testing.Interop.RequireTool("ip", "iproute2");
        using var ns = NetworkNamespace.Create("ctrt");
        var veth = ns.Exec(ip, "link", "add", Device, "type", "veth", "peer", "name", "v1");
        Testing.Interop.Require(veth.ExitCode == 0, $"cannot create a veth pair in a namespace: {veth.StandardError.Trim()}");
        ns.Exec(ip, "link", "set", "v1", "up").EnsureSuccess("ip link set v1 up");
        ns.Exec(ip, "link", "set", Device, "up").EnsureSuccess("ip link set v0 up");
        ns.Exec(ip, "addr", "add", "10.255.0.1/24", "dev", Device).EnsureSuccess("ip addr add");

        var random = new Random(seed);
        var routes = RandomRoutes(random, 500);
        var table = new RouteTable("main");
        table.Add(Route.Connected(Link, Device)); // the route the kernel made for the address
        table.AddRange(routes);

        var install = new StringBuilder();
        foreach (var route in routes)
        {
            install.Append("route add ").Append(route).Append('\n');
        }

        ns.ExecWithInput(install.ToString(), ip, "-batch", "-").EnsureSuccess("ip -batch - (route add)");

        var probes = Probes(random, routes);
        var answers = KernelLookup(ns, ip, probes);
        var mismatches = new List<string>();
        var seen = new Dictionary<string, int>();
        for (int i = 0; i < probes.Length; i++)
        {
            var ours = table.Lookup(probes[i]);
            string kind = ours?.Kind.ToString() ?? "none";
            seen[kind] = seen.GetValueOrDefault(kind) + 1;
            if (!Agrees(ours, answers[i]))
            {
                mismatches.Add($"{probes[i]}: kernel '{answers[i]}', ours '{ours?.ToString() ?? "none"}'");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {probes.Length} answers differ:\n{string.Join('\n', mismatches.Take(20))}");
        foreach (var kind in new[] { "none", "NextHop", "Connected", "Blackhole", "Unreachable" })
        {
            Assert.True(seen.GetValueOrDefault(kind) > 0 || (kind == "none" && routes.Any(r => r.Prefix.Length == 0)), $"no probe answered {kind}");
        }
    }

    private static bool Agrees(Route? ours, string kernel)
    {
        switch (ours?.Kind)
        {
            case null:
                return kernel == "error: Network is unreachable";
            case RouteKind.Blackhole:
                return kernel == "error: Invalid argument";
            case RouteKind.Unreachable:
                return kernel == "error: No route to host";
        }

        if (kernel.StartsWith("error:", StringComparison.Ordinal))
        {
            return false;
        }

        var theirs = Route.Parse(KernelNoise().Replace(kernel, " "));
        return theirs.Prefix == ours.Prefix
            && theirs.Metric == ours.Metric
            && theirs.Kind == ours.Kind
            && theirs.NextHops.SequenceEqual(ours.NextHops);
    }

    /// <summary>Looks every address up in one <c>ip -batch</c> run; failed lines are matched by the line number in "Command failed -:N".</summary>
    private static string[] KernelLookup(NetworkNamespace ns, string ip, Ipv4Address[] probes)
    {
        var commands = new StringBuilder();
        foreach (var address in probes)
        {
            commands.Append("route get ").Append(address.ToString()).Append(" fibmatch\n");
        }

        var result = ns.ExecWithInput(commands.ToString(), ip, "-force", "-batch", "-");
        var errors = new Dictionary<int, string>();
        string? pending = null;
        foreach (var line in result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var failed = FailedLine().Match(line);
            if (failed.Success)
            {
                errors[int.Parse(failed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1] = "error: " + (pending ?? "?");
                pending = null;
            }
            else
            {
                pending = line.Replace("RTNETLINK answers: ", string.Empty, StringComparison.Ordinal).Trim();
            }
        }

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var answers = new string[probes.Length];
        int next = 0;
        for (int i = 0; i < probes.Length; i++)
        {
            answers[i] = errors.TryGetValue(i, out var error) ? error : lines[next++].Trim();
        }

        Assert.Equal(lines.Length, next);
        return answers;
    }

    private static Route[] RandomRoutes(Random random, int count)
    {
        // Fixed edge cases first: halves of the space, a /31 and /32 pair, one prefix under several metrics.
        var routes = new List<Route>
        {
            Route.Via(Ipv4Prefix.Parse("0.0.0.0/1"), Ipv4Address.Parse("10.255.0.2")),
            Route.Connected(Ipv4Prefix.Parse("128.0.0.0/2"), Device, 3),
            Route.Blackhole(Ipv4Prefix.Parse("192.0.2.0/31")),
            Route.Unreachable(Ipv4Prefix.Parse("192.0.2.1/32")),
            Route.Via(Ipv4Prefix.Parse("198.51.100.0/24"), Ipv4Address.Parse("10.255.0.3"), 5),
            Route.Blackhole(Ipv4Prefix.Parse("198.51.100.0/24"), 7),
            Route.Unreachable(Ipv4Prefix.Parse("198.51.100.128/25"), 1),
            Route.Via(Ipv4Prefix.Parse("198.51.100.128/25"), Ipv4Address.Parse("10.255.0.4"), 0),
        };
        if (random.Next(2) == 0)
        {
            routes.Add(Route.Via(Ipv4Prefix.Any, Ipv4Address.Parse("10.255.0.254"), (uint)random.Next(0, 3)));
        }

        uint[] bases = [.. Enumerable.Range(0, 6).Select(_ => (uint)random.Next(0x01000000, 0x7F000000) << 1)];
        var used = new HashSet<(Ipv4Prefix, uint)>(routes.Select(r => (r.Prefix, r.Metric)));
        while (routes.Count < count)
        {
            int length = random.Next(10) switch
            {
                < 4 => random.Next(8, 25),
                < 8 => random.Next(16, 33),
                _ => random.Next(0, 33),
            };
            uint address = random.Next(4) == 0 ? (uint)random.Next() << 1 : bases[random.Next(bases.Length)] ^ (uint)random.Next(0, 1 << random.Next(1, 24));
            var prefix = Ipv4Prefix.Containing(new Ipv4Address(address), length);
            uint metric = random.Next(3) == 0 ? (uint)random.Next(1, 1000) : 0;
            if (Link.Overlaps(prefix) && prefix.Length >= Link.Length || !used.Add((prefix, metric)))
            {
                continue; // inside our link (the gateways must stay reachable), or the kernel would say "File exists"
            }

            routes.Add(random.Next(10) switch
            {
                < 5 => Route.Via(prefix, new Ipv4Address(Link.Network.Value + (uint)random.Next(2, 254)), metric),
                < 7 => Route.Connected(prefix, Device, metric),
                < 8 => Route.Blackhole(prefix, metric),
                _ => Route.Unreachable(prefix, metric),
            });
        }

        return [.. routes];
    }

    private static Ipv4Address[] Probes(Random random, Route[] routes)
    {
        var candidates = routes
            .SelectMany(r => new[] { r.Prefix.First.Value, r.Prefix.Last.Value, r.Prefix.First.Value - 1, r.Prefix.Last.Value + 1 })
            .Concat(Enumerable.Range(0, 1500).Select(_ => (uint)random.Next() << 1 | (uint)random.Next(2)))
            .Concat(routes.Select(r => r.Prefix.Network.Value | ((uint)random.Next() & ~r.Prefix.Mask.Value)));
        return [.. candidates.Distinct().Select(v => new Ipv4Address(v)).Where(a => !NotProbed.Any(p => p.Contains(a)))];
    }

    [GeneratedRegex(@"Command failed -:(\d+)")]
    private static partial Regex FailedLine();

    // Attributes `ip route get ... fibmatch` prints that the route syntax does not carry.
    [GeneratedRegex(@"\s(proto|scope|src|table|pref)\s+\S+|\s(linkdown|onlink|dead)\b")]
    private static partial Regex KernelNoise();
}
