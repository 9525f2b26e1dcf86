namespace CloudTemple.Networking.Dhcp;

/// <summary>Where a request came in: what the engine needs beyond the message's bytes.</summary>
/// <param name="LocalAddress">The address of the interface the request arrived on: selects the subnet of direct (not relayed) requests, and is the default server identifier. 0.0.0.0 when unknown (then a lone subnet is used).</param>
public readonly record struct DhcpRequestContext(Ipv4Address LocalAddress);
