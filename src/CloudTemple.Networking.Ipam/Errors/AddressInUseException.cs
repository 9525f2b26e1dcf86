namespace CloudTemple.Networking.Ipam;

/// <summary>An address is held by another owner than the one asking (to allocate it, or to release it).</summary>
public sealed class AddressInUseException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="current">The allocation that holds the address.</param>
    /// <param name="requestedOwner">The owner who asked.</param>
    public AddressInUseException(AddressAllocation current, string requestedOwner)
        : base($"{current?.Address} in subnet {current?.Subnet} is held by '{current?.Owner}', not by '{requestedOwner}'.")
    {
        ArgumentNullException.ThrowIfNull(current);
        Current = current;
        RequestedOwner = requestedOwner;
    }

    /// <summary>The allocation that holds the address.</summary>
    public AddressAllocation Current { get; }

    /// <summary>The address.</summary>
    public Ipv4Address Address => Current.Address;

    /// <summary>The owner who asked.</summary>
    public string RequestedOwner { get; }
}
