using Microsoft.Extensions.DependencyInjection;

namespace CloudTemple.Networking.Ipam;

/// <summary>Returned by <c>services.AddIpam()</c>: chain a store on it (<c>.UseStore&lt;T&gt;()</c>, later <c>.UsePostgreSql(...)</c>).</summary>
public interface IIpamBuilder
{
    /// <summary>The service collection IPAM is registered in.</summary>
    IServiceCollection Services { get; }
}
