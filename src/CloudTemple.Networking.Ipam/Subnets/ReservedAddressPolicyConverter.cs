using System.ComponentModel;
using System.Globalization;

namespace CloudTemple.Networking.Ipam;

// Reads a preset name (None, Default, Aws, Azure, Ovn; any case), so that IpamOptions binds from IConfiguration.
// An unknown name is a FormatException that names it and lists the presets. Thread-safe (stateless).
internal sealed class ReservedAddressPolicyConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType) =>
        destinationType == typeof(string) || base.CanConvertTo(context, destinationType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is not string text)
        {
            return base.ConvertFrom(context, culture, value);
        }

        return ReservedAddressPolicy.TryFromName(text.Trim(), out var policy)
            ? policy
            : throw new FormatException(ReservedAddressPolicy.UnknownName(text));
    }

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is ReservedAddressPolicy policy ? policy.Name : base.ConvertTo(context, culture, value, destinationType);
}
