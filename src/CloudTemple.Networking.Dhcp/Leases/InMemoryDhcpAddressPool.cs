using System.Numerics;

namespace CloudTemple.Networking.Dhcp;

/// <summary>
/// The embedded <see cref="IDhcpAddressPool"/>: one bitmap per subnet, searched from a rotating cursor so
/// that a freed address is handed out again as late as possible (stale ARP caches then expire first).
/// </summary>
/// <remarks>Thread-safe. Replace it with a pool over IPAM to share the address space with static allocations.</remarks>
public sealed class InMemoryDhcpAddressPool : IDhcpAddressPool
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Ipv4Prefix, Range> _ranges = [];

    /// <inheritdoc/>
    public ValueTask<Ipv4Address?> AllocateAsync(DhcpSubnet subnet, DhcpClientKey client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var range = RangeOf(subnet);
            long index = range.FindFree(range.Cursor, range.Size);
            if (index < 0)
            {
                index = range.FindFree(0, range.Cursor);
            }

            if (index >= 0)
            {
                range.Set(index);
                range.Owners[index] = client;
                range.Cursor = (index + 1) % range.Size;
                return ValueTask.FromResult<Ipv4Address?>(new Ipv4Address((uint)(subnet.PoolStart.Value + index)));
            }

            return ValueTask.FromResult<Ipv4Address?>(null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAllocateAsync(DhcpSubnet subnet, Ipv4Address address, DhcpClientKey client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        cancellationToken.ThrowIfCancellationRequested();
        if (!subnet.IsInPool(address))
        {
            return ValueTask.FromResult(false);
        }

        lock (_lock)
        {
            var range = RangeOf(subnet);
            long index = address.Value - subnet.PoolStart.Value;
            if (range.IsSet(index))
            {
                return ValueTask.FromResult(range.Owners.TryGetValue(index, out var owner) && owner == client);
            }

            range.Set(index);
            range.Owners[index] = client;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask ReleaseAsync(DhcpSubnet subnet, Ipv4Address address, CancellationToken cancellationToken)
    {
        SetOwnerless(subnet, address, taken: false, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask MarkDeclinedAsync(DhcpSubnet subnet, Ipv4Address address, DateTimeOffset until, CancellationToken cancellationToken)
    {
        SetOwnerless(subnet, address, taken: true, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<long> CountAllocatedAsync(DhcpSubnet subnet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var range = RangeOf(subnet);
            return ValueTask.FromResult(range.Count - (range.Size - subnet.DynamicSize));
        }
    }

    // Frees an address (released) or keeps it taken by nobody (declined); addresses outside the range are ignored.
    private void SetOwnerless(DhcpSubnet subnet, Ipv4Address address, bool taken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        cancellationToken.ThrowIfCancellationRequested();
        if (!subnet.IsInPool(address))
        {
            return;
        }

        lock (_lock)
        {
            var range = RangeOf(subnet);
            long index = address.Value - subnet.PoolStart.Value;
            if (taken)
            {
                range.Set(index);
            }
            else
            {
                range.Clear(index);
            }

            range.Owners.Remove(index);
        }
    }

    private Range RangeOf(DhcpSubnet subnet)
    {
        if (!_ranges.TryGetValue(subnet.Prefix, out var range))
        {
            range = new Range((long)subnet.PoolEnd.Value - subnet.PoolStart.Value + 1);
            foreach (var excluded in subnet.ExcludedAddresses)
            {
                if (excluded >= subnet.PoolStart && excluded <= subnet.PoolEnd)
                {
                    range.Set(excluded.Value - subnet.PoolStart.Value);
                }
            }

            _ranges[subnet.Prefix] = range;
        }

        return range;
    }

    private sealed class Range(long size)
    {
        public long Size { get; } = size;

        public ulong[] Taken { get; } = CreateBitmap(size);

        public Dictionary<long, DhcpClientKey> Owners { get; } = [];

        public long Cursor { get; set; }

        public long Count { get; private set; }

        // The first clear bit in [from, to), or -1; skips whole taken words.
        public long FindFree(long from, long to)
        {
            long index = from;
            while (index < to)
            {
                ulong free = ~Taken[index >> 6] >> (int)(index & 63);
                if (free == 0)
                {
                    index += 64 - (index & 63);
                    continue;
                }

                index += BitOperations.TrailingZeroCount(free);
                return index < to ? index : -1;
            }

            return -1;
        }

        public bool IsSet(long index) => (Taken[index >> 6] & (1UL << (int)(index & 63))) != 0;

        public void Set(long index)
        {
            if (!IsSet(index))
            {
                Taken[index >> 6] |= 1UL << (int)(index & 63);
                Count++;
            }
        }

        public void Clear(long index)
        {
            if (IsSet(index))
            {
                Taken[index >> 6] &= ~(1UL << (int)(index & 63));
                Count--;
            }
        }

        // Bits past the end are set so that the search never returns them.
        private static ulong[] CreateBitmap(long size)
        {
            var bitmap = new ulong[(size + 63) / 64];
            int tail = (int)(size & 63);
            if (tail != 0)
            {
                bitmap[^1] = ulong.MaxValue << tail;
            }

            return bitmap;
        }
    }
}
