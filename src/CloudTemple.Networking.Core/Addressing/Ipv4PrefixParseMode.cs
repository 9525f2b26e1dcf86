namespace CloudTemple.Networking;

/// <summary>How <see cref="Ipv4Prefix.Parse(string, Ipv4PrefixParseMode)"/> treats host bits set after the prefix length.</summary>
public enum Ipv4PrefixParseMode
{
    /// <summary>Host bits set is an error (<c>10.0.0.1/24</c> is refused): the usual cause is a typo.</summary>
    Strict = 0,

    /// <summary>Host bits are cleared (<c>10.0.0.1/24</c> becomes <c>10.0.0.0/24</c>), as <c>ip route</c> does.</summary>
    NormalizeHostBits = 1,
}
