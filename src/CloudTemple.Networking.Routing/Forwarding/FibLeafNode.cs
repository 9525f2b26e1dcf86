namespace CloudTemple.Networking.Routing;

/// <summary>
/// The third level of the forwarding table (bits 0..7, for prefixes longer than /24), stored as
/// ranges: a sorted <see cref="uint"/> array of <c>(first slot &lt;&lt; 24) | leaf</c>. A /25 inside a
/// /24 costs two words instead of a 256-slot node, which keeps a full table under 64 MiB.
/// </summary>
/// <remarks>Arrays built here are never changed: a writer builds a new one and publishes its parent.</remarks>
internal static class FibLeafNode
{
    /// <summary>The largest leaf a range can hold (24 bits).</summary>
    public const uint MaxLeaf = 0x00FF_FFFF;

    /// <summary>The leaf of <paramref name="slot"/> (0..255): the last range starting at or before it.</summary>
    public static uint Get(uint[] node, uint slot)
    {
        // Ranges sorted by first slot, the first at slot 0: the answer is the last word <= key.
        uint key = (slot << 24) | MaxLeaf;
        int low = 0;
        int high = node.Length - 1;
        while (high - low > 4)
        {
            int middle = (low + high) >>> 1;
            if (node[middle] <= key)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        while (node[high] > key)
        {
            high--;
        }

        return node[high] & MaxLeaf;
    }

    /// <summary>Writes the 256 slot leaves into <paramref name="destination"/>.</summary>
    public static void Expand(uint[] node, Span<uint> destination)
    {
        for (int i = 0; i < node.Length; i++)
        {
            int start = (int)(node[i] >> 24);
            int end = i + 1 < node.Length ? (int)(node[i + 1] >> 24) : 256;
            destination[start..end].Fill(node[i] & MaxLeaf);
        }
    }

    /// <summary>Encodes 256 leaves as ranges.</summary>
    public static uint[] Build(ReadOnlySpan<uint> values)
    {
        int count = 1;
        for (int slot = 1; slot < values.Length; slot++)
        {
            count += values[slot] != values[slot - 1] ? 1 : 0;
        }

        var node = new uint[count];
        node[0] = values[0];
        int next = 1;
        for (int slot = 1; slot < values.Length; slot++)
        {
            if (values[slot] != values[slot - 1])
            {
                node[next++] = ((uint)slot << 24) | values[slot];
            }
        }

        return node;
    }

    /// <summary>Managed bytes of a node (array header and payload).</summary>
    public static long Bytes(uint[] node) => 24 + (4L * node.Length);
}
