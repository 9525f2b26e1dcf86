namespace CloudTemple.Networking.Routing;

/// <summary>
/// What a route does with a matching packet. The numeric order is also the tie-break between
/// routes of the same prefix and metric: connected first.
/// </summary>
public enum RouteKind
{
    /// <summary>The prefix is a private network attached to the router: deliver to the destination itself.</summary>
    Connected = 0,

    /// <summary>Forward to an IPv4 next hop (several next hops make an ECMP route).</summary>
    NextHop = 1,

    /// <summary>Forward to the VPC's external gateway (Internet or NAT gateway).</summary>
    ExternalGateway = 2,

    /// <summary>Drop silently (<c>ip route add blackhole</c>).</summary>
    Blackhole = 3,

    /// <summary>Drop and answer ICMP destination unreachable (<c>ip route add unreachable</c>).</summary>
    Unreachable = 4,
}
