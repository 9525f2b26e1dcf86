namespace CloudTemple.Networking.Packets;

/// <summary>EtherType values used by the libraries (IEEE 802.3 type field).</summary>
public static class EtherTypes
{
    /// <summary>IPv4, 0x0800.</summary>
    public const ushort Ipv4 = 0x0800;

    /// <summary>ARP, 0x0806.</summary>
    public const ushort Arp = 0x0806;

    /// <summary>An IEEE 802.1Q VLAN tag follows (a customer tag, C-tag), 0x8100.</summary>
    public const ushort Vlan = 0x8100;

    /// <summary>An IEEE 802.1ad service VLAN tag follows (S-tag, the outer tag of QinQ), 0x88A8.</summary>
    public const ushort ServiceVlan = 0x88A8;

    /// <summary>IPv6, 0x86DD.</summary>
    public const ushort Ipv6 = 0x86DD;
}
