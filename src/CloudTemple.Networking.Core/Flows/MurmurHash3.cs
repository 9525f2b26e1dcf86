using System.Buffers.Binary;
using System.Numerics;

namespace CloudTemple.Networking;

/// <summary>
/// MurmurHash3_x86_32 (Austin Appleby, public domain, the reference of the SMHasher suite): a fast,
/// well-mixed, non-cryptographic 32-bit hash whose value is fixed by its definition, unlike
/// <see cref="HashCode"/>, which is randomized per process.
/// </summary>
/// <remarks>
/// Blocks are read as little-endian 32-bit words whatever the machine, so the value is the same on every
/// host; it equals the reference implementation's published values (SMHasher's verification value
/// 0xB0F57EE3 among them: see the tests). It is not a defence against chosen inputs (no secret key):
/// do not use it where an attacker can pick keys to fill one bucket.
/// This type is stateless and thread-safe.
/// </remarks>
public static class MurmurHash3
{
    private const uint C1 = 0xCC9E_2D51;
    private const uint C2 = 0x1B87_3593;

    /// <summary>Computes MurmurHash3_x86_32 of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to hash.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The 32-bit hash.</returns>
    public static uint Hash32(ReadOnlySpan<byte> data, uint seed)
    {
        uint h = seed;
        int blocks = data.Length & ~3;
        for (int i = 0; i < blocks; i += 4)
        {
            h = MixBlock(h, BinaryPrimitives.ReadUInt32LittleEndian(data[i..]));
        }

        // The 1 to 3 trailing bytes form a little-endian word that is mixed but not rotated into h.
        ReadOnlySpan<byte> tail = data[blocks..];
        uint k = 0;
        switch (tail.Length)
        {
            case 3:
                k = (uint)tail[2] << 16 | (uint)tail[1] << 8 | tail[0];
                break;
            case 2:
                k = (uint)tail[1] << 8 | tail[0];
                break;
            case 1:
                k = tail[0];
                break;
        }

        if (tail.Length != 0)
        {
            h ^= MixKey(k);
        }

        return Finalize(h, (uint)data.Length);
    }

    /// <summary>Mixes one 4-byte block (already read as a little-endian word) into the running hash.</summary>
    internal static uint MixBlock(uint h, uint k)
    {
        h ^= MixKey(k);
        h = BitOperations.RotateLeft(h, 13);
        return (h * 5) + 0xE654_6B64;
    }

    /// <summary>The finalization: length, then the avalanche mix (fmix32).</summary>
    internal static uint Finalize(uint h, uint length)
    {
        h ^= length;
        h ^= h >> 16;
        h *= 0x85EB_CA6B;
        h ^= h >> 13;
        h *= 0xC2B2_AE35;
        h ^= h >> 16;
        return h;
    }

    private static uint MixKey(uint k)
    {
        k *= C1;
        k = BitOperations.RotateLeft(k, 15);
        return k * C2;
    }
}
