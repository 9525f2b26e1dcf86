using System.Numerics;

namespace CloudTemple.Networking.Ipam;

/// <summary>
/// One bit per address of a subnet (1 = free), with summary levels above it: a bit of level
/// k + 1 is set when the 64-bit word below it has at least one free bit. Finding the next free
/// address therefore reads one word per level (four for a /8) whatever the fill level, instead
/// of scanning the used addresses.
/// </summary>
/// <remarks>Not thread-safe: the owning store serializes access.</remarks>
internal sealed class AddressBitmap
{
    // _levels[0] holds the addresses; _levels[^1] is a single word.
    private readonly ulong[][] _levels;

    public AddressBitmap(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Size = size;
        var levels = new List<ulong[]>();
        long bits = size;
        do
        {
            int words = (int)((bits + 63) >> 6);
            levels.Add(new ulong[words]);
            bits = words;
        }
        while (bits > 1);

        _levels = [.. levels];
    }

    /// <summary>The number of addresses (bits).</summary>
    public int Size { get; }

    /// <summary>Whether the address at <paramref name="index"/> is free.</summary>
    public bool IsFree(int index) => (_levels[0][index >> 6] & (1UL << index)) != 0;

    /// <summary>Marks every address free.</summary>
    public void SetAllFree()
    {
        // Word by word, then each summary level from the one below: a /8 takes milliseconds, not a bit loop.
        long bits = Size;
        foreach (ulong[] words in _levels)
        {
            Array.Fill(words, ulong.MaxValue);
            int rest = (int)(bits & 63);
            if (rest != 0)
            {
                words[^1] = (1UL << rest) - 1;
            }

            bits = words.Length;
        }
    }

    /// <summary>Marks an address free; returns whether it was not free before.</summary>
    public bool SetFree(int index)
    {
        ref ulong word = ref _levels[0][index >> 6];
        ulong bit = 1UL << index;
        if ((word & bit) != 0)
        {
            return false;
        }

        bool wasEmpty = word == 0;
        word |= bit;
        // Only a word going from empty to non-empty changes the summary above it.
        for (int level = 1, i = index >> 6; wasEmpty && level < _levels.Length; level++, i >>= 6)
        {
            ref ulong summary = ref _levels[level][i >> 6];
            wasEmpty = summary == 0;
            summary |= 1UL << i;
        }

        return true;
    }

    /// <summary>Marks an address used; returns whether it was free before.</summary>
    public bool SetUsed(int index)
    {
        ref ulong word = ref _levels[0][index >> 6];
        ulong bit = 1UL << index;
        if ((word & bit) == 0)
        {
            return false;
        }

        word &= ~bit;
        bool nowEmpty = word == 0;
        for (int level = 1, i = index >> 6; nowEmpty && level < _levels.Length; level++, i >>= 6)
        {
            ref ulong summary = ref _levels[level][i >> 6];
            summary &= ~(1UL << i);
            nowEmpty = summary == 0;
        }

        return true;
    }

    /// <summary>The first free address at or after <paramref name="start"/>, wrapping to 0; -1 when none is free.</summary>
    public int NextFree(int start)
    {
        if ((uint)start >= (uint)Size)
        {
            start = 0;
        }

        long found = Next(0, start);
        if (found < 0 && start > 0)
        {
            found = Next(0, 0);
        }

        return (int)found;
    }

    // The first set bit at or after index on a level, using the level above to skip empty words.
    private long Next(int level, long index)
    {
        ulong[] words = _levels[level];
        long w = index >> 6;
        if (w >= words.Length)
        {
            return -1;
        }

        ulong bits = words[w] & (ulong.MaxValue << (int)(index & 63));
        if (bits != 0)
        {
            return (w << 6) + BitOperations.TrailingZeroCount(bits);
        }

        if (level == _levels.Length - 1)
        {
            return -1;
        }

        long nextWord = Next(level + 1, w + 1);
        return nextWord < 0 ? -1 : (nextWord << 6) + BitOperations.TrailingZeroCount(words[nextWord]);
    }
}
