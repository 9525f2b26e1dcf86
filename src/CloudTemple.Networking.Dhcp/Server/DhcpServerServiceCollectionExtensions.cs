using CloudTemple.Networking.Configuration;
using CloudTemple.Networking.Dhcp;
using CloudTemple.Networking.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the DHCP server and its lease engine.</summary>
public static class DhcpServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the DHCP server: the UDP server as a hosted service, the <see cref="DhcpLeaseEngine"/>, and in-memory
    /// defaults for <see cref="ILeaseStore"/> and <see cref="IDhcpAddressPool"/> (replace them with the builder
    /// or by registering your own first). Options are validated at start. Safe to call twice.
    /// </summary>
    /// <remarks>
    /// Also registers <see cref="DhcpServerHealthCheck"/> (socket bound, receive loops running) under
    /// <see cref="DhcpServerHealthCheck.Name"/>, which runs when the host calls <c>services.AddHealthChecks()</c>.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options (interface, subnets, timers).</param>
    /// <returns>A builder to chain backends on.</returns>
    public static IDhcpServerBuilder AddDhcpServer(this IServiceCollection services, Action<DhcpServerOptions> configure)
    {
        var builder = services.AddDhcpLeaseEngine(configure);
        var keys = OptionsKeys<DhcpServerOptions>.In(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DhcpServerOptions>, InterfaceRequired>(_ => new InterfaceRequired(keys)));
        services.TryAddSingleton<DhcpServer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DhcpServer>(sp => sp.GetRequiredService<DhcpServer>()));
        services.AddHealthCheckOnce(DhcpServerHealthCheck.Name, sp => new DhcpServerHealthCheck(sp.GetRequiredService<DhcpServer>()), "dhcp", "ready");
        return builder;
    }

    /// <summary>
    /// Adds the DHCP server as <see cref="AddDhcpServer(IServiceCollection, Action{DhcpServerOptions})"/> does, with
    /// <see cref="DhcpServerOptions"/> bound from <paramref name="configuration"/>, the host's section for DHCP
    /// (<c>builder.Configuration.GetSection("Dhcp")</c>). Safe to call twice.
    /// </summary>
    /// <remarks>
    /// Addresses, prefixes and MAC addresses are text (<c>"Prefix": "10.0.1.0/24"</c>), times <see cref="TimeSpan"/>
    /// text, a classless static route an object (<c>{ "Destination": "192.168.0.0/16", "Router": "10.0.1.254" }</c>).
    /// A key the options do not have, a value that does not convert (a prefix with host bits set, a malformed MAC
    /// address), a value out of range, an unset or 0.0.0.0/0 subnet: each stops the host at start with an
    /// <see cref="OptionsValidationException"/> whose message names the key (<c>Dhcp:Subnets:0:Prefix</c>). The options
    /// are read once, when the lease engine is created: a reload of the section is seen by
    /// <c>IOptionsMonitor&lt;DhcpServerOptions&gt;</c> (and validated there) but does not reach a running server;
    /// restart the host to serve new subnets.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>A builder to chain backends on.</returns>
    public static IDhcpServerBuilder AddDhcpServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddDhcpServer(static _ => { });
        services.AddOptions<DhcpServerOptions>().BindSection(configuration);
        return builder;
    }

    /// <summary>
    /// Adds only the <see cref="DhcpLeaseEngine"/> (no socket): for a simulated network that hands request bytes to
    /// <see cref="DhcpLeaseEngine.ProcessAsync"/> itself. Safe to call twice.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options (subnets, timers).</param>
    /// <returns>A builder to chain backends on.</returns>
    public static IDhcpServerBuilder AddDhcpLeaseEngine(this IServiceCollection services, Action<DhcpServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<DhcpServerOptions>().Configure(configure).ValidateOnStart();
        var keys = OptionsKeys<DhcpServerOptions>.In(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DhcpServerOptions>, DhcpServerOptionsValidator>(_ => new DhcpServerOptionsValidator(false, keys)));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILeaseStore, InMemoryLeaseStore>();
        services.TryAddSingleton<IDhcpAddressPool, InMemoryDhcpAddressPool>();
        services.TryAddSingleton<DhcpLeaseEngine>();
        return new Builder(services);
    }

    /// <summary>Uses <typeparamref name="TStore"/> as the lease store.</summary>
    /// <typeparam name="TStore">The store type, resolved as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IDhcpServerBuilder UseLeaseStore<TStore>(this IDhcpServerBuilder builder)
        where TStore : class, ILeaseStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ILeaseStore, TStore>());
        return builder;
    }

    /// <summary>Uses <typeparamref name="TPool"/> as the address pool (for example one over IPAM).</summary>
    /// <typeparam name="TPool">The pool type, resolved as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IDhcpServerBuilder UseAddressPool<TPool>(this IDhcpServerBuilder builder)
        where TPool : class, IDhcpAddressPool
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IDhcpAddressPool, TPool>());
        return builder;
    }

    private sealed class Builder(IServiceCollection services) : IDhcpServerBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class InterfaceRequired(OptionsKeys<DhcpServerOptions> keys) : IValidateOptions<DhcpServerOptions>
    {
        public ValidateOptionsResult Validate(string? name, DhcpServerOptions options) =>
            string.IsNullOrWhiteSpace(options.InterfaceName)
                ? ValidateOptionsResult.Fail($"{keys.Of(name, nameof(DhcpServerOptions.InterfaceName))}: required, the DHCP server binds to one interface (for example \"eth0\").")
                : ValidateOptionsResult.Success;
    }
}
