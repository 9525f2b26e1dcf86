using System.Diagnostics.Metrics;
using CloudTemple.Networking.PostgreSql;
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
/// <remarks>Each call replaces the store registered before it (the in-memory default); calling it twice keeps the last.</remarks>
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
        builder.Services.Replace(ServiceDescriptor.Singleton<IIpamStore>(sp => new PostgreSqlIpamStore(connectionString, Options(sp), sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>())));
        return builder;
    }

    /// <summary>Keeps IPAM state in PostgreSQL through a data source that the host owns.</summary>
    /// <param name="builder">The IPAM builder.</param>
    /// <param name="dataSource">The data source. Build it with No Reset On Close and Max Auto Prepare, as the connection-string overloads do: otherwise every pooled connection is reset with DISCARD ALL on return, which also drops the server's cached plans, and a next-free allocation costs two to three times as much.</param>
    /// <returns>The builder.</returns>
    public static IIpamBuilder UsePostgreSql(this IIpamBuilder builder, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        builder.Services.Replace(ServiceDescriptor.Singleton<IIpamStore>(sp => new PostgreSqlIpamStore(dataSource, Options(sp), sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>())));
        return builder;
    }

    /// <summary>Keeps DHCP leases in PostgreSQL; the store owns a data source built from the connection string.</summary>
    /// <param name="builder">The DHCP server builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static IDhcpServerBuilder UsePostgreSql(this IDhcpServerBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.Replace(ServiceDescriptor.Singleton<ILeaseStore>(sp => new PostgreSqlLeaseStore(connectionString, Options(sp), sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>())));
        return builder;
    }

    /// <summary>Keeps DHCP leases in PostgreSQL through a data source that the host owns.</summary>
    /// <param name="builder">The DHCP server builder.</param>
    /// <param name="dataSource">The data source. Build it with No Reset On Close and Max Auto Prepare, as the connection-string overloads do: otherwise every pooled connection is reset with DISCARD ALL on return, which also drops the server's cached plans, and a next-free allocation costs two to three times as much.</param>
    /// <returns>The builder.</returns>
    public static IDhcpServerBuilder UsePostgreSql(this IDhcpServerBuilder builder, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        builder.Services.Replace(ServiceDescriptor.Singleton<ILeaseStore>(sp => new PostgreSqlLeaseStore(dataSource, Options(sp), sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>())));
        return builder;
    }

    private static PostgreSqlStoreOptions Options(IServiceProvider services) =>
        services.GetService<IOptions<PostgreSqlStoreOptions>>()?.Value ?? new PostgreSqlStoreOptions();
}
