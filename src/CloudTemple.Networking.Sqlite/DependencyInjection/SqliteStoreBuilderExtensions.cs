using CloudTemple.Networking.Dhcp;
using CloudTemple.Networking.Ipam;
using CloudTemple.Networking.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the SQLite stores on the IPAM and DHCP builders: <c>services.AddIpam().UseSqlite("ipam.db")</c>.</summary>
/// <remarks>
/// The stores are singletons of the container, but the file is shared process-wide: every SQLite store of the
/// process on the same file and options (in this container or another) shares its connections and its
/// group-committing writer, and the file stays open until the last of them is disposed. Give two hosts of
/// one process their own files when they must not wait on each other. See the remarks of
/// <see cref="SqliteIpamStore"/>.
/// </remarks>
public static class SqliteStoreBuilderExtensions
{
    /// <summary>
    /// Uses a <see cref="SqliteIpamStore"/> over <paramref name="path"/> (a singleton, created on first use and
    /// disposed with the container) as the <see cref="IIpamStore"/>, replacing the in-memory default.
    /// </summary>
    /// <param name="builder">The IPAM builder.</param>
    /// <param name="path">The database file; the DHCP lease store may use the same one.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IIpamBuilder UseSqlite(this IIpamBuilder builder, string path) => builder.UseSqlite(new SqliteStoreOptions { Path = path });

    /// <summary>Uses a <see cref="SqliteIpamStore"/> with the given options as the <see cref="IIpamStore"/>.</summary>
    /// <param name="builder">The IPAM builder.</param>
    /// <param name="options">The file, lock wait and attempts; checked now.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IIpamBuilder UseSqlite(this IIpamBuilder builder, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        builder.Services.Replace(ServiceDescriptor.Singleton(_ => new SqliteIpamStore(options)));
        builder.Services.Replace(ServiceDescriptor.Singleton<IIpamStore>(sp => sp.GetRequiredService<SqliteIpamStore>()));
        return builder;
    }

    /// <summary>
    /// Uses a <see cref="SqliteLeaseStore"/> over <paramref name="path"/> (a singleton, created on first use and
    /// disposed with the container, which writes the saves still queued) as the <see cref="ILeaseStore"/>.
    /// </summary>
    /// <param name="builder">The DHCP server builder.</param>
    /// <param name="path">The database file; the IPAM store may use the same one.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IDhcpServerBuilder UseSqlite(this IDhcpServerBuilder builder, string path) => builder.UseSqlite(new SqliteStoreOptions { Path = path });

    /// <summary>Uses a <see cref="SqliteLeaseStore"/> with the given options as the <see cref="ILeaseStore"/>.</summary>
    /// <param name="builder">The DHCP server builder.</param>
    /// <param name="options">The file, lock wait and attempts; checked now.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IDhcpServerBuilder UseSqlite(this IDhcpServerBuilder builder, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        builder.Services.Replace(ServiceDescriptor.Singleton(_ => new SqliteLeaseStore(options)));
        builder.Services.Replace(ServiceDescriptor.Singleton<ILeaseStore>(sp => sp.GetRequiredService<SqliteLeaseStore>()));
        return builder;
    }
}
