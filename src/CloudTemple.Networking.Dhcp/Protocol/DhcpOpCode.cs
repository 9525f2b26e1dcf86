namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>The BOOTP operation code (the <c>op</c> field).</summary>
public enum DhcpOpCode : byte
{
    /// <summary>From a client to a server.</summary>
    BootRequest = 1,

    /// <summary>From a server to a client.</summary>
    BootReply = 2,
}
