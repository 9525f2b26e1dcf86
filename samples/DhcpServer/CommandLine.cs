using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CloudTemple.Networking;
using CloudTemple.Networking.Dhcp;
using CloudTemple.Networking.Dhcp.Protocol;

/// <summary>The sample's command line, turned into <see cref="DhcpServerOptions"/>.</summary>
internal sealed class CommandLine
{
    public const string Usage =
        "usage: DhcpServer --interface IF --subnet CIDR --router IP [--pool FIRST-LAST] [--dns IP[,IP...]] [--domain NAME]\n" +
        "                  [--mtu N] [--lease-time SECONDS] [--static-route CIDR=GATEWAY]... [--reservation MAC=IP]...\n" +
        "                  [--store memory|sqlite:PATH|postgresql:CONNECTION-STRING]";

    private readonly List<Action<DhcpSubnetOptions>> _subnet = [];

    private string? _interface;
    private Ipv4Prefix? _prefix;

    /// <summary>Where leases and addresses are kept: <c>memory</c> (the default), <c>sqlite</c> or <c>postgresql</c>.</summary>
    public string StoreKind { get; private set; } = "memory";

    /// <summary>The SQLite file or the PostgreSQL connection string.</summary>
    public string StoreTarget { get; private set; } = "";

    /// <summary>The interface served.</summary>
    public string Interface => _interface!;

    public static bool TryParse(string[] args, [NotNullWhen(true)] out CommandLine? commandLine, [NotNullWhen(false)] out string? error)
    {
        var parsed = new CommandLine();
        commandLine = null;
        error = null;
        bool hasRouter = false;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value.";
                break;
            }

            string value = args[++i];
            error = name switch
            {
                "--interface" => parsed.Set(() => parsed._interface = value),
                "--subnet" => Ipv4Prefix.TryParse(value, out var prefix) ? parsed.Set(() => parsed._prefix = prefix) : $"--subnet: '{value}' is not a CIDR such as 10.0.1.0/24.",
                "--router" => Address(value, "--router", a => { hasRouter = true; parsed._subnet.Add(s => s.Routers.Add(a)); }),
                "--pool" => parsed.Pool(value),
                "--dns" => parsed.Dns(value),
                "--domain" => parsed.Add(s => s.DomainName = value),
                "--mtu" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int mtu)
                    ? parsed.Add(s => s.Mtu = mtu) : $"--mtu: '{value}' is not a number.",
                "--lease-time" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0
                    ? parsed.Add(s => s.LeaseTime = TimeSpan.FromSeconds(seconds)) : $"--lease-time: '{value}' is not a positive number of seconds.",
                "--static-route" => parsed.StaticRoute(value),
                "--reservation" => parsed.Reservation(value),
                "--store" => parsed.Store(value),
                _ => $"unknown option '{name}'.",
            };
            if (error is not null)
            {
                break;
            }
        }

        error ??= parsed._interface is null ? "--interface is required."
            : parsed._prefix is null ? "--subnet is required."
            : !hasRouter ? "--router is required."
            : null;
        if (error is not null)
        {
            return false;
        }

        commandLine = parsed;
        return true;
    }

    /// <summary>Fills the server options.</summary>
    public void Apply(DhcpServerOptions options)
    {
        options.InterfaceName = _interface;
        var subnet = new DhcpSubnetOptions { Prefix = _prefix!.Value, Mtu = null };
        foreach (var step in _subnet)
        {
            step(subnet);
        }

        options.Subnets.Add(subnet);
    }

    private string? Set(Action action)
    {
        action();
        return null;
    }

    private string? Add(Action<DhcpSubnetOptions> step)
    {
        _subnet.Add(step);
        return null;
    }

    private static string? Address(string value, string option, Action<Ipv4Address> use)
    {
        if (!Ipv4Address.TryParse(value, out var address))
        {
            return $"{option}: '{value}' is not an IPv4 address.";
        }

        use(address);
        return null;
    }

    private string? Pool(string value)
    {
        var parts = value.Split('-');
        if (parts.Length != 2 || !Ipv4Address.TryParse(parts[0], out var first) || !Ipv4Address.TryParse(parts[1], out var last))
        {
            return $"--pool: '{value}' is not a range such as 10.0.1.100-10.0.1.199.";
        }

        return Add(s => (s.PoolStart, s.PoolEnd) = (first, last));
    }

    private string? Dns(string value)
    {
        foreach (var part in value.Split(','))
        {
            if (Address(part, "--dns", a => _subnet.Add(s => s.DnsServers.Add(a))) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private string? StaticRoute(string value)
    {
        var parts = value.Split('=');
        if (parts.Length != 2 || !Ipv4Prefix.TryParse(parts[0], out var destination) || !Ipv4Address.TryParse(parts[1], out var gateway))
        {
            return $"--static-route: '{value}' is not CIDR=GATEWAY such as 192.168.0.0/16=10.0.1.254.";
        }

        return Add(s => s.StaticRoutes.Add(new ClasslessStaticRoute(destination, gateway)));
    }

    private string? Store(string value)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        (string kind, string target) = colon < 0 ? (value, "") : (value[..colon], value[(colon + 1)..]);
        if (kind is not ("memory" or "sqlite" or "postgresql") || (kind == "memory") != (target.Length == 0))
        {
            return $"--store: '{value}' is not memory, sqlite:PATH or postgresql:CONNECTION-STRING.";
        }

        (StoreKind, StoreTarget) = (kind, target);
        return null;
    }

    private string? Reservation(string value)
    {
        var parts = value.Split('=');
        if (parts.Length != 2 || !MacAddress.TryParse(parts[0], out var mac) || !Ipv4Address.TryParse(parts[1], out var address))
        {
            return $"--reservation: '{value}' is not MAC=IP such as 02:00:00:00:00:01=10.0.1.10.";
        }

        return Add(s => s.Reservations.Add(new DhcpReservation { HardwareAddress = mac, Address = address }));
    }
}
