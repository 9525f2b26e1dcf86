using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CloudTemple.Networking.Routing;

/// <summary>
/// A compiled longest-prefix-match table from IPv4 prefixes to values (routes, next hops):
/// a 2^16-entry first level, then compressed 256-slot nodes for bits 8..15 and 0..7 (a 16-8-8
/// multibit trie in the spirit of DIR-24-8, with the memory of a compressed trie).
/// </summary>
/// <typeparam name="TValue">What a prefix maps to; <see langword="null"/> means "no match".</typeparam>
/// <remarks>
/// <para>
/// Lookups allocate nothing, take no lock and cost at most five dependent reads. Any number of
/// threads may look up while one writer at a time (writers serialize on an internal lock)
/// inserts, replaces or removes prefixes.
/// </para>
/// <para>
/// Consistency: nodes are immutable and replaced by copy-on-write with release/acquire ordering,
/// and an entry id is never reused under a running lookup (a version check retries the lookup in
/// that rare case). So every lookup returns the answer of the table either just before or just
/// after each concurrent change, never a mix. A multi-prefix operation (<see cref="SetRange"/>)
/// is seen as a sequence of single-prefix changes.
/// </para>
/// <para>
/// Insert and remove rewrite only the nodes under the prefix (one node of 256 slots for a prefix
/// longer than /16; 2^(16-length) first-level slots plus the nodes beneath them for a shorter one).
/// </para>
/// </remarks>
public sealed class ForwardingTable<TValue>
    where TValue : class
{
    private const int FirstLevelSize = 1 << 16;
    private const uint ChildFlag = FibChunk.ChildFlag;

    // Leaf per /16: entry id + 1 of the longest prefix of length <= 16 covering it (0: none).
    private readonly uint[] _level1 = new uint[FirstLevelSize];

    // Node per /16 when a longer prefix lies inside it; otherwise null and _level1 answers.
    private readonly FibChunk?[] _chunks = new FibChunk?[FirstLevelSize];
    private readonly Lock _gate = new();
    private readonly ChunkBuilderScratch _scratch = new();
    private readonly Stack<int> _freeIds = new();

    // Writer scratch for rewriting one node and its children.
    private readonly uint[] _expanded = new uint[256];
    private readonly uint[]?[] _childBySlot = new uint[]?[256];
    private readonly uint[] _childExpanded = new uint[256];

    // Entries by id: the value is read by lookups, network and length only by the writer.
    private TValue?[] _values = new TValue?[16];
    private uint[] _networks = new uint[16];
    private byte[] _lengths = new byte[16];
    private int _usedIds;

    // Open-addressing index from (network, length) to id + 1; linear probing, backward-shift delete.
    private int[] _index = new int[32];

    // Incremented when an id is freed: a lookup that raced with it retries.
    private int _version;
    private int _count;
    private long _chunkBytes;
    private int _chunkCount;

    /// <summary>The number of prefixes in the table.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The number of second-level nodes (one per /16 that holds a longer prefix).</summary>
    public int NodeCount => Volatile.Read(ref _chunkCount);

    /// <summary>
    /// The managed memory held by the table, in bytes: both levels, every node, the entry arrays
    /// and the prefix index (the values themselves are not counted).
    /// </summary>
    public long MemoryBytes
    {
        get
        {
            lock (_gate)
            {
                long arrays = (4L * FirstLevelSize) + (8L * FirstLevelSize) + (3 * 24);
                long entries = (long)_values.Length * (8 + 4 + 1) + (3 * 24);
                long index = (4L * _index.Length) + 24 + (4L * _freeIds.Count);
                return arrays + entries + index + _chunkBytes;
            }
        }
    }

    /// <summary>The average memory per prefix, in bytes (<see cref="MemoryBytes"/> / <see cref="Count"/>).</summary>
    public double BytesPerPrefix => Count == 0 ? 0 : (double)MemoryBytes / Count;

    /// <summary>The value of the longest prefix that contains <paramref name="address"/>.</summary>
    /// <param name="address">The destination address.</param>
    /// <returns>The value, or <see langword="null"/> when no prefix matches.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TValue? Lookup(Ipv4Address address) => Lookup(address.Value);

    /// <summary>The value of the longest prefix that contains the host-order <paramref name="address"/>.</summary>
    /// <param name="address">The destination address as a host-order value.</param>
    /// <returns>The value, or <see langword="null"/> when no prefix matches.</returns>
    public TValue? Lookup(uint address)
    {
        while (true)
        {
            int version = Volatile.Read(ref _version);
            uint leaf = FindLeaf(address);
            if (leaf == 0)
            {
                return null;
            }

            TValue? value = Volatile.Read(ref Volatile.Read(ref _values)[leaf - 1]);
            if (Volatile.Read(ref _version) == version)
            {
                return value;
            }
        }
    }

    /// <summary>Finds the leaf (entry id + 1, or 0) for an address: at most four dependent reads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint FindLeaf(uint address)
    {
        nint high = (nint)(address >> 16);
        FibChunk? chunk = Volatile.Read(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_chunks), high));
        if (chunk is null)
        {
            return Volatile.Read(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_level1), high));
        }

        uint value = chunk.Get((address >> 8) & 0xFF);
        if ((value & ChildFlag) == 0)
        {
            return value;
        }

        return FibLeafNode.Get(chunk.Children![(int)(value & ~ChildFlag)], address & 0xFF);
    }

    /// <summary>The value stored for exactly <paramref name="prefix"/>.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="value">The value when found.</param>
    /// <returns>Whether the prefix is in the table.</returns>
    public bool TryGetValue(Ipv4Prefix prefix, [NotNullWhen(true)] out TValue? value)
    {
        lock (_gate)
        {
            int id = FindId(prefix.Network.Value, prefix.Length);
            value = id < 0 ? null : _values[id];
            return value is not null;
        }
    }

    /// <summary>Inserts <paramref name="prefix"/> or replaces its value.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="value">Its value.</param>
    /// <returns><see langword="true"/> when the prefix was added, <see langword="false"/> when its value was replaced.</returns>
    public bool Set(Ipv4Prefix prefix, TValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            return SetCore(prefix, value);
        }
    }

    /// <summary>
    /// Inserts or replaces many prefixes. On an empty table the nodes are built once, bottom-up
    /// (the fast way to load a full table); otherwise this is a sequence of <see cref="Set"/> calls.
    /// </summary>
    /// <param name="entries">The prefixes and their values; a later duplicate replaces an earlier one.</param>
    public void SetRange(IEnumerable<KeyValuePair<Ipv4Prefix, TValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            if (_count == 0)
            {
                BulkLoad(entries);
                return;
            }

            foreach (var entry in entries)
            {
                ArgumentNullException.ThrowIfNull(entry.Value, nameof(entries));
                SetCore(entry.Key, entry.Value);
            }
        }
    }

    /// <summary>Removes <paramref name="prefix"/>; addresses under it fall back to the next shorter prefix.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <returns>Whether the prefix was in the table.</returns>
    public bool Remove(Ipv4Prefix prefix)
    {
        lock (_gate)
        {
            uint network = prefix.Network.Value;
            int length = prefix.Length;
            int id = FindId(network, length);
            if (id < 0)
            {
                return false;
            }

            uint leaf = (uint)id + 1;
            Rewrite(network, length, new Change(leaf, length, Insert: false, Cover: FindCover(network, length)));
            IndexRemove(id);

            // Bump before clearing: a lookup that read this id from an older node sees the new
            // version and retries instead of returning null or a later reuse's value.
            Interlocked.Increment(ref _version);
            Volatile.Write(ref _values[id], null);
            _freeIds.Push(id);
            Volatile.Write(ref _count, _count - 1);
            return true;
        }
    }

    private bool SetCore(Ipv4Prefix prefix, TValue value)
    {
        uint network = prefix.Network.Value;
        int length = prefix.Length;
        int existing = FindId(network, length);
        if (existing >= 0)
        {
            Volatile.Write(ref _values[existing], value);
            return false;
        }

        int id = AllocateId(network, length, value);
        Rewrite(network, length, new Change((uint)id + 1, length, Insert: true, Cover: 0));
        Volatile.Write(ref _count, _count + 1);
        return true;
    }

    /// <summary>What one insert or remove does to a slot value.</summary>
    private readonly record struct Change(uint Leaf, int Length, bool Insert, uint Cover);

    private int DepthOf(uint leaf) => leaf == 0 ? -1 : _lengths[leaf - 1];

    private uint Apply(uint current, in Change change) => change.Insert
        ? (DepthOf(current) <= change.Length ? change.Leaf : current) // the new prefix is longer than what covered the slot
        : (current == change.Leaf ? change.Cover : current);          // the removed prefix falls back to its cover

    private void Rewrite(uint network, int length, in Change change)
    {
        uint high = network >> 16;
        if (length <= 16)
        {
            uint end = high + (1u << (16 - length));
            for (uint h = high; h < end; h++)
            {
                uint old = _level1[h];
                uint updated = Apply(old, change);
                if (updated != old)
                {
                    Volatile.Write(ref _level1[h], updated);
                }

                if (_chunks[h] is not null)
                {
                    RewriteNode(h, 0, 256, 0, 256, change);
                }
            }

            return;
        }

        int slot = (int)((network >> 8) & 0xFF);
        if (length <= 24)
        {
            RewriteNode(high, slot, slot + (1 << (24 - length)), 0, 256, change);
        }
        else
        {
            int childSlot = (int)(network & 0xFF);
            RewriteNode(high, slot, slot + 1, childSlot, childSlot + (1 << (32 - length)), change);
        }
    }

    /// <summary>Rewrites slots [from, to) of the node for /16 <paramref name="high"/> and publishes a new node.</summary>
    private void RewriteNode(uint high, int from, int to, int childFrom, int childTo, in Change change)
    {
        FibChunk? old = _chunks[high];
        ExpandNode(old, _level1[high]);
        bool deep = change.Length > 24;
        for (int slot = from; slot < to; slot++)
        {
            uint[]? child = _childBySlot[slot];
            if (child is null && !deep)
            {
                _expanded[slot] = Apply(_expanded[slot], change);
                continue;
            }

            if (child is null && !change.Insert)
            {
                continue; // nothing longer than /24 here, so nothing to remove
            }

            if (child is null)
            {
                _childExpanded.AsSpan().Fill(_expanded[slot]);
            }
            else
            {
                FibLeafNode.Expand(child, _childExpanded);
            }

            for (int i = childFrom; i < childTo; i++)
            {
                _childExpanded[i] = Apply(_childExpanded[i], change);
            }

            if (IsUniform(_childExpanded))
            {
                _childBySlot[slot] = null;
                _expanded[slot] = _childExpanded[0];
            }
            else
            {
                _childBySlot[slot] = FibLeafNode.Build(_childExpanded);
            }
        }

        Publish(high, old, BuildNode());
    }

    private void ExpandNode(FibChunk? node, uint firstLevelLeaf)
    {
        Array.Clear(_childBySlot);
        if (node is null)
        {
            _expanded.AsSpan().Fill(firstLevelLeaf);
            return;
        }

        node.Expand(_expanded);
        for (int slot = 0; slot < 256; slot++)
        {
            uint value = _expanded[slot];
            if ((value & ChildFlag) != 0)
            {
                _childBySlot[slot] = node.Children![(int)(value & ~ChildFlag)];
            }
        }
    }

    /// <summary>Builds the node from the scratch, or returns null when the /16 is uniform (the first level then answers).</summary>
    private FibChunk? BuildNode()
    {
        int childCount = 0;
        foreach (var child in _childBySlot)
        {
            childCount += child is null ? 0 : 1;
        }

        if (childCount == 0 && IsUniform(_expanded))
        {
            // A uniform /16 holds its best prefix of length <= 16, which _level1 already has.
            return null;
        }

        uint[][]? children = childCount == 0 ? null : new uint[childCount][];
        int next = 0;
        for (int slot = 0; slot < 256; slot++)
        {
            if (_childBySlot[slot] is { } child)
            {
                children![next] = child;
                _expanded[slot] = ChildFlag | (uint)next++;
            }
        }

        return FibChunk.Build(_expanded, children, _scratch);
    }

    private void Publish(uint high, FibChunk? old, FibChunk? node)
    {
        // Release: the node's contents are visible before the reference.
        Volatile.Write(ref _chunks[high], node);
        _chunkBytes += (node?.Bytes ?? 0) - (old?.Bytes ?? 0);
        _chunkCount += (node is null ? 0 : 1) - (old is null ? 0 : 1);
    }

    private static bool IsUniform(ReadOnlySpan<uint> values) => values.Count(values[0]) == values.Length;

    private void BulkLoad(IEnumerable<KeyValuePair<Ipv4Prefix, TValue>> entries)
    {
        var shortIds = new List<int>();
        var longKeys = new List<ulong>();
        var longIds = new List<int>();
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry.Value, nameof(entries));
            uint network = entry.Key.Network.Value;
            int length = entry.Key.Length;
            int existing = FindId(network, length);
            if (existing >= 0)
            {
                Volatile.Write(ref _values[existing], entry.Value);
                continue;
            }

            int id = AllocateId(network, length, entry.Value);
            _count++;
            if (length <= 16)
            {
                shortIds.Add(id);
            }
            else
            {
                // Sorted by /16, then length (shorter first, so that longer prefixes paint over them).
                longKeys.Add(((ulong)(network >> 16) << 40) | ((ulong)length << 32) | network);
                longIds.Add(id);
            }
        }

        shortIds.Sort((a, b) => _lengths[a].CompareTo(_lengths[b]));
        foreach (int id in shortIds)
        {
            uint high = _networks[id] >> 16;
            uint end = high + (1u << (16 - _lengths[id]));
            for (uint h = high; h < end; h++)
            {
                Volatile.Write(ref _level1[h], (uint)id + 1);
            }
        }

        ulong[] keys = [.. longKeys];
        int[] ids = [.. longIds];
        Array.Sort(keys, ids);
        var childValues = new uint[]?[256];
        int start = 0;
        while (start < ids.Length)
        {
            uint high = (uint)(keys[start] >> 40);
            int end = start;
            while (end < ids.Length && (uint)(keys[end] >> 40) == high)
            {
                end++;
            }

            _expanded.AsSpan().Fill(_level1[high]);
            Array.Clear(_childBySlot);
            for (int i = start; i < end; i++)
            {
                int id = ids[i];
                uint leaf = (uint)id + 1;
                uint network = _networks[id];
                int length = _lengths[id];
                int slot = (int)((network >> 8) & 0xFF);
                if (length <= 24)
                {
                    _expanded.AsSpan(slot, 1 << (24 - length)).Fill(leaf);
                    continue;
                }

                var child = childValues[slot];
                if (child is null)
                {
                    // Prefixes up to /24 were painted first, so the slot still holds the leaf to start from.
                    child = new uint[256];
                    child.AsSpan().Fill(_expanded[slot]);
                    childValues[slot] = child;
                }

                child.AsSpan((int)(network & 0xFF), 1 << (32 - length)).Fill(leaf);
                _expanded[slot] = ChildFlag; // remembered as "has a child" until the node is built
            }

            for (int slot = 0; slot < 256; slot++)
            {
                if (childValues[slot] is { } child)
                {
                    _childBySlot[slot] = FibLeafNode.Build(child);
                    childValues[slot] = null;
                }
            }

            Publish(high, null, BuildNode());
            start = end;
        }
    }

    private int AllocateId(uint network, int length, TValue value)
    {
        int id;
        if (_freeIds.Count > 0)
        {
            id = _freeIds.Pop();
        }
        else
        {
            if (_usedIds == _values.Length)
            {
                Grow();
            }

            if (_usedIds >= FibLeafNode.MaxLeaf)
            {
                throw new InvalidOperationException($"A forwarding table holds at most {FibLeafNode.MaxLeaf - 1} prefixes.");
            }

            id = _usedIds++;
        }

        _networks[id] = network;
        _lengths[id] = (byte)length;
        Volatile.Write(ref _values[id], value);
        IndexInsert(id);
        return id;
    }

    private void Grow()
    {
        int capacity = _values.Length * 2;
        Array.Resize(ref _networks, capacity);
        Array.Resize(ref _lengths, capacity);
        var values = new TValue?[capacity];
        Array.Copy(_values, values, _values.Length);
        Volatile.Write(ref _values, values);
    }

    /// <summary>The leaf of the longest prefix strictly shorter than the given one that contains it (0: none).</summary>
    private uint FindCover(uint network, int length)
    {
        for (int shorter = length - 1; shorter >= 0; shorter--)
        {
            int id = FindId(network & Ipv4Prefix.MaskOf(shorter), shorter);
            if (id >= 0)
            {
                return (uint)id + 1;
            }
        }

        return 0;
    }

    private static int Hash(uint network, int length) =>
        (int)(((((ulong)network << 6) | (uint)length) * 0x9E3779B97F4A7C15UL) >> 33);

    private int FindId(uint network, int length)
    {
        int mask = _index.Length - 1;
        for (int h = Hash(network, length) & mask; ; h = (h + 1) & mask)
        {
            int stored = _index[h];
            if (stored == 0)
            {
                return -1;
            }

            int id = stored - 1;
            if (_networks[id] == network && _lengths[id] == length)
            {
                return id;
            }
        }
    }

    private void IndexInsert(int id)
    {
        if ((_count + 1) * 2 > _index.Length)
        {
            var old = _index;
            _index = new int[old.Length * 2];
            foreach (int stored in old)
            {
                if (stored != 0)
                {
                    Place(stored - 1);
                }
            }
        }

        Place(id);

        void Place(int entry)
        {
            int mask = _index.Length - 1;
            int h = Hash(_networks[entry], _lengths[entry]) & mask;
            while (_index[h] != 0)
            {
                h = (h + 1) & mask;
            }

            _index[h] = entry + 1;
        }
    }

    private void IndexRemove(int id)
    {
        int mask = _index.Length - 1;
        int hole = Hash(_networks[id], _lengths[id]) & mask;
        while (_index[hole] != id + 1)
        {
            hole = (hole + 1) & mask;
        }

        // Backward-shift deletion keeps every probe chain unbroken without tombstones.
        for (int next = (hole + 1) & mask; _index[next] != 0; next = (next + 1) & mask)
        {
            int entry = _index[next] - 1;
            int home = Hash(_networks[entry], _lengths[entry]) & mask;
            bool stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
            if (!stays)
            {
                _index[hole] = _index[next];
                hole = next;
            }
        }

        _index[hole] = 0;
    }
}
