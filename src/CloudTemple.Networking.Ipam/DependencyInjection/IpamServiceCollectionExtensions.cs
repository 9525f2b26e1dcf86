using System.Diagnostics.Metrics;
using CloudTemple.Networking.Ipam;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers IPAM in a service collection.</summary>
public static class IpamServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IpamService"/> (singleton), <see cref="IpamOptions"/> validated at
    /// start, <see cref="TimeProvider.System"/> and <see cref="InMemoryIpamStore"/> unless already
    /// registered. Safe to call more than once; each call may configure options further.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options, or null.</param>
    /// <returns>A builder to choose the store on.</returns>
    public static IIpamBuilder AddIpam(this IServiceCollection services, Action<IpamOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<IpamOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (!services.Any(d => d.ServiceType == typeof(IpamService)))
        {
            options
                .Validate(o => o.ReuseHold >= TimeSpan.Zero, "IpamOptions.ReuseHold must be zero or more.")
                .Validate(o => CloudTemple.Networking.Changes.ChangeFeed.IsValidCapacity(o.ChangeFeedCapacity), "IpamOptions.ChangeFeedCapacity must be from 1 to 1,048,576.")
                .Validate(o => o.DefaultReservedAddresses is not null, "IpamOptions.DefaultReservedAddresses must be set.")
                .ValidateOnStart();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIpamStore, InMemoryIpamStore>();
        services.TryAddSingleton(sp => new IpamService(
            sp.GetRequiredService<IIpamStore>(),
            sp.GetRequiredService<IOptions<IpamOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<IpamService>>(),
            sp.GetService<IMeterFactory>()));
        return new IpamBuilder(services);
    }
}
