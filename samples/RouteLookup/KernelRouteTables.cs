using System.Globalization;
using CloudTemple.Networking;
using CloudTemple.Networking.Routing;

/// <summary>
/// The IPv4 routes that <c>ip route</c>, <c>ip route show table main</c> or <c>ip route show table all</c> printed,
/// in the library's <see cref="RouteTable"/>s, looked up as the kernel's default policy rules do: the local table,
/// then main, then default.
/// </summary>
/// <remarks>
/// <para>
/// Reads what <c>ip route</c> prints: route types (<c>unicast</c>, <c>local</c>, <c>broadcast</c>,
/// <c>anycast</c>, <c>multicast</c>, <c>nat</c>, <c>blackhole</c>, <c>unreachable</c>, <c>prohibit</c>,
/// <c>throw</c>), <c>default</c>, prefixes without a length (a /32), <c>via</c>, <c>dev</c>, <c>metric</c>,
/// <c>proto</c>, <c>scope</c>, <c>src</c>, <c>table</c>, route attributes (<c>mtu</c>, <c>expires</c>...), flags
/// (<c>onlink</c>, <c>linkdown</c>...), and multipath routes whose <c>nexthop via ... dev ... weight N</c> lines
/// follow on indented lines (or on the same line, as <c>ip -o route</c> prints them). IPv6 routes, which
/// <c>table all</c> lists too, are skipped; routes of tables other than local, main and default (policy routing)
/// are read but not consulted. Hand-written files may also set host bits (<c>10.1.2.3/8</c> is <c>10.0.0.0/8</c>, as
/// <c>ip route add</c> clears them), and hold blank lines and <c>#</c> comments.
/// </para>
/// <para>
/// An answer is the matched route as <c>ip route get ADDRESS fibmatch</c> prints it: the line as read, on one
/// line, single-spaced, without its <c>table</c>. A <c>throw</c> route ends the lookup in its table, as in the
/// kernel. Not thread-safe while loading; lookups afterwards may run concurrently.
/// </para>
/// </remarks>
internal sealed class KernelRouteTables
{
    // The kernel's default rules: 0 local, 32766 main, 32767 default.
    private static readonly string[] LookupOrder = ["local", "main", "default"];

    private static readonly HashSet<string> Types = ["unicast", "local", "broadcast", "anycast", "multicast", "nat", "blackhole", "unreachable", "prohibit", "throw"];

    // Types that `ip route add` puts into the local table when no table is given.
    private static readonly HashSet<string> LocalByDefault = ["local", "broadcast", "anycast", "nat"];

    private static readonly HashSet<string> Flags = ["onlink", "linkdown", "dead", "pervasive", "offload", "trap", "rt_offload", "rt_trap", "rt_offload_failed", "notify", "cache", "\\"];

    private static readonly HashSet<string> Attributes =
    [
        "proto", "scope", "src", "realm", "realms", "expires", "pref", "nhid", "tos", "dsfield", "mtu", "advmss", "rtt", "rttvar",
        "reordering", "window", "cwnd", "initcwnd", "initrwnd", "ssthresh", "hoplimit", "features", "quickack", "congctl",
        "fastopen_no_cookie", "rto_min", "ttl-propagate",
    ];

    private readonly Dictionary<string, RouteTable> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<Route, (string Type, string Text)> _answers = new(ReferenceEqualityComparer.Instance);

    /// <summary>How many IPv4 routes were read, in every table.</summary>
    public int Count { get; private set; }

    /// <summary>Reads the routes of <paramref name="lines"/>.</summary>
    /// <param name="lines">The output of <c>ip route</c> (or a hand-written file in the same syntax).</param>
    /// <param name="source">The file's name, for error messages.</param>
    /// <returns>The tables.</returns>
    /// <exception cref="FormatException">A line is malformed; the message names <c>source:LINE</c>.</exception>
    /// <exception cref="NetworkingException">A route is refused by its table (the same route twice); the message names the line.</exception>
    public static KernelRouteTables Load(IEnumerable<string> lines, string source)
    {
        var tables = new KernelRouteTables();
        var pending = new List<string>();
        int pendingLine = 0;
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            string line = raw.Split('#', 2)[0];
            var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0)
            {
                continue;
            }

            // A multipath route's next hops follow on indented lines.
            if (char.IsWhiteSpace(line[0]) && tokens[0] == "nexthop" && pending.Count > 0)
            {
                pending.AddRange(tokens);
                continue;
            }

            tables.AddLine(pending, pendingLine, source);
            pending.Clear();
            pending.AddRange(tokens);
            pendingLine = number;
        }

        tables.AddLine(pending, pendingLine, source);
        return tables;
    }

    /// <summary>The route the kernel's default rules would pick for <paramref name="destination"/>, as <c>ip route get ... fibmatch</c> prints it, or <see langword="null"/> when none (the kernel: "Network is unreachable").</summary>
    /// <param name="destination">The address looked up.</param>
    /// <returns>The matched route's text, or <see langword="null"/>.</returns>
    public string? Lookup(Ipv4Address destination)
    {
        foreach (string name in LookupOrder)
        {
            if (_tables.TryGetValue(name, out var table) && table.Lookup(destination) is { } match)
            {
                var (type, text) = _answers[match];
                if (type != "throw")
                {
                    return text;
                }
            }
        }

        return null;
    }

    private void AddLine(List<string> tokens, int number, string source)
    {
        if (tokens.Count == 0)
        {
            return;
        }

        try
        {
            if (Parse(tokens) is var (table, type, route, text))
            {
                if (!_tables.TryGetValue(table, out var routes))
                {
                    routes = new RouteTable(table, new VpcRoutingOptions { RequireReachableNextHops = false });
                    _tables.Add(table, routes);
                }

                routes.Add(route);
                _answers[route] = (type, text);
                Count++;
            }
        }
        catch (Exception error) when (error is FormatException or NetworkingException)
        {
            throw new FormatException($"{source}:{number}: {error.Message} (route: '{string.Join(' ', tokens)}')", error);
        }
    }

    // The route's table, type, library route and answer text; null for an IPv6 route.
    private static (string Table, string Type, Route Route, string Text)? Parse(List<string> tokens)
    {
        int at = 0;
        string type = Types.Contains(tokens[0]) ? tokens[at++] : "unicast";
        if (at >= tokens.Count)
        {
            throw new FormatException("a prefix is missing.");
        }

        string prefixText = tokens[at];
        if (prefixText.Contains(':', StringComparison.Ordinal))
        {
            return null; // IPv6: `ip route show table all` lists both families
        }

        var prefix = ParsePrefix(prefixText);
        var text = new List<string>(tokens.Count);
        if (at == 1)
        {
            text.Add(type);
        }

        text.Add(prefix.Length == 0 ? "default" : prefix.Length == 32 ? prefix.Network.ToString() : prefix.ToString());
        string? table = null;
        uint metric = 0;
        var hops = new List<(Ipv4Address? Via, string? Dev)> { (null, null) };
        for (at++; at < tokens.Count; at++)
        {
            string keyword = tokens[at];
            if (Flags.Contains(keyword))
            {
                if (keyword != "\\")
                {
                    text.Add(keyword);
                }

                continue;
            }

            if (keyword == "nexthop")
            {
                // The first `nexthop` replaces the empty top-level hop; each further one adds a hop.
                if (hops[^1] != (null, null))
                {
                    hops.Add((null, null));
                }

                text.Add(keyword);
                continue;
            }

            if (keyword == "encap")
            {
                throw new FormatException("routes with 'encap' (lightweight tunnels) are not supported here.");
            }

            if (at + 1 >= tokens.Count)
            {
                throw new FormatException($"'{keyword}' needs a value.");
            }

            string value = tokens[++at];
            switch (keyword)
            {
                case "via":
                    if (value is "inet" && at + 1 < tokens.Count)
                    {
                        value = tokens[++at];
                    }

                    hops[^1] = hops[^1].Via is null
                        ? (Ipv4Address.Parse(value), hops[^1].Dev)
                        : throw new FormatException($"'via' given twice for one next hop.");
                    text.Add(keyword);
                    text.Add(value);
                    continue;
                case "dev":
                    hops[^1] = (hops[^1].Via, value);
                    break;
                case "table":
                    table = value switch { "254" => "main", "255" => "local", "253" => "default", _ => value };
                    continue; // `ip route get ... fibmatch` does not print it
                case "metric" or "preference" or "priority":
                    metric = uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint m)
                        ? m
                        : throw new FormatException($"metric '{value}' is not a number from 0 to {uint.MaxValue}.");
                    keyword = "metric";
                    break;
                case "weight":
                    break;
                default:
                    if (!Attributes.Contains(keyword))
                    {
                        throw new FormatException($"unexpected '{keyword}'.");
                    }

                    if (value == "lock" && at + 1 < tokens.Count)
                    {
                        text.Add(keyword);
                        keyword = value; // `mtu lock 1400`
                        value = tokens[++at];
                    }

                    break;
            }

            text.Add(keyword);
            text.Add(value);
        }

        table ??= LocalByDefault.Contains(type) ? "local" : "main";
        var route = type switch
        {
            "unicast" => Unicast(prefix, hops, metric),
            "blackhole" => Route.Blackhole(prefix, metric),
            "unreachable" or "prohibit" => Route.Unreachable(prefix, metric),
            "throw" => Route.Blackhole(prefix, metric), // ends the lookup in this table; see Lookup
            _ => Route.Connected(prefix, $"{type} {hops[0].Dev}", metric), // delivered on this host
        };
        return (table, type, route, string.Join(' ', text));
    }

    private static Route Unicast(Ipv4Prefix prefix, List<(Ipv4Address? Via, string? Dev)> hops, uint metric)
    {
        var gateways = hops.Where(h => h.Via is not null).Select(h => h.Via!.Value).Distinct().ToList();
        if (gateways.Count == 0)
        {
            return hops[0].Dev is { } dev
                ? Route.Connected(prefix, dev, metric)
                : throw new FormatException("expected 'via ADDRESS', 'dev NAME' or 'nexthop' lines after the prefix.");
        }

        return gateways.Count == 1 ? Route.Via(prefix, gateways[0], metric) : Route.Multipath(prefix, gateways, metric);
    }

    // `ip route` prints host routes without a length and clears host bits when a route is added.
    private static Ipv4Prefix ParsePrefix(string text) =>
        text == "default" ? Ipv4Prefix.Any
        : text.Contains('/', StringComparison.Ordinal) ? Ipv4Prefix.Parse(text, Ipv4PrefixParseMode.NormalizeHostBits)
        : new Ipv4Prefix(Ipv4Address.Parse(text), 32);
}
