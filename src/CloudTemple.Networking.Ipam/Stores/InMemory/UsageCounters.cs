namespace CloudTemple.Networking.Ipam;

/// <summary>The running counts of a subnet, pool or space, updated by every operation so that reading them is O(1).</summary>
internal sealed class UsageCounters
{
    public ulong Size;
    public ulong Carved;
    public ulong Reserved;
    public ulong Allocated;
    public ulong Held;

    public IpamUtilization Snapshot() => new(Size, Carved, Reserved, Allocated, Held);
}
