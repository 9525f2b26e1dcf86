using System.ComponentModel;

namespace CloudTemple.Networking.Core.Tests.Addressing;

/// <summary>The converters that let IConfiguration bind addresses, prefixes and MAC addresses from text.</summary>
public class TypeConverterTests
{
    [Theory]
    [InlineData(typeof(Ipv4Address), "10.0.1.1")]
    [InlineData(typeof(Ipv4Prefix), "10.0.1.0/24")]
    [InlineData(typeof(MacAddress), "02:00:5e:10:00:01")]
    public void Text_converts_to_the_value_and_back(Type type, string text)
    {
        var converter = TypeDescriptor.GetConverter(type);

        Assert.True(converter.CanConvertFrom(typeof(string)));
        object? value = converter.ConvertFromInvariantString(text);

        Assert.IsType(type, value);
        Assert.Equal(text, converter.ConvertToInvariantString(value));
    }

    [Fact]
    public void The_converters_give_the_parsed_values()
    {
        Assert.Equal(Ipv4Address.Parse("192.0.2.7"), TypeDescriptor.GetConverter(typeof(Ipv4Address)).ConvertFromInvariantString(" 192.0.2.7 "));
        Assert.Equal(Ipv4Prefix.Parse("0.0.0.0/0"), TypeDescriptor.GetConverter(typeof(Ipv4Prefix)).ConvertFromInvariantString("0.0.0.0/0"));
        Assert.Equal(MacAddress.Parse("02:00:5e:10:00:01"), TypeDescriptor.GetConverter(typeof(MacAddress)).ConvertFromInvariantString("0200.5e10.0001"));
    }

    [Theory]
    [InlineData(typeof(Ipv4Prefix), "10.0.1.5/24", "'10.0.1.5/24' has host bits set; did you mean 10.0.1.0/24?")]
    [InlineData(typeof(Ipv4Prefix), "10.0.1.0", "'10.0.1.0' is not an IPv4 prefix")]
    [InlineData(typeof(Ipv4Address), "10.0.1.256", "'10.0.1.256' is not an IPv4 address")]
    [InlineData(typeof(MacAddress), "02:00:5e:10:00", "'02:00:5e:10:00' is not a MAC address")]
    public void A_bad_value_throws_a_format_exception_naming_it_and_why(Type type, string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
