namespace CloudTemple.Networking.Packets;

/// <summary>The codes of an ICMP destination unreachable message (type 3): RFC 792, RFC 1122 section 3.2.2.1, RFC 1812 section 5.2.7.1.</summary>
public enum DestinationUnreachableCode : byte
{
    /// <summary>Network unreachable, 0 (RFC 1812 prefers <see cref="HostUnreachable"/> since routers cannot tell).</summary>
    NetworkUnreachable = 0,

    /// <summary>Host unreachable, 1: no route, or no answer to ARP for the destination.</summary>
    HostUnreachable = 1,

    /// <summary>Protocol unreachable, 2: sent by the destination host for a protocol it does not implement.</summary>
    ProtocolUnreachable = 2,

    /// <summary>Port unreachable, 3: sent by the destination host when nothing listens on the port.</summary>
    PortUnreachable = 3,

    /// <summary>Fragmentation needed and DF set, 4: carries the next-hop MTU (RFC 1191).</summary>
    FragmentationNeeded = 4,

    /// <summary>Source route failed, 5.</summary>
    SourceRouteFailed = 5,

    /// <summary>Destination network unknown, 6.</summary>
    DestinationNetworkUnknown = 6,

    /// <summary>Destination host unknown, 7.</summary>
    DestinationHostUnknown = 7,

    /// <summary>Source host isolated, 8 (obsolete).</summary>
    SourceHostIsolated = 8,

    /// <summary>Communication with the destination network administratively prohibited, 9.</summary>
    NetworkAdministrativelyProhibited = 9,

    /// <summary>Communication with the destination host administratively prohibited, 10.</summary>
    HostAdministrativelyProhibited = 10,

    /// <summary>Network unreachable for the type of service, 11.</summary>
    NetworkUnreachableForTypeOfService = 11,

    /// <summary>Host unreachable for the type of service, 12.</summary>
    HostUnreachableForTypeOfService = 12,

    /// <summary>Communication administratively prohibited, 13 (RFC 1812): what a filtering router sends (a "reject" rule).</summary>
    CommunicationAdministrativelyProhibited = 13,

    /// <summary>Host precedence violation, 14 (RFC 1812).</summary>
    HostPrecedenceViolation = 14,

    /// <summary>Precedence cutoff in effect, 15 (RFC 1812).</summary>
    PrecedenceCutoffInEffect = 15,
}
