using CloudTemple.Networking.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Routing.Tests.Configuration;

/// <summary>AddVpcRouting(IConfiguration) in a generic host over docs/configuration/routing.appsettings.json.</summary>
public class RoutingConfigurationTests
{
    private const string Example = "routing.appsettings.json";

    private static HostApplicationBuilder Builder(params (string Key, string? Value)[] overrides)
    {
        var builder = ConfiguredHost.FromExample(Example, overrides);
        builder.Services.AddVpcRouting(builder.Configuration.GetSection("Routing"));
        return builder;
    }

    [Fact]
    public async Task Every_value_of_appsettings_json_arrives_in_the_options()
    {
        using var host = await ConfiguredHost.StartAsync(Builder());
        var options = host.Services.GetRequiredService<IOptions<VpcRoutingOptions>>().Value;

        Assert.Equal(8192, options.ChangeFeedCapacity);
        Assert.False(options.RequireReachableNextHops);
        Assert.NotNull(host.Services.GetRequiredService<VpcRouting>());
    }

    [Theory]
    [InlineData("Routing:ChangeFeedCapacity", "0")]
    [InlineData("Routing:ChangeFeedCapacity", "2000000")]
    [InlineData("Routing:ChangeFeedCapacity", "many")]
    [InlineData("Routing:RequireReachableNextHops", "maybe")]
    public async Task A_bad_value_stops_the_host_naming_its_key(string key, string value)
    {
        var error = await ConfiguredHost.StartFailsAsync(Builder((key, value)));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_key_stops_the_host()
    {
        var error = await ConfiguredHost.StartFailsAsync(Builder(("Routing:ChangeFeedCapacty", "10")));

        Assert.Contains("'ChangeFeedCapacty'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Routing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_routing_guide_shows_the_example_the_tests_bind() => ConfiguredHost.AssertGuideShows("routing.md", Example);
}
