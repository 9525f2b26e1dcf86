using System.Diagnostics.Metrics;
using CloudTemple.Networking.Configuration;
using CloudTemple.Networking.Dhcp;
using CloudTemple.Networking.HealthChecks;
using CloudTemple.Networking.Ipam;
using CloudTemple.Networking.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the SQLite stores on the IPAM and DHCP builders: <c>services.AddIpam().UseSqlite("ipam.db")</c>.</summary>
/// <remarks>
/// Each overload also registers a <see cref="SqliteStoreHealthCheck"/> for its store (<see cref="SqliteStoreHealthCheck.IpamStoreName"/>,
/// <see cref="SqliteStoreHealthCheck.LeaseStoreName"/>), which runs when the host calls <c>services.AddHealthChecks()</c>.
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
        return builder.UseSqlite(_ => options);
    }

    /// <summary>
    /// Uses a <see cref="SqliteIpamStore"/> whose <see cref="SqliteStoreOptions"/> are bound from <paramref name="configuration"/>
    /// (<c>builder.Configuration.GetSection("Storage:Sqlite")</c>), as named options whose name is the section's path.
    /// </summary>
    /// <remarks>
    /// A missing <c>Path</c>, a key the options do not have, a value that does not convert or is out of range stops the host
    /// at start with an <see cref="OptionsValidationException"/> naming the key (<c>Storage:Sqlite:Path</c>). The store reads
    /// the options once, when it is created: a reload of the section does not move it to another file.
    /// </remarks>
    /// <param name="builder">The IPAM builder.</param>
    /// <param name="configuration">The section holding the options; the DHCP lease store may use the same one.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IIpamBuilder UseSqlite(this IIpamBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string name = Bind(builder.Services, configuration);
        return builder.UseSqlite(sp => sp.GetRequiredService<IOptionsMonitor<SqliteStoreOptions>>().Get(name));
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
        return builder.UseSqlite(_ => options);
    }

    /// <summary>
    /// Uses a <see cref="SqliteLeaseStore"/> whose <see cref="SqliteStoreOptions"/> are bound from <paramref name="configuration"/>,
    /// as named options whose name is the section's path (see <see cref="UseSqlite(IIpamBuilder, IConfiguration)"/>).
    /// </summary>
    /// <param name="builder">The DHCP server builder.</param>
    /// <param name="configuration">The section holding the options; the IPAM store may use the same one.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IDhcpServerBuilder UseSqlite(this IDhcpServerBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string name = Bind(builder.Services, configuration);
        return builder.UseSqlite(sp => sp.GetRequiredService<IOptionsMonitor<SqliteStoreOptions>>().Get(name));
    }

    private static IIpamBuilder UseSqlite(this IIpamBuilder builder, Func<IServiceProvider, SqliteStoreOptions> options)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new SqliteIpamStore(options(sp), sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>())));
        builder.Services.Replace(ServiceDescriptor.Singleton<IIpamStore>(sp => sp.GetRequiredService<SqliteIpamStore>()));
        builder.Services.AddHealthCheckOnce(
            SqliteStoreHealthCheck.IpamStoreName,
            sp => new SqliteStoreHealthCheck(options(sp).Path, options(sp).BusyTimeout, sp.GetRequiredService<SqliteIpamStore>().InitializeAsync),
            "sqlite",
            "ready");
        return builder;
    }

    private static IDhcpServerBuilder UseSqlite(this IDhcpServerBuilder builder, Func<IServiceProvider, SqliteStoreOptions> options)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new SqliteLeaseStore(options(sp), sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>())));
        builder.Services.Replace(ServiceDescriptor.Singleton<ILeaseStore>(sp => sp.GetRequiredService<SqliteLeaseStore>()));
        builder.Services.AddHealthCheckOnce(
            SqliteStoreHealthCheck.LeaseStoreName,
            sp => new SqliteStoreHealthCheck(options(sp).Path, options(sp).BusyTimeout, sp.GetRequiredService<SqliteLeaseStore>().InitializeAsync),
            "sqlite",
            "ready");
        return builder;
    }

    // Named options, the name being the section's path: the IPAM and lease stores may share a section or use two.
    private static string Bind(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string name = (configuration as IConfigurationSection)?.Path ?? string.Empty;
        // Binding one section for both stores twice is harmless: the same values are set twice.
        services.AddOptions<SqliteStoreOptions>(name)
            .BindSection(configuration)
            .ValidateAll<SqliteStoreOptions, SqliteStoreOptionsAnnotations>();
        return name;
    }
}
