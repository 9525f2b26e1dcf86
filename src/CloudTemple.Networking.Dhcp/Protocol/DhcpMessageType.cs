namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>The DHCP message type (option 53, RFC 2132 section 9.6).</summary>
public enum DhcpMessageType : byte
{
    /// <summary>No option 53: a plain BOOTP message.</summary>
    None = 0,

    /// <summary>A client looks for servers.</summary>
    Discover = 1,

    /// <summary>A server offers an address.</summary>
    Offer = 2,

    /// <summary>A client requests an offered address, or confirms or extends a lease.</summary>
    Request = 3,

    /// <summary>A client found the address already in use.</summary>
    Decline = 4,

    /// <summary>A server confirms a lease.</summary>
    Ack = 5,

    /// <summary>A server refuses a request.</summary>
    Nak = 6,

    /// <summary>A client gives its address back.</summary>
    Release = 7,

    /// <summary>A client that configured its address itself asks for the other parameters.</summary>
    Inform = 8,
}
