namespace CloudTemple.Networking.Ipam;

/// <summary>An address space with the given name exists already.</summary>
public sealed class AddressSpaceExistsException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="space">The name in use.</param>
    public AddressSpaceExistsException(string space)
        : base($"An address space named '{space}' exists already.")
    {
        Space = space;
    }

    /// <summary>The name in use.</summary>
    public string Space { get; }
}
