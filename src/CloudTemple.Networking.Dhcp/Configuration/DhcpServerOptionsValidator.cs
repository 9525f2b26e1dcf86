using CloudTemple.Networking.Dhcp.Protocol;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Dhcp;

/// <summary>Checks <see cref="DhcpServerOptions"/>: subnets that do not overlap, pools and reservations inside their subnet, consistent timers.</summary>
/// <remarks>Thread-safe (stateless).</remarks>
public sealed class DhcpServerOptionsValidator : IValidateOptions<DhcpServerOptions>
{
    private readonly bool _requireInterface;

    /// <summary>Creates a validator.</summary>
    /// <param name="requireInterface">Whether <see cref="DhcpServerOptions.InterfaceName"/> is required (it is for the UDP server, not for the in-process engine).</param>
    public DhcpServerOptionsValidator(bool requireInterface = false) => _requireInterface = requireInterface;

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, DhcpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = GetFailures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Lists what is wrong with the options (empty when they are valid).</summary>
    /// <param name="options">The options.</param>
    /// <returns>One message per problem, naming the objects involved.</returns>
    public IReadOnlyList<string> GetFailures(DhcpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Subnets.Count == 0)
        {
            failures.Add("At least one subnet is required.");
        }

        if (_requireInterface && string.IsNullOrWhiteSpace(options.InterfaceName))
        {
            failures.Add("InterfaceName is required: the server binds to one interface.");
        }

        if (options.OfferHoldTime <= TimeSpan.Zero)
        {
            failures.Add($"OfferHoldTime must be positive; it is {options.OfferHoldTime}.");
        }

        if (options.DeclineProbation < TimeSpan.Zero)
        {
            failures.Add($"DeclineProbation must not be negative; it is {options.DeclineProbation}.");
        }

        if (options.ReclaimInterval <= TimeSpan.Zero)
        {
            failures.Add($"ReclaimInterval must be positive; it is {options.ReclaimInterval}.");
        }

        if (!Changes.ChangeFeed.IsValidCapacity(options.ChangeFeedCapacity))
        {
            failures.Add($"ChangeFeedCapacity must be from 1 to {Changes.ChangeFeed.MaxCapacity}; it is {options.ChangeFeedCapacity}.");
        }

        if (options.ServerPort is < 1 or > 65535 || options.ClientPort is < 1 or > 65535)
        {
            failures.Add($"Ports must be 1 to 65535; they are {options.ServerPort} and {options.ClientPort}.");
        }

        if (options.ReceiveBufferSize < 4096)
        {
            failures.Add($"ReceiveBufferSize must be at least 4096 bytes; it is {options.ReceiveBufferSize}.");
        }

        if (options.ReceiveConcurrency < 1)
        {
            failures.Add($"ReceiveConcurrency must be at least 1; it is {options.ReceiveConcurrency}.");
        }

        for (int i = 0; i < options.Subnets.Count; i++)
        {
            ValidateSubnet(options.Subnets[i], failures);
            for (int j = 0; j < i; j++)
            {
                if (options.Subnets[i].Prefix.Overlaps(options.Subnets[j].Prefix))
                {
                    failures.Add($"Subnets {options.Subnets[j].Prefix} and {options.Subnets[i].Prefix} overlap.");
                }
            }
        }

        return failures;
    }

    private static void ValidateSubnet(DhcpSubnetOptions subnet, List<string> failures)
    {
        var prefix = subnet.Prefix;
        if (prefix.Length > 30)
        {
            failures.Add($"Subnet {prefix} is too small to serve: use a /30 or larger.");
            return;
        }

        var firstHost = new Ipv4Address(prefix.First.Value + 1);
        var lastHost = new Ipv4Address(prefix.Last.Value - 1);
        var start = subnet.PoolStart ?? firstHost;
        var end = subnet.PoolEnd ?? lastHost;
        if (start < firstHost || end > lastHost || start > end)
        {
            failures.Add($"Subnet {prefix}: pool {start}-{end} must be a range of host addresses inside {firstHost}-{lastHost}.");
        }

        foreach (var router in subnet.Routers)
        {
            if (!prefix.Contains(router))
            {
                failures.Add($"Subnet {prefix}: router {router} is not inside the subnet.");
            }
        }

        if (subnet.Mtu is < 68 or > 65535)
        {
            failures.Add($"Subnet {prefix}: MTU {subnet.Mtu} must be 68 to 65535.");
        }

        if (subnet.LeaseTime < TimeSpan.FromSeconds(1) || subnet.LeaseTime.TotalSeconds >= uint.MaxValue)
        {
            failures.Add($"Subnet {prefix}: lease time {subnet.LeaseTime} must be between 1 s and 2^32-1 s.");
        }

        var t1 = subnet.RenewalTime ?? subnet.LeaseTime / 2;
        var t2 = subnet.RebindingTime ?? subnet.LeaseTime * 0.875;
        if (t1 <= TimeSpan.Zero || t1 > t2 || t2 > subnet.LeaseTime)
        {
            failures.Add($"Subnet {prefix}: timers must satisfy 0 < T1 ({t1}) <= T2 ({t2}) <= lease time ({subnet.LeaseTime}).");
        }

        if (subnet.DomainName is { } domain && (domain.Length is 0 or > 255 || !System.Text.Ascii.IsValid(domain)))
        {
            failures.Add($"Subnet {prefix}: domain name '{domain}' must be 1 to 255 ASCII characters.");
        }

        try
        {
            _ = DomainSearchList.Encode(subnet.DomainSearch);
        }
        catch (ArgumentException e)
        {
            failures.Add($"Subnet {prefix}: domain search list: {e.Message}");
        }

        var addresses = new HashSet<Ipv4Address>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reservation in subnet.Reservations)
        {
            if (reservation is null)
            {
                failures.Add($"Subnet {prefix}: a reservation is null.");
                continue;
            }

            if (reservation.HardwareAddress.HasValue == (reservation.ClientIdentifier is not null))
            {
                failures.Add($"Subnet {prefix}: reservation {reservation} must name either a MAC address or a client identifier.");
            }
            else if (!keys.Add(reservation.HardwareAddress?.ToString() ?? Convert.ToHexString([.. reservation.ClientIdentifier!])))
            {
                failures.Add($"Subnet {prefix}: reservation {reservation} names the same client as another reservation.");
            }

            if (reservation.Address < firstHost || reservation.Address > lastHost)
            {
                failures.Add($"Subnet {prefix}: reservation {reservation} is not a host address of the subnet.");
            }
            else if (!addresses.Add(reservation.Address))
            {
                failures.Add($"Subnet {prefix}: address {reservation.Address} is reserved twice.");
            }
            else if (subnet.Routers.Contains(reservation.Address) || subnet.ServerIdentifier == reservation.Address)
            {
                failures.Add($"Subnet {prefix}: reservation {reservation} takes the address of a router or of the server.");
            }
        }
    }
}
