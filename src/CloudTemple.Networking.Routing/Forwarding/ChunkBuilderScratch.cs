namespace CloudTemple.Networking.Routing;

/// <summary>
/// Writer-side scratch that maps the 256 values of a node to slot bytes without allocating:
/// a 512-entry open-addressing table whose entries are valid only for the current generation,
/// so that it never needs clearing.
/// </summary>
/// <remarks>Not thread-safe: owned by the single writer of a forwarding table.</remarks>
internal sealed class ChunkBuilderScratch
{
    private const int Size = 512;
    private readonly uint[] _keys = new uint[Size];
    private readonly int[] _generation = new int[Size];
    private readonly byte[] _index = new byte[Size];
    private int _current;

    /// <summary>Fills <paramref name="slots"/> with indexes into <paramref name="distinct"/> and returns the distinct count.</summary>
    public int Deduplicate(ReadOnlySpan<uint> values, Span<byte> slots, Span<uint> distinct)
    {
        _current++;
        if (_current == int.MaxValue)
        {
            Array.Clear(_generation);
            _current = 1;
        }

        int count = 0;
        uint previous = 0;
        byte previousIndex = 0;
        for (int slot = 0; slot < values.Length; slot++)
        {
            uint value = values[slot];
            // Runs of one value are the common case (a prefix covers consecutive slots).
            if (slot > 0 && value == previous)
            {
                slots[slot] = previousIndex;
                continue;
            }

            int h = (int)((value * 0x9E3779B1u) >> 23);
            while (_generation[h] == _current && _keys[h] != value)
            {
                h = (h + 1) & (Size - 1);
            }

            if (_generation[h] != _current)
            {
                _generation[h] = _current;
                _keys[h] = value;
                _index[h] = (byte)count;
                distinct[count++] = value;
            }

            previous = value;
            previousIndex = _index[h];
            slots[slot] = previousIndex;
        }

        return count;
    }
}
