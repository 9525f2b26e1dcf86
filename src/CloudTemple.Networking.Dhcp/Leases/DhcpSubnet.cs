using System.Collections.Frozen;
using CloudTemple.Networking.Dhcp.Protocol;

namespace CloudTemple.Networking.Dhcp;

/// <summary>
/// A served subnet as the engine uses it: the validated <see cref="DhcpSubnetOptions"/> with its dynamic
/// range, the addresses kept out of that range, and its option values encoded once.
/// </summary>
/// <remarks>Immutable and thread-safe. An <see cref="IDhcpAddressPool"/> receives it to know which addresses it may hand out.</remarks>
public sealed class DhcpSubnet
{
    private readonly FrozenSet<Ipv4Address> _excluded;
    private readonly FrozenDictionary<MacAddress, DhcpReservation> _reservationsByMac;
    private readonly FrozenDictionary<string, DhcpReservation> _reservationsByClientId;
    private readonly FrozenDictionary<Ipv4Address, DhcpReservation> _reservationsByAddress;

    internal DhcpSubnet(DhcpSubnetOptions options)
    {
        Prefix = options.Prefix;
        PoolStart = options.PoolStart ?? new Ipv4Address(Prefix.First.Value + 1);
        PoolEnd = options.PoolEnd ?? new Ipv4Address(Prefix.Last.Value - 1);
        ServerIdentifier = options.ServerIdentifier;
        LeaseTime = options.LeaseTime;
        RenewalTime = options.RenewalTime ?? options.LeaseTime / 2;
        RebindingTime = options.RebindingTime ?? options.LeaseTime * 0.875;
        Reservations = [.. options.Reservations];
        var excluded = new HashSet<Ipv4Address>(options.Routers);
        if (ServerIdentifier is { } server)
        {
            excluded.Add(server);
        }

        foreach (var reservation in Reservations)
        {
            excluded.Add(reservation.Address);
        }

        _excluded = excluded.ToFrozenSet();
        _reservationsByMac = Reservations.Where(r => r.HardwareAddress.HasValue).ToFrozenDictionary(r => r.HardwareAddress!.Value);
        _reservationsByClientId = Reservations.Where(r => r.ClientIdentifier is not null)
            .ToFrozenDictionary(r => Convert.ToHexString([.. r.ClientIdentifier!]), StringComparer.Ordinal);
        _reservationsByAddress = Reservations.ToFrozenDictionary(r => r.Address);
        OptionValues = EncodeOptions(options);
    }

    /// <summary>The subnet.</summary>
    public Ipv4Prefix Prefix { get; }

    /// <summary>The first address of the dynamic range.</summary>
    public Ipv4Address PoolStart { get; }

    /// <summary>The last address of the dynamic range.</summary>
    public Ipv4Address PoolEnd { get; }

    /// <summary>Addresses inside the range that are never handed out dynamically: routers, the server, reservations.</summary>
    public IReadOnlySet<Ipv4Address> ExcludedAddresses => _excluded;

    /// <summary>The configured server identifier, if any.</summary>
    public Ipv4Address? ServerIdentifier { get; }

    /// <summary>The lease time.</summary>
    public TimeSpan LeaseTime { get; }

    /// <summary>T1.</summary>
    public TimeSpan RenewalTime { get; }

    /// <summary>T2.</summary>
    public TimeSpan RebindingTime { get; }

    /// <summary>The reservations.</summary>
    public IReadOnlyList<DhcpReservation> Reservations { get; }

    /// <summary>The number of addresses the dynamic range holds (excluded addresses not counted).</summary>
    public long DynamicSize => (long)PoolEnd.Value - PoolStart.Value + 1 - _excluded.Count(IsInRange);

    // Configured options, encoded once, in the order they are sent.
    internal (DhcpOptionCode Code, byte[] Value)[] OptionValues { get; }

    /// <summary>Whether <paramref name="address"/> may be handed out dynamically (inside the range and not excluded).</summary>
    /// <param name="address">The address.</param>
    /// <returns>Whether it belongs to the dynamic pool.</returns>
    public bool IsInPool(Ipv4Address address) => IsInRange(address) && !_excluded.Contains(address);

    internal DhcpReservation? FindReservation(MacAddress? mac, ReadOnlySpan<byte> clientIdentifier)
    {
        if (!clientIdentifier.IsEmpty && _reservationsByClientId.Count > 0
            && _reservationsByClientId.TryGetValue(Convert.ToHexString(clientIdentifier), out var byId))
        {
            return byId;
        }

        return mac is { } m && _reservationsByMac.TryGetValue(m, out var byMac) ? byMac : null;
    }

    internal DhcpReservation? FindReservation(Ipv4Address address) => _reservationsByAddress.GetValueOrDefault(address);

    private bool IsInRange(Ipv4Address address) => address >= PoolStart && address <= PoolEnd;

    private static (DhcpOptionCode, byte[])[] EncodeOptions(DhcpSubnetOptions options)
    {
        var values = new List<(DhcpOptionCode, byte[])>();
        var mask = new byte[4];
        options.Prefix.Mask.WriteTo(mask);
        values.Add((DhcpOptionCode.SubnetMask, mask));
        if (options.Routers.Count > 0)
        {
            values.Add((DhcpOptionCode.Router, Addresses(options.Routers)));
        }

        if (options.DnsServers.Count > 0)
        {
            values.Add((DhcpOptionCode.DomainNameServer, Addresses(options.DnsServers)));
        }

        if (options.DomainName is { Length: > 0 } domain)
        {
            values.Add((DhcpOptionCode.DomainName, System.Text.Encoding.ASCII.GetBytes(domain)));
        }

        if (options.Mtu is { } mtu)
        {
            values.Add((DhcpOptionCode.InterfaceMtu, [(byte)(mtu >> 8), (byte)mtu]));
        }

        if (options.SendBroadcastAddress)
        {
            var broadcast = new byte[4];
            options.Prefix.Last.WriteTo(broadcast);
            values.Add((DhcpOptionCode.BroadcastAddress, broadcast));
        }

        if (options.NtpServers.Count > 0)
        {
            values.Add((DhcpOptionCode.NtpServers, Addresses(options.NtpServers)));
        }

        if (options.DomainSearch.Count > 0)
        {
            values.Add((DhcpOptionCode.DomainSearch, DomainSearchList.Encode(options.DomainSearch)));
        }

        if (options.StaticRoutes.Count > 0)
        {
            var routes = options.StaticRoutes.ToList();
            // RFC 3442 clients ignore option 3 when 121 is present: keep the default route in 121.
            if (options.Routers.Count > 0 && !routes.Any(r => r.Destination.Length == 0))
            {
                routes.Add(new ClasslessStaticRoute(Ipv4Prefix.Any, options.Routers[0]));
            }

            var encoded = new byte[ClasslessStaticRoute.GetEncodedLength(routes.ToArray())];
            ClasslessStaticRoute.Encode(routes.ToArray(), encoded);
            values.Add((DhcpOptionCode.ClasslessStaticRoute, encoded));
        }

        return [.. values];
    }

    private static byte[] Addresses(IList<Ipv4Address> addresses)
    {
        var bytes = new byte[4 * addresses.Count];
        for (int i = 0; i < addresses.Count; i++)
        {
            addresses[i].WriteTo(bytes.AsSpan(4 * i));
        }

        return bytes;
    }
}
