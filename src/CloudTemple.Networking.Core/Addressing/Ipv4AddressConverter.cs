namespace CloudTemple.Networking;

/// <summary>Converts an <see cref="Ipv4Address"/> from and to its dotted-quad text (<c>10.0.1.1</c>), so that options bind from <c>IConfiguration</c>.</summary>
/// <remarks>Thread-safe (stateless). Attached to the type with <c>[TypeConverter]</c>; a bad value throws <see cref="FormatException"/> naming it and why.</remarks>
internal sealed class Ipv4AddressConverter : TextConverter<Ipv4Address>
{
    protected override Ipv4Address Parse(string text) => Ipv4Address.Parse(text);
}
