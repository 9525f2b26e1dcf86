using System.CommandLine;
using System.Globalization;
using CloudTemple.Networking;
using CloudTemple.Networking.Dhcp;
using CloudTemple.Networking.Dhcp.Protocol;

/// <summary>The sample's command line (System.CommandLine), turned into <see cref="DhcpServerOptions"/>.</summary>
internal sealed class CommandLine
{
    private readonly Option<string> _interface = new("--interface")
    {
        HelpName = "IF",
        Description = "The interface served (it must exist and have an IPv4 address in the subnet).",
        Required = true,
    };

    private readonly Option<Ipv4Prefix> _subnet =
        SampleCommandLine.Value("--subnet", "CIDR", "The subnet served, a CIDR such as 10.0.1.0/24.", Ipv4Prefix.Parse);

    private readonly Option<List<Ipv4Address>> _routers =
        SampleCommandLine.Values("--router", "IP", "The default gateway given to clients (repeatable).", Ipv4Address.Parse);

    private readonly Option<(Ipv4Address First, Ipv4Address Last)?> _pool = SampleCommandLine.Value<(Ipv4Address, Ipv4Address)?>(
        "--pool",
        "FIRST-LAST",
        "The addresses handed out, FIRST-LAST such as 10.0.1.100-10.0.1.199 (default: the whole subnet).",
        text => SampleCommandLine.Pair(text, '-', "FIRST-LAST such as 10.0.1.100-10.0.1.199", Ipv4Address.Parse, Ipv4Address.Parse));

    private readonly Option<List<Ipv4Address>> _dns =
        SampleCommandLine.Values("--dns", "IP[,IP...]", "DNS servers, IP[,IP...] (repeatable).", Ipv4Address.Parse, commaSeparated: true);

    private readonly Option<string> _domain = new("--domain") { HelpName = "NAME", Description = "The domain name given to clients." };

    private readonly Option<int?> _mtu = SampleCommandLine.Value<int?>(
        "--mtu", "N",
        "The interface MTU given to clients.",
        text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int mtu) ? mtu : throw new FormatException($"'{text}' is not a number."));

    private readonly Option<int?> _leaseTime = SampleCommandLine.Value<int?>(
        "--lease-time",
        "SECONDS",
        "The lease time in seconds.",
        text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0
            ? seconds
            : throw new FormatException($"'{text}' is not a positive number of seconds."));

    private readonly Option<List<ClasslessStaticRoute>> _staticRoutes = SampleCommandLine.Values(
        "--static-route",
        "CIDR=GATEWAY",
        "A classless static route, CIDR=GATEWAY such as 192.168.0.0/16=10.0.1.254 (repeatable).",
        text =>
        {
            var (destination, gateway) = SampleCommandLine.Pair(text, '=', "CIDR=GATEWAY such as 192.168.0.0/16=10.0.1.254", Ipv4Prefix.Parse, Ipv4Address.Parse);
            return new ClasslessStaticRoute(destination, gateway);
        });

    private readonly Option<List<DhcpReservation>> _reservations = SampleCommandLine.Values(
        "--reservation",
        "MAC=IP",
        "A fixed address for a client, MAC=IP such as 02:00:00:00:00:01=10.0.1.10 (repeatable).",
        text =>
        {
            var (mac, address) = SampleCommandLine.Pair(text, '=', "MAC=IP such as 02:00:00:00:00:01=10.0.1.10", MacAddress.Parse, Ipv4Address.Parse);
            return new DhcpReservation { HardwareAddress = mac, Address = address };
        });

    private readonly Option<(string Kind, string Target)?> _store = SampleCommandLine.Value<(string, string)?>(
        "--store",
        "memory|sqlite:PATH|postgresql:CONNECTION-STRING",
        "Where leases and addresses are kept: memory (the default), sqlite:PATH or postgresql:CONNECTION-STRING.",
        text => Store(text));

    public CommandLine()
    {
        _subnet.Required = true;
        _routers.Required = true;
    }

    /// <summary>The command, with every option; its action is set by the program.</summary>
    public RootCommand Command => new("A DHCPv4 server for one interface; it serves until SIGINT/SIGTERM and logs each lease on one line.")
    {
        _interface, _subnet, _routers, _pool, _dns, _domain, _mtu, _leaseTime, _staticRoutes, _reservations, _store,
    };

    /// <summary>Where leases and addresses are kept: <c>memory</c>, <c>sqlite</c> or <c>postgresql</c>, and the file or connection string.</summary>
    public (string Kind, string Target) Store(ParseResult result) => result.GetValue(_store) ?? ("memory", "");

    /// <summary>Fills the server options from a parsed command line.</summary>
    public void Apply(ParseResult result, DhcpServerOptions options)
    {
        options.InterfaceName = result.GetRequiredValue(_interface);
        var subnet = new DhcpSubnetOptions { Prefix = result.GetValue(_subnet), Mtu = result.GetValue(_mtu) };
        AddAll(subnet.Routers, result.GetValue(_routers));
        AddAll(subnet.DnsServers, result.GetValue(_dns));
        AddAll(subnet.StaticRoutes, result.GetValue(_staticRoutes));
        AddAll(subnet.Reservations, result.GetValue(_reservations));
        if (result.GetValue(_pool) is { } pool)
        {
            (subnet.PoolStart, subnet.PoolEnd) = pool;
        }

        if (result.GetValue(_domain) is { } domain)
        {
            subnet.DomainName = domain;
        }

        if (result.GetValue(_leaseTime) is int seconds)
        {
            subnet.LeaseTime = TimeSpan.FromSeconds(seconds);
        }

        options.Subnets.Add(subnet);
    }

    private static void AddAll<T>(IList<T> list, List<T>? values)
    {
        foreach (var value in values ?? [])
        {
            list.Add(value);
        }
    }

    private static (string Kind, string Target) Store(string value)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        (string kind, string target) = colon < 0 ? (value, "") : (value[..colon], value[(colon + 1)..]);
        return kind is not ("memory" or "sqlite" or "postgresql") || (kind == "memory") != (target.Length == 0)
            ? throw new FormatException($"'{value}' is not memory, sqlite:PATH or postgresql:CONNECTION-STRING.")
            : (kind, target);
    }
}
