using CloudTemple.Networking.Dhcp.Protocol;

namespace CloudTemple.Networking.Dhcp;

/// <summary>What the engine made of one request: a reply (its length and where it goes, RFC 2131 section 4.1) or a drop reason.</summary>
/// <param name="Length">The reply's length in the reply buffer; 0 when there is no reply.</param>
/// <param name="ReplyType">The reply's message type, or <see cref="DhcpMessageType.None"/>.</param>
/// <param name="Destination">Where to send the reply: giaddr, ciaddr, or 255.255.255.255.</param>
/// <param name="DestinationPort">67 for a relay, 68 for a client.</param>
/// <param name="DropReason">Why there is no reply, when there is none and the request needed one.</param>
public readonly record struct DhcpProcessResult(
    int Length,
    DhcpMessageType ReplyType,
    Ipv4Address Destination,
    int DestinationPort,
    DhcpDropReason DropReason)
{
    /// <summary>Whether there is a reply to send.</summary>
    public bool HasReply => Length > 0;

    internal static DhcpProcessResult Dropped(DhcpDropReason reason) => new(0, DhcpMessageType.None, default, 0, reason);

    internal static DhcpProcessResult NoReply => default;
}
