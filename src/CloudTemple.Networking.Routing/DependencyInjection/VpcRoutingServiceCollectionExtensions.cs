using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using CloudTemple.Networking.Configuration;
using CloudTemple.Networking.Routing;
using Microsoft.Extensions.Configuration;
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
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The IConfiguration overload is the host convention; AddVpcRouting() with no argument stays.")]
    public static IVpcRoutingBuilder AddVpcRouting(this IServiceCollection services, Action<VpcRoutingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<VpcRoutingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateAll<VpcRoutingOptions, VpcRoutingOptionsAnnotations>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new VpcRouting(
            sp.GetRequiredService<IOptions<VpcRoutingOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<VpcRouting>>(),
            sp.GetService<IMeterFactory>()));
        return new VpcRoutingBuilder(services);
    }

    /// <summary>
    /// Registers VPC routing as <see cref="AddVpcRouting(IServiceCollection, Action{VpcRoutingOptions}?)"/> does, with
    /// <see cref="VpcRoutingOptions"/> bound from <paramref name="configuration"/>, the host's section for routing
    /// (<c>builder.Configuration.GetSection("Routing")</c>).
    /// </summary>
    /// <remarks>
    /// A key the options do not have, a value that does not convert or a value out of range stops the host at start
    /// with an <see cref="OptionsValidationException"/> naming the key (<c>Routing:ChangeFeedCapacity</c>). The options
    /// are read once, when <see cref="VpcRouting"/> is created: a reload of the section does not reach existing route
    /// tables, though <c>IOptionsMonitor&lt;VpcRoutingOptions&gt;</c> sees it.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>A builder for further configuration.</returns>
    public static IVpcRoutingBuilder AddVpcRouting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddVpcRouting();
        services.AddOptions<VpcRoutingOptions>().BindSection(configuration);
        return builder;
    }
}
