namespace CloudTemple.Networking.Dhcp;

/// <summary>What identifies a client, and therefore its lease (a known pitfall: the same VM may send a client id in one boot stage and not in another).</summary>
public enum DhcpClientIdentification
{
    /// <summary>The client identifier (option 61) when present, otherwise the hardware address: what RFC 2131 section 4.2 says.</summary>
    ClientIdentifierOrHardwareAddress = 0,

    /// <summary>The hardware address (chaddr) only, whatever option 61 says: what a cloud that knows each VM's MAC usually wants.</summary>
    HardwareAddress = 1,
}
