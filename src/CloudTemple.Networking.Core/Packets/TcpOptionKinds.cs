namespace CloudTemple.Networking.Packets;

/// <summary>TCP option kinds (IANA "TCP Option Kind Numbers") that a data plane meets.</summary>
public static class TcpOptionKinds
{
    /// <summary>End of Option List (RFC 9293): one byte, the rest of the header is padding.</summary>
    public const byte EndOfOptionList = 0;

    /// <summary>No-Operation (RFC 9293): one byte, aligns the next option.</summary>
    public const byte NoOperation = 1;

    /// <summary>Maximum Segment Size (RFC 9293): length 4, a 16-bit MSS; only in SYN segments.</summary>
    public const byte MaximumSegmentSize = 2;

    /// <summary>Window Scale (RFC 7323): length 3.</summary>
    public const byte WindowScale = 3;

    /// <summary>SACK Permitted (RFC 2018): length 2.</summary>
    public const byte SackPermitted = 4;

    /// <summary>SACK (RFC 2018): length 2 + 8 per block.</summary>
    public const byte Sack = 5;

    /// <summary>Timestamps (RFC 7323): length 10.</summary>
    public const byte Timestamps = 8;
}
