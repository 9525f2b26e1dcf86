namespace CloudTemple.Networking.Ipam;

/// <summary>A pool or subnet would overlap one that exists in the same address space.</summary>
public sealed class PrefixOverlapException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="space">The address space.</param>
    /// <param name="requested">The CIDR that was asked for.</param>
    /// <param name="existing">The pool or subnet it overlaps.</param>
    /// <param name="existingKind">"pool" or "subnet".</param>
    public PrefixOverlapException(string space, Ipv4Prefix requested, Ipv4Prefix existing, string existingKind)
        : base($"{requested} overlaps {existingKind} {existing} in address space '{space}'.")
    {
        Space = space;
        Requested = requested;
        Existing = existing;
        ExistingKind = existingKind;
    }

    /// <summary>The address space.</summary>
    public string Space { get; }

    /// <summary>The CIDR that was asked for.</summary>
    public Ipv4Prefix Requested { get; }

    /// <summary>The pool or subnet it overlaps.</summary>
    public Ipv4Prefix Existing { get; }

    /// <summary>"pool" or "subnet".</summary>
    public string ExistingKind { get; }
}
