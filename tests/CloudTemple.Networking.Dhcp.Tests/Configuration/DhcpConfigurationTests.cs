using CloudTemple.Networking.Dhcp.Protocol;
using CloudTemple.Networking.Dhcp.Tests.Leases;
using CloudTemple.Networking.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Dhcp.Tests.Configuration;

/// <summary>
/// AddDhcpServer(IConfiguration) in a generic host over docs/configuration/dhcp.appsettings.json: every value arrives,
/// and a value that is wrong stops the host at start with a message naming its key.
/// </summary>
public class DhcpConfigurationTests
{
    private const string Example = "dhcp.appsettings.json";

    // The example binds eth1, which a test machine does not have: the hosts here run the lease engine and leave the
    // socket out (DhcpServerTests and the health-check tests below bind one on lo).
    private static HostApplicationBuilder Builder(params (string Key, string? Value)[] overrides)
    {
        var builder = ConfiguredHost.FromExample(Example, overrides);
        builder.Services.AddDhcpServer(builder.Configuration.GetSection("Dhcp"));
        builder.Services.RemoveAll<IHostedService>();
        return builder;
    }

    [Fact]
    public async Task Every_value_of_appsettings_json_arrives_in_the_options()
    {
        using var host = await ConfiguredHost.StartAsync(Builder());
        var options = host.Services.GetRequiredService<IOptions<DhcpServerOptions>>().Value;

        Assert.Equal("eth1", options.InterfaceName);
        Assert.Equal(Ipv4Address.Parse("10.0.1.2"), options.InterfaceAddress);
        Assert.Equal(DhcpClientIdentification.HardwareAddress, options.ClientIdentification);
        Assert.Equal(TimeSpan.FromSeconds(45), options.OfferHoldTime);
        Assert.Equal(TimeSpan.FromHours(12), options.DeclineProbation);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ReclaimInterval);
        Assert.Equal(67, options.ServerPort);
        Assert.Equal(68, options.ClientPort);
        Assert.Equal(8388608, options.ReceiveBufferSize);
        Assert.Equal(32, options.ReceiveConcurrency);
        Assert.Equal(2, options.Subnets.Count);

        var web = options.Subnets[0];
        Assert.Equal(Ipv4Prefix.Parse("10.0.1.0/24"), web.Prefix);
        Assert.Equal(Ipv4Address.Parse("10.0.1.100"), web.PoolStart);
        Assert.Equal(Ipv4Address.Parse("10.0.1.199"), web.PoolEnd);
        Assert.Equal(Ipv4Address.Parse("10.0.1.2"), web.ServerIdentifier);
        Assert.Equal(new[] { Ipv4Address.Parse("10.0.1.1") }, web.Routers);
        Assert.Equal(new[] { Ipv4Address.Parse("10.0.1.2"), Ipv4Address.Parse("1.1.1.1") }, web.DnsServers);
        Assert.Equal(new[] { Ipv4Address.Parse("10.0.1.3") }, web.NtpServers);
        Assert.Equal("web.vpc.internal", web.DomainName);
        Assert.Equal(new[] { "web.vpc.internal", "vpc.internal" }, web.DomainSearch);
        Assert.Equal(1450, web.Mtu);
        Assert.False(web.SendBroadcastAddress);
        Assert.Equal(new[] { new ClasslessStaticRoute(Ipv4Prefix.Parse("192.168.0.0/16"), Ipv4Address.Parse("10.0.1.254")) }, web.StaticRoutes);
        Assert.Equal(2, web.Reservations.Count);
        Assert.Equal(MacAddress.Parse("02:00:5e:10:00:01"), web.Reservations[0].HardwareAddress);
        Assert.Null(web.Reservations[0].ClientIdentifier);
        Assert.Equal(Ipv4Address.Parse("10.0.1.10"), web.Reservations[0].Address);
        Assert.Equal("web-1", web.Reservations[0].HostName);
        Assert.Null(web.Reservations[1].HardwareAddress);
        Assert.Equal(new byte[] { 1, 2, 0, 94, 16, 0, 2 }, web.Reservations[1].ClientIdentifier);
        Assert.Equal(Ipv4Address.Parse("10.0.1.11"), web.Reservations[1].Address);
        Assert.Equal("web-2", web.Reservations[1].HostName);
        Assert.Equal(TimeSpan.FromHours(2), web.LeaseTime);
        Assert.Equal(TimeSpan.FromHours(1), web.RenewalTime);
        Assert.Equal(TimeSpan.FromMinutes(105), web.RebindingTime);

        var db = options.Subnets[1];
        Assert.Equal(Ipv4Prefix.Parse("10.0.2.0/24"), db.Prefix);
        Assert.Null(db.PoolStart);
        Assert.Null(db.PoolEnd);
        Assert.Equal(new[] { Ipv4Address.Parse("10.0.2.1") }, db.Routers);
        Assert.Equal(new[] { Ipv4Address.Parse("10.0.2.2") }, db.DnsServers);
        Assert.Equal(1450, db.Mtu);
        Assert.True(db.SendBroadcastAddress);
        Assert.Empty(db.Reservations);
        Assert.Equal(TimeSpan.FromHours(1), db.LeaseTime);
    }

    [Fact]
    public async Task A_server_configured_from_appsettings_json_offers_its_pool_and_options_not_0_0_0_1()
    {
        // The regression a new user hit: subnets bound from JSON became 0.0.0.0/0 and the server offered 0.0.0.1.
        using var host = await ConfiguredHost.StartAsync(Builder());
        var engine = host.Services.GetRequiredService<DhcpLeaseEngine>();
        var discover = EngineHarness.Message(DhcpMessageType.Discover, MacAddress.Parse("02:00:5e:10:00:99"), parameterRequestList: [1, 3, 6, 26, 121]);
        var reply = new byte[1500];

        var result = await engine.ProcessAsync(discover, reply, new DhcpRequestContext(Ipv4Address.Parse("10.0.1.2")), default);

        Assert.True(result.HasReply);
        Assert.True(DhcpMessageReader.TryParse(reply.AsSpan(0, result.Length), out var offer, out var error), error.ToString());
        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);
        Assert.NotEqual(Ipv4Address.Parse("0.0.0.1"), offer.YourAddress);
        Assert.InRange(offer.YourAddress, Ipv4Address.Parse("10.0.1.100"), Ipv4Address.Parse("10.0.1.199"));
        var options = new Dictionary<DhcpOptionCode, byte[]>();
        foreach (var option in offer.Options)
        {
            options[option.Code] = option.Value.ToArray();
        }

        Assert.Equal(new byte[] { 255, 255, 255, 0 }, options[DhcpOptionCode.SubnetMask]);
        Assert.Equal(new byte[] { 10, 0, 1, 2, 1, 1, 1, 1 }, options[DhcpOptionCode.DomainNameServer]);
        Assert.Equal(new byte[] { 0x05, 0xAA }, options[DhcpOptionCode.InterfaceMtu]);
        Assert.True(ClasslessStaticRoute.TryDecode(options[DhcpOptionCode.ClasslessStaticRoute], out var routes));
        Assert.Contains(new ClasslessStaticRoute(Ipv4Prefix.Parse("192.168.0.0/16"), Ipv4Address.Parse("10.0.1.254")), routes);
    }

    [Fact]
    public async Task A_subnet_left_unset_stops_the_host_naming_its_key()
    {
        var builder = ConfiguredHost.FromJson("""{ "Dhcp": { "InterfaceName": "eth1", "Subnets": [ { "PoolStart": "10.0.1.100" } ] } }""");
        builder.Services.AddDhcpServer(builder.Configuration.GetSection("Dhcp"));

        var error = await ConfiguredHost.StartFailsAsync(builder);

        Assert.Contains("Dhcp:Subnets:0:Prefix", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0/0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_0_0_0_0_slash_0_subnet_stops_the_host_naming_its_key()
    {
        var error = await ConfiguredHost.StartFailsAsync(Builder(("Dhcp:Subnets:1:Prefix", "0.0.0.0/0")));

        Assert.Contains("Dhcp:Subnets:1:Prefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prefix_with_host_bits_set_stops_the_host_naming_the_key_and_the_prefix_meant()
    {
        var error = await ConfiguredHost.StartFailsAsync(Builder(("Dhcp:Subnets:0:Prefix", "10.0.1.5/24")));

        Assert.Contains("Dhcp:Subnets:0:Prefix", error.Message, StringComparison.Ordinal);
        Assert.Contains("'10.0.1.5/24' has host bits set; did you mean 10.0.1.0/24?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_key_stops_the_host_instead_of_being_ignored()
    {
        var builder = ConfiguredHost.FromJson("""{ "Dhcp": { "InterfaceName": "eth1", "Subnets": [ { "Subnet": "10.0.1.0/24" } ] } }""");
        builder.Services.AddDhcpServer(builder.Configuration.GetSection("Dhcp"));

        var error = await ConfiguredHost.StartFailsAsync(builder);

        Assert.Contains("Dhcp", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Subnet'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dhcp:Subnets:0:Mtu", "20", "Dhcp:Subnets:0:Mtu")]
    [InlineData("Dhcp:Subnets:0:Reservations:0:HardwareAddress", "02:00:5e:10:00", "Dhcp:Subnets:0:Reservations:0:HardwareAddress")]
    [InlineData("Dhcp:Subnets:0:Routers:0", "10.0.1.256", "Dhcp:Subnets:0:Routers:0")]
    [InlineData("Dhcp:Subnets:0:Routers:0", "10.0.9.1", "Dhcp:Subnets:0:Routers:0")]
    [InlineData("Dhcp:Subnets:0:PoolEnd", "10.0.2.10", "Dhcp:Subnets:0:PoolStart/PoolEnd")]
    [InlineData("Dhcp:Subnets:0:LeaseTime", "forever", "Dhcp:Subnets:0:LeaseTime")]
    [InlineData("Dhcp:Subnets:0:DomainName", "web vpc", "Dhcp:Subnets:0:DomainName")]
    [InlineData("Dhcp:Subnets:1:Prefix", "10.0.1.0/25", "Dhcp:Subnets:1:Prefix")]
    [InlineData("Dhcp:OfferHoldTime", "00:00:00", "Dhcp:OfferHoldTime")]
    [InlineData("Dhcp:ServerPort", "70000", "Dhcp:ServerPort")]
    [InlineData("Dhcp:ClientIdentification", "Mac", "Dhcp:ClientIdentification")]
    [InlineData("Dhcp:InterfaceName", "", "Dhcp:InterfaceName")]
    public async Task A_bad_value_stops_the_host_naming_its_key(string key, string value, string named)
    {
        var error = await ConfiguredHost.StartFailsAsync(Builder((key, value)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dhcp_guide_shows_the_example_the_tests_bind() => ConfiguredHost.AssertGuideShows("dhcp.md", Example);
}
