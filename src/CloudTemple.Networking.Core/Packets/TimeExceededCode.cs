namespace CloudTemple.Networking.Packets;

/// <summary>The codes of an ICMP time exceeded message (type 11), RFC 792.</summary>
public enum TimeExceededCode : byte
{
    /// <summary>Time to live exceeded in transit, 0: sent by a router that decremented the TTL to zero.</summary>
    TimeToLiveExceededInTransit = 0,

    /// <summary>Fragment reassembly time exceeded, 1: sent by the reassembling host about fragment zero.</summary>
    FragmentReassemblyTimeExceeded = 1,
}
