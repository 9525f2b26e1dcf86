namespace CloudTemple.Networking.Ipam;

/// <summary>No address space has the given name.</summary>
public sealed class AddressSpaceNotFoundException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="space">The name that was not found.</param>
    public AddressSpaceNotFoundException(string space)
        : base($"No address space is named '{space}'.")
    {
        Space = space;
    }

    /// <summary>The name that was not found.</summary>
    public string Space { get; }
}
