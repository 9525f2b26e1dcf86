namespace CloudTemple.Networking.Packets;

/// <summary>
/// ICMP type values (RFC 792, RFC 950, RFC 1256) and their classification into error and query messages,
/// as RFC 1122 section 3.2.2 and RFC 1812 section 4.3.2 use it. All members are pure and thread-safe.
/// </summary>
public static class IcmpTypes
{
    /// <summary>Echo reply, 0 (a query).</summary>
    public const byte EchoReply = 0;

    /// <summary>Destination unreachable, 3 (an error; codes in <see cref="DestinationUnreachableCode"/>).</summary>
    public const byte DestinationUnreachable = 3;

    /// <summary>Source quench, 4 (an error, deprecated by RFC 6633).</summary>
    public const byte SourceQuench = 4;

    /// <summary>Redirect, 5 (an error).</summary>
    public const byte Redirect = 5;

    /// <summary>Echo request, 8 (a query).</summary>
    public const byte EchoRequest = 8;

    /// <summary>Router advertisement, 9 (RFC 1256; neither an error nor a query with an identifier).</summary>
    public const byte RouterAdvertisement = 9;

    /// <summary>Router solicitation, 10 (RFC 1256; neither an error nor a query with an identifier).</summary>
    public const byte RouterSolicitation = 10;

    /// <summary>Time exceeded, 11 (an error; codes in <see cref="TimeExceededCode"/>).</summary>
    public const byte TimeExceeded = 11;

    /// <summary>Parameter problem, 12 (an error).</summary>
    public const byte ParameterProblem = 12;

    /// <summary>Timestamp request, 13 (a query).</summary>
    public const byte TimestampRequest = 13;

    /// <summary>Timestamp reply, 14 (a query).</summary>
    public const byte TimestampReply = 14;

    /// <summary>Information request, 15 (a query, obsolete).</summary>
    public const byte InformationRequest = 15;

    /// <summary>Information reply, 16 (a query, obsolete).</summary>
    public const byte InformationReply = 16;

    /// <summary>Address mask request, 17 (a query, RFC 950).</summary>
    public const byte AddressMaskRequest = 17;

    /// <summary>Address mask reply, 18 (a query, RFC 950).</summary>
    public const byte AddressMaskReply = 18;

    /// <summary>
    /// Whether a type is an ICMP error message (3, 4, 5, 11, 12): its data quotes the datagram that caused it,
    /// and no ICMP error may be sent about it (RFC 1812 section 4.3.2.7).
    /// </summary>
    /// <param name="type">The ICMP type.</param>
    /// <returns><see langword="true"/> for an error type.</returns>
    public static bool IsError(byte type) =>
        type is DestinationUnreachable or SourceQuench or Redirect or TimeExceeded or ParameterProblem;

    /// <summary>
    /// Whether a type is an ICMP query message with an identifier and sequence number in bytes 4 to 7
    /// (echo 0/8, timestamp 13/14, information 15/16, address mask 17/18): the identifier is what NAT
    /// maps like a port (RFC 5508 section 3.1).
    /// </summary>
    /// <param name="type">The ICMP type.</param>
    /// <returns><see langword="true"/> for a query type.</returns>
    public static bool IsQuery(byte type) =>
        type is EchoReply or EchoRequest or (>= TimestampRequest and <= AddressMaskReply);
}
