using CloudTemple.Networking.Dhcp;
using CloudTemple.Networking.Ipam;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Takes the DHCP server's addresses from IPAM.</summary>
public static class DhcpIpamBuilderExtensions
{
    /// <summary>
    /// Uses an <see cref="IpamDhcpAddressPool"/> over the registered <see cref="IIpamStore"/> (the one chosen with
    /// <c>services.AddIpam()</c>, an in-memory store when none is), so that DHCP leases and static allocations
    /// of the address space never collide.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="space">The IPAM address space holding the DHCP subnets (created on first use when missing).</param>
    /// <returns>The builder.</returns>
    public static IDhcpServerBuilder UseIpam(this IDhcpServerBuilder builder, string space)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(space);
        builder.Services.TryAddSingleton<IIpamStore, InMemoryIpamStore>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IDhcpAddressPool>(
            sp => new IpamDhcpAddressPool(sp.GetRequiredService<IIpamStore>(), space, sp.GetService<TimeProvider>())));
        return builder;
    }
}
