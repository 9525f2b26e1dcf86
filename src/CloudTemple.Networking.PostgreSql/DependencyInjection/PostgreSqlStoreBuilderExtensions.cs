using System.Diagnostics.Metrics;
using CloudTemple.Networking.Configuration;
using CloudTemple.Networking.HealthChecks;
using CloudTemple.Networking.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Puts IPAM state or DHCP leases in PostgreSQL: <c>services.AddIpam().UsePostgreSql(connectionString)</c>,
/// <c>services.AddDhcpServer(...).UsePostgreSql(dataSource)</c>. Schema and retry settings come from
/// <c>IOptions&lt;PostgreSqlStoreOptions&gt;</c> when the host configures them (<c>services.Configure&lt;PostgreSqlStoreOptions&gt;(...)</c>).
/// </summary>
/// <remarks>
/// Each call replaces the store registered before it (the in-memory default); calling it twice keeps the last. Each also
/// registers a <see cref="PostgreSqlStoreHealthCheck"/> for its store (<see cref="PostgreSqlStoreHealthCheck.IpamStoreName"/>,
/// <see cref="PostgreSqlStoreHealthCheck.LeaseStoreName"/>), which runs when the host calls <c>services.AddHealthChecks()</c>.
/// </remarks>
public static class PostgreSqlStoreBuilderExtensions
{
    /// <summary>Keeps IPAM state in PostgreSQL; the store owns a data source built from the connection string.</summary>
    /// <param name="builder">The IPAM builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static IIpamBuilder UsePostgreSql(this IIpamBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseIpamStore(sp => new PostgreSqlIpamStore(connectionString, Options(sp), sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>()));
    }

    /// <summary>Keeps IPAM state in PostgreSQL through a data source that the host owns.</summary>
    /// <param name="builder">The IPAM builder.</param>
    /// <param name="dataSource">The data source. Build it with No Reset On Close and Max Auto Prepare, as the connection-string overloads do: otherwise every pooled connection is reset with DISCARD ALL on return, which also drops the server's cached plans, and a next-free allocation costs two to three times as much.</param>
    /// <returns>The builder.</returns>
    public static IIpamBuilder UsePostgreSql(this IIpamBuilder builder, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UseIpamStore(sp => new PostgreSqlIpamStore(dataSource, Options(sp), sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>()));
    }

    /// <summary>Keeps DHCP leases in PostgreSQL; the store owns a data source built from the connection string.</summary>
    /// <param name="builder">The DHCP server builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static IDhcpServerBuilder UsePostgreSql(this IDhcpServerBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseLeaseStore(sp => new PostgreSqlLeaseStore(connectionString, Options(sp), sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>()));
    }

    /// <summary>Keeps DHCP leases in PostgreSQL through a data source that the host owns.</summary>
    /// <param name="builder">The DHCP server builder.</param>
    /// <param name="dataSource">The data source. Build it with No Reset On Close and Max Auto Prepare, as the connection-string overloads do: otherwise every pooled connection is reset with DISCARD ALL on return, which also drops the server's cached plans, and a next-free allocation costs two to three times as much.</param>
    /// <returns>The builder.</returns>
    public static IDhcpServerBuilder UsePostgreSql(this IDhcpServerBuilder builder, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UseLeaseStore(sp => new PostgreSqlLeaseStore(dataSource, Options(sp), sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>()));
    }

    /// <summary>
    /// Keeps IPAM state in PostgreSQL with <see cref="PostgreSqlStoreOptions"/>, connection string included, bound from
    /// <paramref name="configuration"/> (<c>builder.Configuration.GetSection("Storage:PostgreSql")</c>) as named options
    /// whose name is the section's path; the store owns a data source built from <see cref="PostgreSqlStoreOptions.ConnectionString"/>.
    /// </summary>
    /// <remarks>
    /// A missing connection string, a key the options do not have, a value that does not convert or is out of range stops
    /// the host at start with an <see cref="OptionsValidationException"/> naming the key (<c>Storage:PostgreSql:ConnectionString</c>).
    /// The store reads the options once, when it is created: a reload of the section does not reach it.
    /// </remarks>
    /// <param name="builder">The IPAM builder.</param>
    /// <param name="configuration">The section holding the options; the DHCP lease store may use the same one.</param>
    /// <returns>The builder.</returns>
    public static IIpamBuilder UsePostgreSql(this IIpamBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string name = Bind(builder.Services, configuration);
        return builder.UseIpamStore(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<PostgreSqlStoreOptions>>().Get(name);
            return new PostgreSqlIpamStore(options.ConnectionString!, options, sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>());
        });
    }

    /// <summary>
    /// Keeps DHCP leases in PostgreSQL with <see cref="PostgreSqlStoreOptions"/>, connection string included, bound from
    /// <paramref name="configuration"/> (see <see cref="UsePostgreSql(IIpamBuilder, IConfiguration)"/>).
    /// </summary>
    /// <param name="builder">The DHCP server builder.</param>
    /// <param name="configuration">The section holding the options; the IPAM store may use the same one.</param>
    /// <returns>The builder.</returns>
    public static IDhcpServerBuilder UsePostgreSql(this IDhcpServerBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string name = Bind(builder.Services, configuration);
        return builder.UseLeaseStore(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<PostgreSqlStoreOptions>>().Get(name);
            return new PostgreSqlLeaseStore(options.ConnectionString!, options, sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>());
        });
    }

    // One registration per interface (a forwarding one would make the container dispose the store twice); the health
    // check finds the store behind the interface.
    private static IIpamBuilder UseIpamStore(this IIpamBuilder builder, Func<IServiceProvider, PostgreSqlIpamStore> create)
    {
        UseStore<IIpamStore, PostgreSqlIpamStore>(builder.Services, create, PostgreSqlStoreHealthCheck.IpamStoreName, s => new(s.DataSource, s.Schema));
        return builder;
    }

    private static IDhcpServerBuilder UseLeaseStore(this IDhcpServerBuilder builder, Func<IServiceProvider, PostgreSqlLeaseStore> create)
    {
        UseStore<ILeaseStore, PostgreSqlLeaseStore>(builder.Services, create, PostgreSqlStoreHealthCheck.LeaseStoreName, s => new(s.DataSource, s.Schema));
        return builder;
    }

    private static void UseStore<TService, TStore>(
        IServiceCollection services, Func<IServiceProvider, TStore> create, string healthCheckName, Func<TStore, PostgreSqlStoreHealthCheck> healthCheck)
        where TService : class
        where TStore : class, TService
    {
        services.Replace(ServiceDescriptor.Singleton<TService>(create));
        services.AddHealthCheckOnce(
            healthCheckName,
            sp => sp.GetRequiredService<TService>() is TStore store
                ? healthCheck(store)
                : throw new InvalidOperationException($"The registered {typeof(TService).Name} is no longer a {typeof(TStore).Name}; remove its health check."),
            "postgresql",
            "ready");
    }

    // Named options, the name being the section's path: the IPAM and lease stores may share a section or use two.
    private static string Bind(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string name = (configuration as IConfigurationSection)?.Path ?? string.Empty;
        var keys = OptionsKeys<PostgreSqlStoreOptions>.In(services);
        services.AddOptions<PostgreSqlStoreOptions>(name)
            .BindSection(configuration)
            .ValidateAll<PostgreSqlStoreOptions, PostgreSqlStoreOptionsAnnotations>();
        if (!services.Any(d => !d.IsKeyedService && d.ImplementationInstance is ConnectionStringRequired required && required.Name == name))
        {
            services.AddSingleton<IValidateOptions<PostgreSqlStoreOptions>>(new ConnectionStringRequired(name, keys));
        }

        return name;
    }

    // Only the options bound from configuration need a connection string: the other overloads take theirs as an argument.
    private sealed class ConnectionStringRequired(string name, OptionsKeys<PostgreSqlStoreOptions> keys) : IValidateOptions<PostgreSqlStoreOptions>
    {
        public string Name => name;

        public ValidateOptionsResult Validate(string? optionsName, PostgreSqlStoreOptions options)
        {
            if ((optionsName ?? string.Empty) != name)
            {
                return ValidateOptionsResult.Skip;
            }

            string key = keys.Of(name, nameof(PostgreSqlStoreOptions.ConnectionString));
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                return ValidateOptionsResult.Fail($"{key}: required, for example \"Host=db;Database=vpc;Username=vpc\".");
            }

            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException e)
            {
                return ValidateOptionsResult.Fail($"{key}: not an Npgsql connection string: {e.Message}");
            }
        }
    }

    private static PostgreSqlStoreOptions Options(IServiceProvider services) =>
        services.GetService<IOptions<PostgreSqlStoreOptions>>()?.Value ?? new PostgreSqlStoreOptions();
}
