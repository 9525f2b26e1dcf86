using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloudTemple.Networking.Ipam;

/// <summary>Chooses the <see cref="IIpamStore"/> on an <see cref="IIpamBuilder"/>.</summary>
public static class IpamBuilderExtensions
{
    /// <summary>Uses <typeparamref name="TStore"/> (a singleton) instead of the in-memory store.</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IIpamBuilder UseStore<TStore>(this IIpamBuilder builder)
        where TStore : class, IIpamStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IIpamStore, TStore>());
        return builder;
    }

    /// <summary>Uses the given store instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The store.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IIpamBuilder UseStore(this IIpamBuilder builder, IIpamStore store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        builder.Services.Replace(ServiceDescriptor.Singleton(store));
        return builder;
    }
}
