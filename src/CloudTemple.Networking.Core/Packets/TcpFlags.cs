namespace CloudTemple.Networking.Packets;

/// <summary>The TCP control bits (RFC 9293, with ECE and CWR of RFC 3168).</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the protocol's own name for these bits.
public enum TcpFlags : byte
#pragma warning restore CA1711
{
    /// <summary>No bit set.</summary>
    None = 0,

    /// <summary>No more data from sender.</summary>
    Fin = 0x01,

    /// <summary>Synchronize sequence numbers.</summary>
    Syn = 0x02,

    /// <summary>Reset the connection.</summary>
    Rst = 0x04,

    /// <summary>Push function.</summary>
    Psh = 0x08,

    /// <summary>Acknowledgment field is significant.</summary>
    Ack = 0x10,

    /// <summary>Urgent pointer field is significant.</summary>
    Urg = 0x20,

    /// <summary>ECN echo.</summary>
    Ece = 0x40,

    /// <summary>Congestion window reduced.</summary>
    Cwr = 0x80,
}
