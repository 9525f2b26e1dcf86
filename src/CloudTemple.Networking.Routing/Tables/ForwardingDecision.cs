using System.Runtime.InteropServices;

namespace CloudTemple.Networking.Routing;

/// <summary>
/// The answer of a route table for one flow: the matched route and, when it forwards, the next
/// hop chosen for the flow.
/// </summary>
/// <param name="Route">The matched route, or <see langword="null"/> when no route matches (drop, ICMP network unreachable).</param>
/// <param name="NextHop">The next hop: the chosen ECMP next hop, the destination for a connected route, <see cref="Ipv4Address.Any"/> otherwise.</param>
[StructLayout(LayoutKind.Auto)]
public readonly record struct ForwardingDecision(Route? Route, Ipv4Address NextHop)
{
    /// <summary>Whether a route matched.</summary>
    public bool IsMatch => Route is not null;

    /// <summary>Whether the packet is forwarded (connected, next hop or external gateway), rather than dropped.</summary>
    public bool Forwards => Route is { Kind: RouteKind.Connected or RouteKind.NextHop or RouteKind.ExternalGateway };
}
