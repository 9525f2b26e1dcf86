namespace CloudTemple.Networking.Dhcp;

/// <summary>Why the engine sent no reply to a message.</summary>
public enum DhcpDropReason
{
    /// <summary>Not dropped (a reply was produced, or the message needs none: DECLINE, RELEASE).</summary>
    None = 0,

    /// <summary>The bytes are not a well-formed DHCP message.</summary>
    Malformed,

    /// <summary>A BOOTREPLY (from another server) or a message without a DHCP message type (plain BOOTP).</summary>
    NotADhcpRequest,

    /// <summary>A message type a server does not handle (OFFER, ACK, NAK or unknown).</summary>
    UnexpectedMessageType,

    /// <summary>No configured subnet contains giaddr or the receiving interface's address.</summary>
    NoSubnet,

    /// <summary>No server identifier is configured and the receiving interface's address is unknown.</summary>
    NoServerIdentifier,

    /// <summary>A required option is missing (requested address in SELECTING or DECLINE).</summary>
    MissingOption,

    /// <summary>The client chose another server (server identifier not ours); our offer is withdrawn.</summary>
    OtherServerSelected,

    /// <summary>The client is unknown to this server and RFC 2131 says to stay silent (INIT-REBOOT, REBINDING).</summary>
    UnknownClient,

    /// <summary>No free address is left in the subnet's pool.</summary>
    PoolExhausted,

    /// <summary>The reply does not fit in the reply buffer.</summary>
    ReplyTooLarge,
}
