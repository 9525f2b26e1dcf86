namespace CloudTemple.Networking.Rewrites;

/// <summary>Which endpoint of a packet a rewrite changes.</summary>
public enum EndpointSide
{
    /// <summary>The source address and port (source NAT, masquerade).</summary>
    Source,

    /// <summary>The destination address and port (destination NAT, port forwarding).</summary>
    Destination,
}
