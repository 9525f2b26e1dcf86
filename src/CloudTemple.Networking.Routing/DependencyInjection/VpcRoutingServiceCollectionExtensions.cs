using System.Diagnostics.Metrics;
using CloudTemple.Networking.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers VPC routing. Named <c>AddVpcRouting</c> so as not to clash with ASP.NET Core's <c>AddRouting</c>.</summary>
public static class VpcRoutingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="VpcRouting"/> (a singleton holding every VPC's VRF), its options
    /// (validated at start) and <see cref="TimeProvider.System"/> unless a clock is registered.
    /// Safe to call more than once.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options, or <see langword="null"/>.</param>
    /// <returns>A builder for further configuration.</returns>
    public static IVpcRoutingBuilder AddVpcRouting(this IServiceCollection services, Action<VpcRoutingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<VpcRoutingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.Validate() is null, "VpcRoutingOptions are invalid (ChangeFeedCapacity must be from 1 to 1048576).").ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new VpcRouting(
            sp.GetRequiredService<IOptions<VpcRoutingOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<VpcRouting>>(),
            sp.GetService<IMeterFactory>()));
        return new VpcRoutingBuilder(services);
    }
}
