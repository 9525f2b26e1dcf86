namespace CloudTemple.Networking.Ipam;

/// <summary>
/// Exact address counts of a subnet, a pool or a whole space. For a subnet, <see cref="Carved"/>
/// equals <see cref="Size"/>; for a pool or a space, uncarved addresses count as free.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
/// <param name="Size">All addresses of the prefix (or of every pool of the space).</param>
/// <param name="Carved">Addresses inside carved subnets.</param>
/// <param name="Reserved">Addresses never allocated: reserved by policy or excluded.</param>
/// <param name="Allocated">Addresses held by an owner.</param>
/// <param name="Held">Released addresses still in their reuse hold.</param>
public readonly record struct IpamUtilization(ulong Size, ulong Carved, ulong Reserved, ulong Allocated, ulong Held)
{
    /// <summary>Addresses not available for allocation now: reserved, allocated or held.</summary>
    public ulong Used => Reserved + Allocated + Held;

    /// <summary><see cref="Size"/> minus <see cref="Used"/>: free addresses, counting uncarved ones.</summary>
    public ulong Free => Size - Used;

    /// <summary>Addresses that can be allocated now inside carved subnets.</summary>
    public ulong Available => Carved - Used;

    /// <summary><see cref="Used"/> as a fraction of <see cref="Size"/>, 0 to 1.</summary>
    public double FillRatio => Size == 0 ? 0 : (double)Used / Size;
}
