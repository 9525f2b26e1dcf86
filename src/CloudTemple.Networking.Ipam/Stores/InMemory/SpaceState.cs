namespace CloudTemple.Networking.Ipam;

/// <summary>Everything of one address space; every field is guarded by <see cref="Gate"/>.</summary>
internal sealed class SpaceState(AddressSpace definition)
{
    public Lock Gate { get; } = new();

    public AddressSpace Definition { get; set; } = definition;

    public bool Deleted { get; set; }

    public List<PoolState> Pools { get; } = [];

    public Dictionary<Ipv4Prefix, SubnetState> Subnets { get; } = [];

    /// <summary>Subnets ordered by network: finding an overlap is two O(log n) lookups.</summary>
    public SortedSet<Ipv4Prefix> SubnetOrder { get; } = [];

    /// <summary>How many subnets of each prefix length exist, to find the subnet of an address with few lookups.</summary>
    public int[] SubnetsPerLength { get; } = new int[33];

    /// <summary>Named subnets by name (names are unique within a space).</summary>
    public Dictionary<string, Ipv4Prefix> SubnetNames { get; } = new(StringComparer.Ordinal);

    /// <summary>Subnets carved under a request key, by key.</summary>
    public Dictionary<string, Ipv4Prefix> SubnetKeys { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AddressEntry> OwnerHeads { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string Owner, string Key), AddressEntry> RequestKeys { get; } = [];

    /// <summary>Released addresses in release order; since the hold is the same for the whole space, the oldest expires first.</summary>
    public Queue<HeldAddress> Holds { get; } = new();

    public long LastHoldEnd { get; set; }

    public UsageCounters Usage { get; } = new();

    public Random Random { get; } = new();
}
