using System.Numerics;
using System.Runtime.InteropServices;

namespace CloudTemple.Networking.Routing;

/// <summary>
/// The 5-tuple of a flow (source, destination, protocol, ports), whose <see cref="StableHash"/>
/// picks the next hop of an ECMP route.
/// </summary>
/// <remarks>
/// The hash is a fixed function of the five fields (MurmurHash3's 32-bit mixing with a constant
/// seed), never <see cref="HashCode"/>, which is randomized per process: the same flow takes the
/// same next hop on every run, on every host and in every version of this library.
/// This type is immutable and thread-safe.
/// </remarks>
/// <param name="Source">The source address.</param>
/// <param name="Destination">The destination address (the one looked up).</param>
/// <param name="Protocol">The IP protocol number (6 TCP, 17 UDP, 1 ICMP).</param>
/// <param name="SourcePort">The source port (0 when the protocol has none).</param>
/// <param name="DestinationPort">The destination port (0 when the protocol has none; the ICMP query id may go here).</param>
[StructLayout(LayoutKind.Auto)]
public readonly record struct FlowKey(
    Ipv4Address Source,
    Ipv4Address Destination,
    byte Protocol,
    ushort SourcePort,
    ushort DestinationPort)
{
    private const uint Seed = 0x5EED_EC30;

    /// <summary>A hash of the five fields that is the same on every run and host.</summary>
    /// <returns>The 32-bit hash.</returns>
    public uint StableHash()
    {
        uint h = Seed;
        h = Mix(h, Source.Value);
        h = Mix(h, Destination.Value);
        h = Mix(h, Protocol);
        h = Mix(h, ((uint)SourcePort << 16) | DestinationPort);
        h ^= 16; // input length in bytes, as the MurmurHash3 finalization expects
        h ^= h >> 16;
        h *= 0x85EB_CA6B;
        h ^= h >> 13;
        h *= 0xC2B2_AE35;
        h ^= h >> 16;
        return h;
    }

    /// <summary>Maps the hash onto <c>[0, count)</c> by multiply-shift (no modulo bias, no division).</summary>
    /// <param name="count">The number of choices, at least 1.</param>
    /// <returns>The chosen index.</returns>
    public int SelectIndex(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return (int)(((ulong)StableHash() * (uint)count) >> 32);
    }

    private static uint Mix(uint h, uint k)
    {
        k *= 0xCC9E_2D51;
        k = BitOperations.RotateLeft(k, 15);
        k *= 0x1B87_3593;
        h ^= k;
        h = BitOperations.RotateLeft(h, 13);
        return (h * 5) + 0xE654_6B64;
    }
}
