using System.ComponentModel;
using System.Globalization;

namespace CloudTemple.Networking;

/// <summary>
/// The shared body of the converters that let <c>IConfiguration</c> binding, property grids and XAML read an
/// address type from its text form; parse errors keep the type's own message (the bad value and why).
/// </summary>
/// <typeparam name="T">The type converted.</typeparam>
internal abstract class TextConverter<T> : TypeConverter
    where T : struct
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType) =>
        destinationType == typeof(string) || base.CanConvertTo(context, destinationType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? Parse(text.Trim()) : base.ConvertFrom(context, culture, value);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is T typed ? typed.ToString() : base.ConvertTo(context, culture, value, destinationType);

    // Parses the text, throwing <see cref="FormatException"/> with a message that names the text.
    protected abstract T Parse(string text);
}
