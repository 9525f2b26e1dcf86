namespace CloudTemple.Networking.Packets;

/// <summary>Why RFC 1812 section 4.3.2.7 forbids sending an ICMP error about a datagram (see <see cref="IcmpError.GetSuppression"/>).</summary>
public enum IcmpErrorSuppression
{
    /// <summary>An ICMP error may be sent.</summary>
    None = 0,

    /// <summary>The datagram is itself an ICMP error message (or too short to tell which ICMP message it is).</summary>
    IcmpError,

    /// <summary>The datagram is a fragment other than the first (non-zero fragment offset).</summary>
    NonInitialFragment,

    /// <summary>The destination is the limited broadcast, a directed broadcast the caller named, or a multicast address.</summary>
    BroadcastOrMulticastDestination,

    /// <summary>The datagram arrived in a link-layer broadcast or multicast frame.</summary>
    LinkLayerBroadcast,

    /// <summary>The source does not name a single host: 0.0.0.0/8, 127.0.0.0/8, multicast, class E or a broadcast address.</summary>
    SourceNotSingleHost,
}
