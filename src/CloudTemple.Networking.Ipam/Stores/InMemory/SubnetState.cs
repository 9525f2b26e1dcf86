namespace CloudTemple.Networking.Ipam;

/// <summary>A carved subnet: a free-address bitmap, its allocations, its held addresses and counts.</summary>
internal sealed class SubnetState
{
    public SubnetState(Subnet definition, PoolState pool)
    {
        Definition = definition;
        Pool = pool;
        Free = new AddressBitmap((int)definition.Prefix.Count);
        Free.SetAllFree();
        Usage = new UsageCounters { Size = definition.Prefix.Count, Carved = definition.Prefix.Count };
    }

    public Subnet Definition { get; }

    public Ipv4Prefix Prefix => Definition.Prefix;

    public uint Network => Definition.Prefix.Network.Value;

    public PoolState Pool { get; }

    /// <summary>1 = can be handed out now (not reserved, excluded, allocated or held).</summary>
    public AddressBitmap Free { get; }

    /// <summary>Where the next next-free search starts: just after the last address it handed out.</summary>
    public int Cursor { get; set; }

    public Dictionary<uint, AddressEntry> Allocations { get; } = [];

    /// <summary>Released addresses in their reuse hold, with the time (UTC ticks) they become free again.</summary>
    public Dictionary<uint, long> HeldUntil { get; } = [];

    public UsageCounters Usage { get; }

    public bool Removed { get; set; }
}
