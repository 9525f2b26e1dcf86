using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Ipam.Tests.Service;

public class IpamServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddIpam_registers_a_working_service_over_the_in_memory_store()
    {
        var services = new ServiceCollection();
        var builder = services.AddIpam(o => o.ReuseHold = TimeSpan.FromMinutes(5));
        Assert.Same(services, builder.Services);
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var ipam = provider.GetRequiredService<IpamService>();
        Assert.IsType<InMemoryIpamStore>(provider.GetRequiredService<IIpamStore>());
        Assert.Same(provider.GetRequiredService<IIpamStore>(), ipam.Store);
        var space = await ipam.CreateSpaceAsync("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]);
        Assert.Equal(TimeSpan.FromMinutes(5), space.ReuseHold);
    }

    [Fact]
    public void AddIpam_is_safe_to_call_twice_and_keeps_one_registration_each()
    {
        var services = new ServiceCollection();
        services.AddIpam();
        services.AddIpam(o => o.ChangeFeedCapacity = 10);
        Assert.Single(services, d => d.ServiceType == typeof(IpamService));
        Assert.Single(services, d => d.ServiceType == typeof(IIpamStore));
        using var provider = services.BuildServiceProvider();
        Assert.Equal(10, provider.GetRequiredService<IOptions<IpamOptions>>().Value.ChangeFeedCapacity);
    }

    [Fact]
    public void UseStore_replaces_the_default_store()
    {
        var store = new InMemoryIpamStore();
        var services = new ServiceCollection();
        services.AddIpam().UseStore(store);
        using var provider = services.BuildServiceProvider();
        Assert.Same(store, provider.GetRequiredService<IpamService>().Store);
    }

    [Fact]
    public void Invalid_options_fail_at_start()
    {
        var services = new ServiceCollection();
        services.AddIpam(o => o.ReuseHold = TimeSpan.FromSeconds(-1));
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("ReuseHold", error.Message, StringComparison.Ordinal);
    }
}
