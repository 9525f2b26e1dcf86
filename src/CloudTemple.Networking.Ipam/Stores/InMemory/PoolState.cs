namespace CloudTemple.Networking.Ipam;

/// <summary>A pool of a space: its free blocks and counts.</summary>
internal sealed class PoolState
{
    public PoolState(Ipv4Prefix prefix)
    {
        Prefix = prefix;
        Blocks = new BuddyBlocks(prefix);
        Usage = new UsageCounters { Size = prefix.Count };
    }

    public Ipv4Prefix Prefix { get; }

    public BuddyBlocks Blocks { get; }

    public UsageCounters Usage { get; }
}
