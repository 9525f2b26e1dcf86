using CloudTemple.Networking.Configuration;
using CloudTemple.Networking.Dhcp.Protocol;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Dhcp;

/// <summary>
/// Checks <see cref="DhcpServerOptions"/>: first the ranges and formats its DataAnnotations attributes declare, then the
/// rules that involve several values: a subnet is set (not 0.0.0.0/0) and at most a /30, subnets do not overlap, pools,
/// routers and reservations lie inside their subnet, T1 &lt;= T2 &lt;= lease time.
/// </summary>
/// <remarks>
/// Each message starts with the configuration key it is about (<c>Dhcp:Subnets:0:Prefix</c> when the options were bound
/// by <c>AddDhcpServer(configuration)</c>, <c>DhcpServerOptions:Subnets:0:Prefix</c> otherwise). Thread-safe (stateless).
/// </remarks>
public sealed class DhcpServerOptionsValidator : IValidateOptions<DhcpServerOptions>
{
    private readonly bool _requireInterface;
    private readonly OptionsKeys<DhcpServerOptions> _keys;
    private readonly AnnotatedOptionsValidator<DhcpServerOptions, DhcpServerOptionsAnnotations> _annotations;

    /// <summary>Creates a validator.</summary>
    /// <param name="requireInterface">Whether <see cref="DhcpServerOptions.InterfaceName"/> is required (it is for the UDP server, not for the in-process engine).</param>
    public DhcpServerOptionsValidator(bool requireInterface = false)
        : this(requireInterface, new OptionsKeys<DhcpServerOptions>())
    {
    }

    internal DhcpServerOptionsValidator(bool requireInterface, OptionsKeys<DhcpServerOptions> keys)
    {
        _requireInterface = requireInterface;
        _keys = keys;
        _annotations = new(keys);
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, DhcpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = GetFailures(name, options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Lists what is wrong with the options (empty when they are valid).</summary>
    /// <param name="options">The options.</param>
    /// <returns>One message per problem, naming the key and the objects involved.</returns>
    public IReadOnlyList<string> GetFailures(DhcpServerOptions options) => GetFailures(Options.DefaultName, options);

    private List<string> GetFailures(string? name, DhcpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var annotations = _annotations.Validate(name, options);
        if (annotations.Failed)
        {
            failures.AddRange(annotations.Failures ?? [annotations.FailureMessage]);
        }

        string Key(string member) => _keys.Of(name, member);

        if (options.Subnets.Count == 0)
        {
            failures.Add($"{Key("Subnets")}: at least one subnet is required.");
        }

        if (_requireInterface && string.IsNullOrWhiteSpace(options.InterfaceName))
        {
            failures.Add($"{Key("InterfaceName")}: required, the server binds to one interface.");
        }

        for (int i = 0; i < options.Subnets.Count; i++)
        {
            string subnetKey = Key($"Subnets:{i}");
            if (options.Subnets[i] is not { } subnet)
            {
                failures.Add($"{subnetKey}: a subnet is null.");
                continue;
            }

            ValidateSubnet(subnet, subnetKey, failures);
            for (int j = 0; j < i; j++)
            {
                if (options.Subnets[j] is { } other && subnet.Prefix.Length > 0 && other.Prefix.Length > 0 && subnet.Prefix.Overlaps(other.Prefix))
                {
                    failures.Add($"{subnetKey}:Prefix: subnets {other.Prefix} ({Key($"Subnets:{j}")}) and {subnet.Prefix} overlap.");
                }
            }
        }

        return failures;
    }

    private static void ValidateSubnet(DhcpSubnetOptions subnet, string key, List<string> failures)
    {
        var prefix = subnet.Prefix;
        if (prefix.Length == 0)
        {
            // The default of an unset (or unbindable) prefix: serving it would hand out 0.0.0.1 upwards.
            failures.Add($"{key}:Prefix: the subnet is unset or 0.0.0.0/0; set the subnet served, for example \"10.0.1.0/24\".");
            return;
        }

        if (prefix.Length > 30)
        {
            failures.Add($"{key}:Prefix: subnet {prefix} is too small to serve: use a /30 or larger.");
            return;
        }

        var firstHost = new Ipv4Address(prefix.First.Value + 1);
        var lastHost = new Ipv4Address(prefix.Last.Value - 1);
        var start = subnet.PoolStart ?? firstHost;
        var end = subnet.PoolEnd ?? lastHost;
        if (start < firstHost || end > lastHost || start > end)
        {
            failures.Add($"{key}:PoolStart/PoolEnd: pool {start}-{end} must be a range of host addresses of {prefix}, inside {firstHost}-{lastHost}.");
        }

        for (int i = 0; i < subnet.Routers.Count; i++)
        {
            if (!prefix.Contains(subnet.Routers[i]))
            {
                failures.Add($"{key}:Routers:{i}: router {subnet.Routers[i]} is not inside subnet {prefix}.");
            }
        }

        var t1 = subnet.RenewalTime ?? subnet.LeaseTime / 2;
        var t2 = subnet.RebindingTime ?? subnet.LeaseTime * 0.875;
        if (t1 <= TimeSpan.Zero || t1 > t2 || t2 > subnet.LeaseTime)
        {
            failures.Add($"{key}:RenewalTime/RebindingTime: timers of {prefix} must satisfy 0 < T1 ({t1}) <= T2 ({t2}) <= lease time ({subnet.LeaseTime}).");
        }

        try
        {
            _ = DomainSearchList.Encode(subnet.DomainSearch);
        }
        catch (ArgumentException e)
        {
            failures.Add($"{key}:DomainSearch: domain search list of {prefix}: {e.Message}");
        }

        var addresses = new HashSet<Ipv4Address>();
        var clients = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < subnet.Reservations.Count; i++)
        {
            string reservationKey = $"{key}:Reservations:{i}";
            if (subnet.Reservations[i] is not { } reservation)
            {
                failures.Add($"{reservationKey}: a reservation is null.");
                continue;
            }

            if (reservation.HardwareAddress.HasValue == (reservation.ClientIdentifier is not null))
            {
                failures.Add($"{reservationKey}: reservation {reservation} must name either a MAC address (HardwareAddress) or a client identifier (ClientIdentifier).");
            }
            else if (!clients.Add(reservation.HardwareAddress?.ToString() ?? Convert.ToHexString([.. reservation.ClientIdentifier!])))
            {
                failures.Add($"{reservationKey}: reservation {reservation} names the same client as another reservation of {prefix}.");
            }

            if (reservation.Address < firstHost || reservation.Address > lastHost)
            {
                failures.Add($"{reservationKey}:Address: reservation {reservation} is not a host address of {prefix}.");
            }
            else if (!addresses.Add(reservation.Address))
            {
                failures.Add($"{reservationKey}:Address: address {reservation.Address} is reserved twice in {prefix}.");
            }
            else if (subnet.Routers.Contains(reservation.Address) || subnet.ServerIdentifier == reservation.Address)
            {
                failures.Add($"{reservationKey}:Address: reservation {reservation} takes the address of a router or of the server.");
            }
        }
    }
}
