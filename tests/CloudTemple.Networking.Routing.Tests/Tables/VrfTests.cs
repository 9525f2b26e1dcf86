using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Routing.Tests.Tables;

public class VrfTests
{
    [Fact]
    public void A_private_network_uses_its_attached_table_or_else_the_main_table()
    {
        var vrf = new Vrf("vpc-1");
        var isolated = vrf.CreateTable("isolated");
        vrf.Attach("db", "isolated");
        Assert.Same(isolated, vrf.TableFor("db"));
        Assert.Same(vrf.MainTable, vrf.TableFor("web"));
        Assert.Throws<InvalidOperationException>(() => vrf.RemoveTable("isolated"));
        Assert.True(vrf.Detach("db"));
        Assert.True(vrf.RemoveTable("isolated"));
        Assert.Throws<KeyNotFoundException>(() => vrf.Attach("db", "isolated"));
        Assert.Throws<ArgumentException>(() => vrf.CreateTable(Vrf.MainTableName));
    }

    [Fact]
    public void Different_vpcs_may_hold_the_same_prefix_with_different_routes()
    {
        var routing = new VpcRouting();
        var prefix = Ipv4Prefix.Parse("10.0.0.0/16");
        routing.GetOrCreate("a").MainTable.Add(Route.Connected(prefix, "a-net"));
        routing.GetOrCreate("b").MainTable.Add(Route.Blackhole(prefix));
        Assert.Equal(RouteKind.Connected, routing.GetOrCreate("a").MainTable.Lookup(Ipv4Address.Parse("10.0.0.1"))!.Kind);
        Assert.Equal(RouteKind.Blackhole, routing.GetOrCreate("b").MainTable.Lookup(Ipv4Address.Parse("10.0.0.1"))!.Kind);
        Assert.Equal(["a", "b"], routing.VpcIds);
    }

    [Fact]
    public void AddVpcRouting_registers_one_registry_and_validates_options_at_start()
    {
        var services = new ServiceCollection();
        var builder = services.AddVpcRouting(o => o.ChangeFeedCapacity = 16);
        services.AddVpcRouting();
        Assert.Same(services, builder.Services);
        using var provider = services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<VpcRouting>(), provider.GetRequiredService<VpcRouting>());
        Assert.Equal(16, provider.GetRequiredService<IOptions<VpcRoutingOptions>>().Value.ChangeFeedCapacity);

        var bad = new ServiceCollection();
        bad.AddVpcRouting(o => o.ChangeFeedCapacity = 0);
        using var badProvider = bad.BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => badProvider.GetRequiredService<VpcRouting>());
    }
}
