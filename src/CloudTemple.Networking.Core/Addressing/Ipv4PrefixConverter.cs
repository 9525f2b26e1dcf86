namespace CloudTemple.Networking;

/// <summary>Converts an <see cref="Ipv4Prefix"/> from and to its CIDR text (<c>10.0.1.0/24</c>), strictly: host bits set is an error that names the prefix meant.</summary>
/// <remarks>Thread-safe (stateless). Attached to the type with <c>[TypeConverter]</c>; a bad value throws <see cref="FormatException"/> naming it and why.</remarks>
internal sealed class Ipv4PrefixConverter : TextConverter<Ipv4Prefix>
{
    protected override Ipv4Prefix Parse(string text) => Ipv4Prefix.Parse(text);
}
