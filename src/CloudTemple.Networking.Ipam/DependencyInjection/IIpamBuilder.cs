using Microsoft.Extensions.DependencyInjection;

namespace CloudTemple.Networking.Ipam;

/// <summary>
/// Returned by <c>services.AddIpam()</c>: chain a store on it, <c>.UseStore&lt;T&gt;()</c> or <c>.UseStore(instance)</c>,
/// <c>.UseSqlite(path)</c> (CloudTemple.Networking.Sqlite) or <c>.UsePostgreSql(...)</c> (CloudTemple.Networking.PostgreSql);
/// without one, IPAM keeps its state in the in-memory store.
/// </summary>
public interface IIpamBuilder
{
    /// <summary>The service collection IPAM is registered in.</summary>
    IServiceCollection Services { get; }
}
