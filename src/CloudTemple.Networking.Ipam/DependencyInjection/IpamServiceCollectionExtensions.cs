using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using CloudTemple.Networking.Configuration;
using CloudTemple.Networking.Ipam;
using Microsoft.Extensions.Configuration;
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
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The IConfiguration overload is the host convention; AddIpam() with no argument stays.")]
    public static IIpamBuilder AddIpam(this IServiceCollection services, Action<IpamOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<IpamOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateAll<IpamOptions, IpamOptionsAnnotations>();
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

    /// <summary>
    /// Registers IPAM as <see cref="AddIpam(IServiceCollection, Action{IpamOptions}?)"/> does, with <see cref="IpamOptions"/>
    /// bound from <paramref name="configuration"/>, the host's section for IPAM (<c>builder.Configuration.GetSection("Ipam")</c>).
    /// </summary>
    /// <remarks>
    /// A key <see cref="IpamOptions"/> does not have, a value that does not convert (an unknown reserved-address preset,
    /// a malformed time span) or a value out of range stops the host at start with an
    /// <see cref="OptionsValidationException"/> naming the key (<c>Ipam:DefaultReservedAddresses</c>). The options are
    /// read once, when <see cref="IpamService"/> is created: a reload of the section does not reach a running service
    /// (its spaces keep the policy and hold they were created with), though <c>IOptionsMonitor&lt;IpamOptions&gt;</c> sees it.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>A builder to choose the store on.</returns>
    public static IIpamBuilder AddIpam(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddIpam();
        services.AddOptions<IpamOptions>().BindSection(configuration);
        return builder;
    }
}
