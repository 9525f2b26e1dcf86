using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace CloudTemple.Networking.Routing;

/// <summary>
/// One route: a prefix, what to do with packets to it (<see cref="Kind"/>), its next hops or
/// network, and a metric (lower wins among routes of the same prefix).
/// </summary>
/// <remarks>
/// Routes compare by value. The text form is the <c>ip route</c> syntax (<see cref="ToString()"/>,
/// <see cref="Parse(string)"/>). ECMP next hops are kept sorted, so that the same set of next hops
/// maps a flow to the same next hop whatever order they were given in.
/// This type is immutable and thread-safe.
/// </remarks>
public sealed class Route : IEquatable<Route>
{
    private Route(Ipv4Prefix prefix, RouteKind kind, ImmutableArray<Ipv4Address> nextHops, string? network, uint metric)
    {
        Prefix = prefix;
        Kind = kind;
        NextHops = nextHops;
        Network = network;
        Metric = metric;
    }

    /// <summary>The destination prefix.</summary>
    public Ipv4Prefix Prefix { get; }

    /// <summary>What the route does.</summary>
    public RouteKind Kind { get; }

    /// <summary>The next hops of a <see cref="RouteKind.NextHop"/> route, sorted (more than one: ECMP); empty otherwise.</summary>
    public ImmutableArray<Ipv4Address> NextHops { get; }

    /// <summary>The private network (device) of a connected route, or the optional egress network of a next-hop route.</summary>
    public string? Network { get; }

    /// <summary>The metric: among routes of the same prefix the lowest wins.</summary>
    public uint Metric { get; }

    /// <summary>Whether the route has several next hops.</summary>
    public bool IsEcmp => NextHops.Length > 1;

    /// <summary>A connected route: <paramref name="prefix"/> is the private network <paramref name="network"/>.</summary>
    /// <param name="prefix">The network's prefix.</param>
    /// <param name="network">The private network's name (the device, in <c>ip route</c> terms).</param>
    /// <param name="metric">The metric.</param>
    /// <returns>The route.</returns>
    public static Route Connected(Ipv4Prefix prefix, string network, uint metric = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(network);
        return new(prefix, RouteKind.Connected, [], network, metric);
    }

    /// <summary>A route via one IPv4 next hop.</summary>
    /// <param name="prefix">The destination prefix.</param>
    /// <param name="nextHop">The next hop, which must lie inside a connected route of the table.</param>
    /// <param name="metric">The metric.</param>
    /// <returns>The route.</returns>
    public static Route Via(Ipv4Prefix prefix, Ipv4Address nextHop, uint metric = 0) =>
        new(prefix, RouteKind.NextHop, [nextHop], null, metric);

    /// <summary>An ECMP route via several next hops; a flow's 5-tuple picks one (<see cref="SelectNextHop"/>).</summary>
    /// <param name="prefix">The destination prefix.</param>
    /// <param name="nextHops">One or more distinct next hops.</param>
    /// <param name="metric">The metric.</param>
    /// <returns>The route.</returns>
    /// <exception cref="ArgumentException">No next hop, or the same next hop twice.</exception>
    public static Route Multipath(Ipv4Prefix prefix, IEnumerable<Ipv4Address> nextHops, uint metric = 0) =>
        Create(prefix, nextHops, null, metric);

    /// <summary>A route to the VPC's external gateway.</summary>
    /// <param name="prefix">The destination prefix, usually <see cref="Ipv4Prefix.Any"/>.</param>
    /// <param name="metric">The metric.</param>
    /// <returns>The route.</returns>
    public static Route ExternalGateway(Ipv4Prefix prefix, uint metric = 0) =>
        new(prefix, RouteKind.ExternalGateway, [], null, metric);

    /// <summary>A route that drops silently.</summary>
    /// <param name="prefix">The destination prefix.</param>
    /// <param name="metric">The metric.</param>
    /// <returns>The route.</returns>
    public static Route Blackhole(Ipv4Prefix prefix, uint metric = 0) =>
        new(prefix, RouteKind.Blackhole, [], null, metric);

    /// <summary>A route that drops and answers ICMP destination unreachable.</summary>
    /// <param name="prefix">The destination prefix.</param>
    /// <param name="metric">The metric.</param>
    /// <returns>The route.</returns>
    public static Route Unreachable(Ipv4Prefix prefix, uint metric = 0) =>
        new(prefix, RouteKind.Unreachable, [], null, metric);

    private static Route Create(Ipv4Prefix prefix, IEnumerable<Ipv4Address> nextHops, string? network, uint metric)
    {
        ArgumentNullException.ThrowIfNull(nextHops);
        var sorted = nextHops.Order().ToImmutableArray();
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("A next-hop route needs at least one next hop.", nameof(nextHops));
        }

        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] == sorted[i - 1])
            {
                throw new ArgumentException($"Next hop {sorted[i]} is given twice.", nameof(nextHops));
            }
        }

        return new(prefix, RouteKind.NextHop, sorted, network, metric);
    }

    /// <summary>
    /// The next hop for a flow: for an ECMP route the one the flow's stable hash picks, for a
    /// single next hop that one, for a connected route the destination itself.
    /// </summary>
    /// <param name="flow">The flow.</param>
    /// <returns>The next hop address.</returns>
    /// <exception cref="InvalidOperationException">The route has no next hop (external gateway, blackhole, unreachable).</exception>
    public Ipv4Address SelectNextHop(in FlowKey flow) => Kind switch
    {
        RouteKind.Connected => flow.Destination,
        RouteKind.NextHop => NextHops.Length == 1 ? NextHops[0] : NextHops[flow.SelectIndex(NextHops.Length)],
        _ => throw new InvalidOperationException($"A {Kind} route has no next hop address."),
    };

    /// <summary>
    /// Parses a route in the <c>ip route</c> subset: <c>PREFIX via ADDRESS [dev NAME] [metric N]</c>,
    /// <c>PREFIX nexthop via A nexthop via B [metric N]</c>, <c>PREFIX dev NAME [metric N]</c>,
    /// <c>PREFIX external-gateway [metric N]</c>, <c>blackhole PREFIX [metric N]</c>,
    /// <c>unreachable PREFIX [metric N]</c>. PREFIX is <c>a.b.c.d/len</c>, <c>a.b.c.d</c> (a /32) or <c>default</c>.
    /// </summary>
    /// <param name="text">The route.</param>
    /// <returns>The route.</returns>
    /// <exception cref="InvalidRoutePrefixException">The prefix is malformed or has host bits set.</exception>
    /// <exception cref="FormatException">The rest of the text is not in the syntax above.</exception>
    public static Route Parse(string text) => RouteSyntax.Parse(text, out _);

    /// <summary>Tries to parse a route; see <see cref="Parse(string)"/>.</summary>
    /// <param name="text">The route.</param>
    /// <param name="route">The route when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the text is a valid route.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Route? route)
    {
        route = null;
        if (text is null)
        {
            return false;
        }

        try
        {
            route = RouteSyntax.Parse(text, out _);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (InvalidRoutePrefixException)
        {
            return false;
        }
    }

    /// <summary>The route in <c>ip route</c> syntax, normalized (<c>default</c> for /0, metric only when not 0).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ToString(includeZeroMetric: false);

    /// <summary>The route in <c>ip route</c> syntax, normalized.</summary>
    /// <param name="includeZeroMetric">Whether to write <c>metric 0</c> (when the route's source spelled it).</param>
    /// <returns>The text.</returns>
    public string ToString(bool includeZeroMetric)
    {
        var text = new StringBuilder(48);
        string prefix = Prefix.Length == 0 ? "default" : Prefix.ToString();
        switch (Kind)
        {
            case RouteKind.Blackhole:
                text.Append("blackhole ").Append(prefix);
                break;
            case RouteKind.Unreachable:
                text.Append("unreachable ").Append(prefix);
                break;
            case RouteKind.Connected:
                text.Append(prefix).Append(" dev ").Append(Network);
                break;
            case RouteKind.ExternalGateway:
                text.Append(prefix).Append(" external-gateway");
                break;
            default:
                text.Append(prefix);
                if (NextHops.Length == 1)
                {
                    text.Append(" via ").Append(NextHops[0].ToString());
                }
                else
                {
                    foreach (var hop in NextHops)
                    {
                        text.Append(" nexthop via ").Append(hop.ToString());
                    }
                }

                if (Network is not null)
                {
                    text.Append(" dev ").Append(Network);
                }

                break;
        }

        if (Metric != 0 || includeZeroMetric)
        {
            text.Append(" metric ").Append(Metric.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(Route? other) =>
        other is not null
        && Prefix == other.Prefix
        && Kind == other.Kind
        && Metric == other.Metric
        && string.Equals(Network, other.Network, StringComparison.Ordinal)
        && NextHops.AsSpan().SequenceEqual(other.NextHops.AsSpan());

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Route);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Prefix);
        hash.Add(Kind);
        hash.Add(Metric);
        hash.Add(Network, StringComparer.Ordinal);
        foreach (var hop in NextHops)
        {
            hash.Add(hop);
        }

        return hash.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(Route? left, Route? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Route? left, Route? right) => !(left == right);

    /// <summary>Builds a route from parsed parts (used by the parser).</summary>
    internal static Route FromParts(Ipv4Prefix prefix, RouteKind kind, List<Ipv4Address> nextHops, string? network, uint metric) => kind switch
    {
        RouteKind.NextHop => Create(prefix, nextHops, network, metric),
        RouteKind.Connected => Connected(prefix, network!, metric),
        _ => new(prefix, kind, [], null, metric),
    };
}
