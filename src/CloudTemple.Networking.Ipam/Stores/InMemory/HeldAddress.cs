namespace CloudTemple.Networking.Ipam;

/// <summary>A released address waiting for its reuse hold to end (UTC ticks).</summary>
internal readonly record struct HeldAddress(SubnetState Subnet, uint Address, long ReusableAt);
