using Microsoft.Extensions.DependencyInjection;

namespace CloudTemple.Networking.Dhcp;

/// <summary>Returned by <c>AddDhcpServer</c>: chains backends such as a lease store or an address pool.</summary>
public interface IDhcpServerBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}
