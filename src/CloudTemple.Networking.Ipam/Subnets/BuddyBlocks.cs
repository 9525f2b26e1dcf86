namespace CloudTemple.Networking.Ipam;

/// <summary>
/// The free space of a pool as aligned free blocks, one sorted set per prefix length (a buddy
/// allocator). A /N request takes the lowest block of the longest length that still fits
/// (the smallest hole), splitting it; a released block merges with its free buddy, so that
/// free space stays in as few, as large blocks as possible.
/// </summary>
/// <remarks>Not thread-safe: the owning store serializes access.</remarks>
internal sealed class BuddyBlocks
{
    private readonly SortedSet<uint>?[] _free = new SortedSet<uint>?[33];

    public BuddyBlocks(Ipv4Prefix pool)
    {
        Pool = pool;
        Add(pool.Network.Value, pool.Length);
    }

    public Ipv4Prefix Pool { get; }

    /// <summary>The length of the smallest free block that can hold a /<paramref name="length"/>, or -1.</summary>
    public int SmallestFit(int length)
    {
        for (int m = length; m >= Pool.Length; m--)
        {
            if (_free[m] is { Count: > 0 })
            {
                return m;
            }
        }

        return -1;
    }

    /// <summary>The lowest block of the smallest fitting hole (see <see cref="SubnetLayout.IsBetterHole"/>), or null.</summary>
    public Ipv4Prefix? SmallestHole(int length)
    {
        int m = SmallestFit(length);
        return m < 0 ? null : new Ipv4Prefix(new Ipv4Address(_free[m]!.Min), m);
    }

    /// <summary>Takes the lowest /<paramref name="length"/> of the smallest fitting hole.</summary>
    public bool TryTakeNext(int length, out Ipv4Prefix prefix)
    {
        int m = SmallestFit(length);
        if (m < 0)
        {
            prefix = default;
            return false;
        }

        uint network = _free[m]!.Min;
        prefix = new Ipv4Prefix(new Ipv4Address(network), length);
        Split(network, m, prefix);
        return true;
    }

    /// <summary>Takes exactly <paramref name="prefix"/> when it lies inside one free block.</summary>
    public bool TryTake(Ipv4Prefix prefix)
    {
        for (int m = prefix.Length; m >= Pool.Length; m--)
        {
            uint network = prefix.Network.Value & Ipv4Prefix.MaskOf(m);
            if (_free[m]?.Contains(network) == true)
            {
                Split(network, m, prefix);
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns a taken prefix, merging it with its free buddies.</summary>
    public void Release(Ipv4Prefix prefix)
    {
        uint network = prefix.Network.Value;
        int length = prefix.Length;
        while (length > Pool.Length)
        {
            uint buddy = network ^ (1u << (32 - length));
            if (_free[length]?.Remove(buddy) != true)
            {
                break;
            }

            length--;
            network &= Ipv4Prefix.MaskOf(length);
        }

        Add(network, length);
    }

    // Removes the free block (network/m) and gives back every half that does not hold target.
    private void Split(uint network, int m, Ipv4Prefix target)
    {
        _free[m]!.Remove(network);
        for (int length = m + 1; length <= target.Length; length++)
        {
            uint half = 1u << (32 - length);
            uint other = (target.Network.Value & half) == 0 ? network | half : network;
            Add(other, length);
            network = target.Network.Value & Ipv4Prefix.MaskOf(length);
        }
    }

    private void Add(uint network, int length) => (_free[length] ??= []).Add(network);
}
