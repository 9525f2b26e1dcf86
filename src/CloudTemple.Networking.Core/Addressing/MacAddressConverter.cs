namespace CloudTemple.Networking;

/// <summary>Converts a <see cref="MacAddress"/> from and to text in any of the notations <see cref="MacAddress.Parse(string)"/> reads.</summary>
/// <remarks>Thread-safe (stateless). Attached to the type with <c>[TypeConverter]</c>; a bad value throws <see cref="FormatException"/> naming it and why.</remarks>
internal sealed class MacAddressConverter : TextConverter<MacAddress>
{
    protected override MacAddress Parse(string text) => MacAddress.Parse(text);
}
