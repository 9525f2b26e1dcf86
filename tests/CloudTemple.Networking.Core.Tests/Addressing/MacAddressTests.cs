using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Addressing;

[Properties(Arbitrary = [typeof(Generators)], MaxTest = 300)]
public class MacAddressTests
{
    [Theory]
    [InlineData("02:00:5e:10:00:01")]
    [InlineData("02-00-5E-10-00-01")]
    [InlineData("0200.5e10.0001")]
    [InlineData("02005E100001")]
    public void Usual_notations_parse_to_the_same_address(string text)
    {
        Assert.Equal(0x02005E100001UL, MacAddress.Parse(text).Value);
    }

    [Theory]
    [InlineData("02:00:5e:10:00")]
    [InlineData("02:00-5e:10:00:01")]
    [InlineData("02:00:5e:10:00:0g")]
    [InlineData("0200.5e10:0001")]
    [InlineData("02005e10000")]
    [InlineData("")]
    public void Malformed_text_is_refused(string text)
    {
        Assert.False(MacAddress.TryParse(text, out _));
        Assert.Throws<FormatException>(() => MacAddress.Parse(text));
    }

    [Fact]
    public void Formats_in_each_notation()
    {
        var mac = MacAddress.Parse("02:00:5e:10:00:01");
        Assert.Equal("02:00:5e:10:00:01", mac.ToString());
        Assert.Equal("02-00-5E-10-00-01", mac.ToString("H", null));
        Assert.Equal("0200.5e10.0001", mac.ToString("d", null));
        Assert.Equal("02005e100001", mac.ToString("n", null));
        Assert.Throws<FormatException>(() => mac.ToString("x", null));
    }

    [Fact]
    public void Classification_bits()
    {
        Assert.True(MacAddress.Broadcast.IsBroadcast);
        Assert.True(MacAddress.Broadcast.IsMulticast);
        Assert.True(MacAddress.Parse("01:00:5e:00:00:01").IsMulticast);
        Assert.False(MacAddress.Parse("00:1b:21:3c:4d:5e").IsLocallyAdministered);
        Assert.True(MacAddress.Parse("02:1b:21:3c:4d:5e").IsLocallyAdministered);
    }

    [Property]
    public bool Random_addresses_are_unicast_and_locally_administered(int seed)
    {
        var mac = MacAddress.NewLocallyAdministered(new Random(seed));
        var secure = MacAddress.NewLocallyAdministered();
        return mac.IsUnicast && mac.IsLocallyAdministered && secure.IsUnicast && secure.IsLocallyAdministered;
    }

    [Property]
    public bool Every_notation_round_trips(MacAddress mac) =>
        new[] { "C", "H", "D", "N", "c", "h", "d", "n" }.All(f => MacAddress.Parse(mac.ToString(f, null)) == mac)
        && MacAddress.FromPhysicalAddress(mac.ToPhysicalAddress()) == mac;
}
