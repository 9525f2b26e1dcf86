namespace CloudTemple.Networking.Ipam;

/// <summary>An allocation as the in-memory store keeps it: linked into its owner's list, so that releasing is O(1) however many addresses an owner holds.</summary>
internal sealed class AddressEntry(AddressAllocation allocation, SubnetState subnet)
{
    public AddressAllocation Allocation { get; } = allocation;

    public SubnetState Subnet { get; } = subnet;

    public AddressEntry? PreviousOfOwner { get; set; }

    public AddressEntry? NextOfOwner { get; set; }
}
