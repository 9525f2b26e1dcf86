using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CloudTemple.Networking.Routing;

/// <summary>
/// One immutable 256-slot node of the forwarding table: the second level, for bits 8..15 of an
/// address. Slots are compressed: a byte per slot indexes a
/// list of distinct 32-bit values, so a node costs 256 bytes plus 4 bytes per distinct value
/// instead of 1 KiB. A value is a leaf (entry id + 1, 0 for "no route") or, with the high bit
/// set, the index of a child node.
/// </summary>
/// <remarks>Never changed after construction: a writer builds a new node and publishes it.</remarks>
internal sealed class FibChunk
{
    /// <summary>The bit that marks a value as a child index rather than a leaf.</summary>
    public const uint ChildFlag = 0x8000_0000;

    /// <summary>The number of 32-bit words that hold the 256 slot bytes.</summary>
    private const int SlotWords = 256 / sizeof(uint);

    // Words [0, 64) hold the slot bytes, words [64, 64 + distinct) the distinct values:
    // one array keeps a lookup to two reads in the same object.
    private readonly uint[] _data;

    private FibChunk(uint[] data, uint[][]? children)
    {
        _data = data;
        Children = children;
    }

    /// <summary>The child nodes (third level, see <see cref="FibLeafNode"/>), indexed by the low bits of a child value.</summary>
    public uint[][]? Children { get; }

    /// <summary>Managed bytes held by this node and its children (object headers included).</summary>
    public long Bytes
    {
        get
        {
            // Object: header + method table + two references; arrays: 24-byte header + payload.
            long bytes = 32 + 24 + (4L * _data.Length);
            if (Children is { } children)
            {
                bytes += 24 + (8L * children.Length);
                foreach (var child in children)
                {
                    bytes += FibLeafNode.Bytes(child);
                }
            }

            return bytes;
        }
    }

    /// <summary>The value of a slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Get(uint slot)
    {
        // Both reads stay in bounds by construction: slot is masked to 0..255 by the caller and
        // every slot byte indexes an existing value, so the bounds checks are skipped.
        ref uint words = ref MemoryMarshal.GetArrayDataReference(_data);
        byte index = Unsafe.Add(ref Unsafe.As<uint, byte>(ref words), (nint)slot);
        return Unsafe.Add(ref words, SlotWords + index);
    }

    /// <summary>Writes the 256 slot values into <paramref name="destination"/>.</summary>
    public void Expand(Span<uint> destination)
    {
        for (uint slot = 0; slot < 256; slot++)
        {
            destination[(int)slot] = Get(slot);
        }
    }

    /// <summary>Builds a node from 256 expanded values whose child values index <paramref name="children"/>.</summary>
    /// <param name="values">256 values.</param>
    /// <param name="children">The children referenced by child values, or <see langword="null"/>.</param>
    /// <param name="scratch">The writer's deduplication scratch.</param>
    public static FibChunk Build(ReadOnlySpan<uint> values, uint[][]? children, ChunkBuilderScratch scratch)
    {
        Span<byte> slots = stackalloc byte[256];
        Span<uint> distinct = stackalloc uint[256];
        int count = scratch.Deduplicate(values, slots, distinct);
        var data = new uint[SlotWords + count];
        slots.CopyTo(MemoryMarshal.AsBytes(data.AsSpan(0, SlotWords)));
        distinct[..count].CopyTo(data.AsSpan(SlotWords));
        return new FibChunk(data, children is { Length: > 0 } ? children : null);
    }
}
