using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CloudTemple.Networking.Testing;

namespace CloudTemple.Networking.Samples.Tests.RouteLookup;

/// <summary>
/// The RouteLookup sample against the Linux kernel: routes of every kind (via, dev, multipath with weights,
/// blackhole, unreachable, prohibit, throw, proto/src/metric/onlink/mtu attributes, the kernel's own local
/// and broadcast routes) are installed in a network namespace made by the test; what <c>ip route show table
/// all</c> and <c>ip route</c> print is given to the sample, and each of its answers must be exactly what
/// <c>ip route get ADDRESS fibmatch</c> prints (or the kernel's error for no route, blackhole, unreachable, prohibit).
/// </summary>
public partial class RouteLookupKernelInteropTests
{
    private static readonly (string Error, string OursStartsWith)[] DropErrors =
    [
        ("Invalid argument", "blackhole "), ("No route to host", "unreachable "), ("Permission denied", "prohibit "),
    ];

    // Not FIB lookups, or special for the kernel: "this network", multicast and reserved, limited broadcast.
    private static readonly Ipv4Prefix[] NotProbed = [Ipv4Prefix.Parse("0.0.0.0/8"), Ipv4Prefix.Parse("224.0.0.0/3")];

    private static readonly Ipv4Prefix[] Links = [Ipv4Prefix.Parse("10.255.0.0/24"), Ipv4Prefix.Parse("10.254.0.0/16"), Ipv4Prefix.Parse("127.0.0.0/8")];

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    public void RouteLookup_answers_what_the_kernel_answers_from_ip_route_output(int seed)
    {
        string ip = Interop.RequireTool("ip", "iproute2");
        using var ns = NetworkNamespace.Create("ctrl");
        var veth = ns.Exec(ip, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        Interop.Require(veth.ExitCode == 0, $"cannot create a veth pair in a namespace: {veth.StandardError.Trim()}");
        ns.Exec(ip, "link", "set", "v0", "up").EnsureSuccess("ip link set v0 up");
        ns.Exec(ip, "link", "set", "v1", "up").EnsureSuccess("ip link set v1 up");
        ns.Exec(ip, "addr", "add", "10.255.0.1/24", "dev", "v0").EnsureSuccess("ip addr add (v0)");
        ns.Exec(ip, "addr", "add", "10.254.0.1/16", "dev", "v1").EnsureSuccess("ip addr add (v1)");

        var random = new Random(seed);
        var (commands, prefixes) = Routes(random, 300);
        ns.ExecWithInput(string.Join('\n', commands) + "\n", ip, "-batch", "-").EnsureSuccess("ip -batch - (route add)");

        string all = ns.Exec(ip, "route", "show", "table", "all").EnsureSuccess("ip route show table all").StandardOutput;
        string main = ns.Exec(ip, "route").EnsureSuccess("ip route").StandardOutput;
        Assert.Contains("\tnexthop via ", all, StringComparison.Ordinal);
        Assert.Contains(" table local ", all, StringComparison.Ordinal);

        var probes = Probes(random, prefixes);
        var kernel = KernelLookup(ns, ip, probes);
        var fromAll = RouteLookup(all, probes);
        var fromMain = RouteLookup(main, probes);

        var mismatches = new List<string>();
        var seen = new HashSet<string>();
        for (int i = 0; i < probes.Length; i++)
        {
            bool local = kernel[i].StartsWith("local ", StringComparison.Ordinal) || kernel[i].StartsWith("broadcast ", StringComparison.Ordinal);
            seen.Add(kernel[i].StartsWith("error: ", StringComparison.Ordinal) ? kernel[i] : local ? "local" : kernel[i].Contains("nexthop", StringComparison.Ordinal) ? "multipath" : "route");
            if (!Agrees(kernel[i], fromAll[i]))
            {
                mismatches.Add($"{probes[i]} (table all): kernel '{kernel[i]}', RouteLookup '{fromAll[i]}'");
            }

            // `ip route` lists the main table only: the kernel's answers from its local table are not there.
            if (!local && !Agrees(kernel[i], fromMain[i]))
            {
                mismatches.Add($"{probes[i]} (main): kernel '{kernel[i]}', RouteLookup '{fromMain[i]}'");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} answers differ of {probes.Length} addresses:\n{string.Join('\n', mismatches.Take(20))}");
        string[] expected =
        [
            "route", "multipath", "local", "error: Network is unreachable", "error: Invalid argument", "error: No route to host", "error: Permission denied",
        ];
        Assert.True(expected.All(seen.Contains), $"some kinds of answer were never probed: {string.Join(", ", expected.Except(seen))}");
    }

    private static bool Agrees(string kernel, string ours)
    {
        if (!kernel.StartsWith("error: ", StringComparison.Ordinal))
        {
            return kernel == ours;
        }

        string error = kernel["error: ".Length..];
        return error == "Network is unreachable"
            ? ours == "none"
            : DropErrors.Any(d => d.Error == error && ours.StartsWith(d.OursStartsWith, StringComparison.Ordinal));
    }

    /// <summary>Runs the sample on <paramref name="routes"/> with the probes on standard input; one answer per probe, in order.</summary>
    private static string[] RouteLookup(string routes, Ipv4Address[] probes)
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, routes);
            var result = SamplePrograms.Run("RouteLookup", ["--routes", file], string.Join('\n', probes.Select(p => p.ToString())) + "\n")
                .EnsureSuccess("RouteLookup");
            var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(probes.Length, lines.Length);
            var answers = new string[probes.Length];
            for (int i = 0; i < probes.Length; i++)
            {
                string prefix = probes[i] + " ";
                Assert.StartsWith(prefix, lines[i], StringComparison.Ordinal);
                answers[i] = lines[i][prefix.Length..];
            }

            return answers;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// <c>ip route get ADDRESS fibmatch</c> for every probe in one <c>ip -force -batch</c> run: an answer's
    /// multipath lines (indented) are joined into one, single-spaced; failed lines are matched by "Command failed -:N".
    /// </summary>
    private static string[] KernelLookup(NetworkNamespace ns, string ip, Ipv4Address[] probes)
    {
        var input = new StringBuilder();
        foreach (var address in probes)
        {
            input.Append("route get ").Append(address.ToString()).Append(" fibmatch\n");
        }

        var result = ns.ExecWithInput(input.ToString(), ip, "-force", "-batch", "-");
        var errors = new Dictionary<int, string>();
        string? pending = null;
        foreach (var line in result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var failed = FailedLine().Match(line);
            if (failed.Success)
            {
                errors[int.Parse(failed.Groups[1].Value, CultureInfo.InvariantCulture) - 1] = "error: " + (pending ?? "?");
                pending = null;
            }
            else
            {
                pending = line.Replace("RTNETLINK answers: ", string.Empty, StringComparison.Ordinal).Trim();
            }
        }

        var routes = new List<string>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string words = string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (char.IsWhiteSpace(line[0]) && routes.Count > 0)
            {
                routes[^1] += " " + words;
            }
            else
            {
                routes.Add(words);
            }
        }

        var answers = new string[probes.Length];
        int next = 0;
        for (int i = 0; i < probes.Length; i++)
        {
            answers[i] = errors.TryGetValue(i, out var error) ? error : routes[next++];
        }

        Assert.True(next == routes.Count, $"the kernel printed {routes.Count} routes for {probes.Length - errors.Count} answers:\n{result.StandardOutput}");
        return answers;
    }

    /// <summary><c>ip route add</c> commands (fixed edge cases, then random ones) and the prefixes they install.</summary>
    private static (List<string> Commands, List<Ipv4Prefix> Prefixes) Routes(Random random, int count)
    {
        var commands = new List<string>
        {
            "route add default via 10.255.0.254 dev v0 proto static metric 100",
            "route add 10.1.0.0/16 via 10.255.0.2 src 10.255.0.1",
            "route add 10.2.0.0/16 dev v0 scope link metric 5",
            "route add blackhole 192.0.2.0/24 proto static",
            "route add unreachable 198.51.100.0/24 metric 7",
            "route add prohibit 203.0.113.0/24",
            "route add throw 10.9.0.0/16",
            "route add 10.20.0.0/16 proto static metric 30 nexthop via 10.255.0.2 dev v0 weight 1 nexthop via 10.255.0.3 dev v0 weight 2",
            "route add 10.30.0.0/16 via 10.99.0.1 dev v0 onlink",
            "route add 10.40.0.0/16 via 10.255.0.5 table 100",
            "route add 10.50.0.5 via 10.255.0.6 mtu lock 1400",
            "route add 10.50.0.0/24 via 10.254.0.9 metric 20",
            "route add 10.50.0.0/24 dev v1 metric 10",
        };
        var prefixes = new List<Ipv4Prefix>
        {
            Ipv4Prefix.Parse("10.1.0.0/16"), Ipv4Prefix.Parse("10.2.0.0/16"), Ipv4Prefix.Parse("192.0.2.0/24"), Ipv4Prefix.Parse("198.51.100.0/24"),
            Ipv4Prefix.Parse("203.0.113.0/24"), Ipv4Prefix.Parse("10.9.0.0/16"), Ipv4Prefix.Parse("10.20.0.0/16"), Ipv4Prefix.Parse("10.30.0.0/16"),
            Ipv4Prefix.Parse("10.40.0.0/16"), Ipv4Prefix.Parse("10.50.0.5/32"), Ipv4Prefix.Parse("10.50.0.0/24"),
            Links[0], Links[1], Ipv4Prefix.Parse("127.0.0.0/8"),
        };
        var used = new HashSet<(Ipv4Prefix, uint)>();
        uint[] bases = [.. Enumerable.Range(0, 5).Select(_ => (uint)random.Next(0x0B000000, 0x7E000000))];
        while (commands.Count < count)
        {
            int length = random.Next(4) == 0 ? random.Next(1, 33) : random.Next(12, 33);
            var prefix = Ipv4Prefix.Containing(new Ipv4Address(bases[random.Next(bases.Length)] ^ (uint)random.Next(0, 1 << 20)), length);
            uint metric = random.Next(3) == 0 ? (uint)random.Next(1, 500) : 0;
            if (Links.Concat(NotProbed).Any(l => l.Overlaps(prefix)) || !used.Add((prefix, metric)))
            {
                continue; // our links must keep their routes (gateways stay reachable); the kernel refuses a prefix twice at one metric
            }

            string gateway = $"10.255.0.{random.Next(2, 254)}";
            string tail = $"{prefix} metric {metric}";
            commands.Add(random.Next(12) switch
            {
                < 4 => $"route add {tail} via {gateway}" + (random.Next(2) == 0 ? " proto static" : ""),
                < 6 => $"route add {tail} dev v{random.Next(2)}",
                6 => $"route add {tail} nexthop via {gateway} weight {random.Next(1, 5)} nexthop via 10.254.{random.Next(1, 255)}.{random.Next(1, 255)} dev v1",
                7 => $"route add blackhole {tail}",
                8 => $"route add unreachable {tail}",
                9 => $"route add prohibit {tail}",
                10 => $"route add throw {tail}",
                _ => $"route add {tail} via {gateway} src 10.255.0.1 mtu 1400",
            });
            prefixes.Add(prefix);
        }

        return (commands, prefixes);
    }

    private static Ipv4Address[] Probes(Random random, List<Ipv4Prefix> prefixes)
    {
        var candidates = prefixes
            .SelectMany(p => new[] { p.First.Value, p.Last.Value, p.First.Value - 1, p.Last.Value + 1, p.Network.Value | ((uint)random.Next() & ~p.Mask.Value) })
            .Concat(Enumerable.Range(0, 500).Select(_ => (uint)random.Next() << 1 | (uint)random.Next(2)))
            .Concat([0x0AFF0001u, 0x0AFE0001u, 0x7F000001u]); // our own addresses and loopback: the local table answers
        return [.. candidates.Distinct().Select(v => new Ipv4Address(v)).Where(a => !NotProbed.Any(p => p.Contains(a)))];
    }

    [GeneratedRegex(@"Command failed -:(\d+)")]
    private static partial Regex FailedLine();
}
