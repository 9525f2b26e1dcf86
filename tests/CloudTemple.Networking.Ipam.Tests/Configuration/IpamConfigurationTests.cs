using System.ComponentModel;
using CloudTemple.Networking.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Ipam.Tests.Configuration;

/// <summary>AddIpam(IConfiguration) in a generic host over docs/configuration/ipam.appsettings.json.</summary>
public class IpamConfigurationTests
{
    private const string Example = "ipam.appsettings.json";

    private static HostApplicationBuilder Builder(params (string Key, string? Value)[] overrides)
    {
        var builder = ConfiguredHost.FromExample(Example, overrides);
        builder.Services.AddIpam(builder.Configuration.GetSection("Ipam"));
        return builder;
    }

    [Fact]
    public async Task Every_value_of_appsettings_json_arrives_in_the_options_and_the_service()
    {
        using var host = await ConfiguredHost.StartAsync(Builder());
        var options = host.Services.GetRequiredService<IOptions<IpamOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(5), options.ReuseHold);
        Assert.Same(ReservedAddressPolicy.Aws, options.DefaultReservedAddresses);
        Assert.Equal(4096, options.ChangeFeedCapacity);

        // The service gives new spaces what was configured: AWS reserves .0-.3 and the last address.
        var ipam = host.Services.GetRequiredService<IpamService>();
        await ipam.CreateSpaceAsync("vpc-1", [Ipv4Prefix.Parse("10.0.0.0/16")], default);
        var subnet = await ipam.CarveSubnetAsync(SubnetRequest.Explicit("vpc-1", Ipv4Prefix.Parse("10.0.1.0/24")), default);
        var first = await ipam.AllocateAsync(AddressRequest.NextFree("vpc-1", subnet.Prefix, "vm-1"), default);
        Assert.Equal(Ipv4Address.Parse("10.0.1.4"), first.Address);
    }

    [Theory]
    [InlineData("amazon", "'amazon' is not a reserved-address preset (None, Default, Aws, Azure, Ovn)")]
    [InlineData("", "Ipam:DefaultReservedAddresses")]
    public async Task An_unknown_policy_name_stops_the_host_naming_the_key_and_the_presets(string value, string expected)
    {
        var error = await ConfiguredHost.StartFailsAsync(Builder(("Ipam:DefaultReservedAddresses", value)));

        Assert.Contains("Ipam:DefaultReservedAddresses", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ipam:ChangeFeedCapacity", "0")]
    [InlineData("Ipam:ChangeFeedCapacity", "lots")]
    [InlineData("Ipam:ReuseHold", "-00:00:01")]
    [InlineData("Ipam:ReuseHold", "five minutes")]
    [InlineData("Ipam:ReuseHlod", "00:01:00")]
    public async Task A_bad_value_stops_the_host_naming_its_key(string key, string value)
    {
        var error = await ConfiguredHost.StartFailsAsync(Builder((key, value)));

        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
        Assert.Contains("Ipam", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("DEFAULT")]
    [InlineData("Azure")]
    [InlineData("ovn")]
    public void The_converter_reads_every_preset_in_any_case(string name)
    {
        var converter = TypeDescriptor.GetConverter(typeof(ReservedAddressPolicy));

        var policy = Assert.IsType<ReservedAddressPolicy>(converter.ConvertFromInvariantString(name));

        Assert.Equal(name, policy.Name, ignoreCase: true);
        Assert.Equal(policy.Name, converter.ConvertToInvariantString(policy));
    }

    [Fact]
    public async Task A_reload_of_the_section_reaches_the_options_monitor_and_is_validated()
    {
        using var host = await ConfiguredHost.StartAsync(Builder());
        var monitor = host.Services.GetRequiredService<IOptionsMonitor<IpamOptions>>();
        var configuration = (IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>();

        configuration["Ipam:DefaultReservedAddresses"] = "ovn";
        configuration.Reload();
        Assert.Same(ReservedAddressPolicy.Ovn, monitor.CurrentValue.DefaultReservedAddresses);

        configuration["Ipam:DefaultReservedAddresses"] = "nope";
        // The monitor rebuilds the options on the reload's change callback: the bad value fails there (the host's
        // listeners wrap it in AggregateException) and again on every read, never leaving a default in its place.
        var reload = Assert.ThrowsAny<Exception>(configuration.Reload);
        var error = Assert.IsType<OptionsValidationException>(Innermost(reload));
        Assert.Contains("Ipam:DefaultReservedAddresses", error.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => monitor.CurrentValue);
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    [Fact]
    public void The_ipam_guide_shows_the_example_the_tests_bind() => ConfiguredHost.AssertGuideShows("ipam.md", Example);
}
