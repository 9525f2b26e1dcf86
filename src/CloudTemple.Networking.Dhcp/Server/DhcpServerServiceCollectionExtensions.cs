using CloudTemple.Networking.Dhcp;
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
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options (interface, subnets, timers).</param>
    /// <returns>A builder to chain backends on.</returns>
    public static IDhcpServerBuilder AddDhcpServer(this IServiceCollection services, Action<DhcpServerOptions> configure)
    {
        var builder = services.AddDhcpLeaseEngine(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DhcpServerOptions>, InterfaceRequired>());
        services.TryAddSingleton<DhcpServer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DhcpServer>(sp => sp.GetRequiredService<DhcpServer>()));
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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DhcpServerOptions>, DhcpServerOptionsValidator>(_ => new DhcpServerOptionsValidator()));
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

    private sealed class InterfaceRequired : IValidateOptions<DhcpServerOptions>
    {
        public ValidateOptionsResult Validate(string? name, DhcpServerOptions options) =>
            string.IsNullOrWhiteSpace(options.InterfaceName)
                ? ValidateOptionsResult.Fail("InterfaceName is required: the DHCP server binds to one interface.")
                : ValidateOptionsResult.Success;
    }
}
