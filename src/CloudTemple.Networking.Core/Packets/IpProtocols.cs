namespace CloudTemple.Networking.Packets;

/// <summary>IP protocol numbers used by the libraries (IANA "Assigned Internet Protocol Numbers").</summary>
public static class IpProtocols
{
    /// <summary>ICMP, 1.</summary>
    public const byte Icmp = 1;

    /// <summary>TCP, 6.</summary>
    public const byte Tcp = 6;

    /// <summary>UDP, 17.</summary>
    public const byte Udp = 17;
}
