using Microsoft.Extensions.DependencyInjection;

namespace CloudTemple.Networking.Routing;

/// <summary>Returned by <c>services.AddVpcRouting()</c>, to chain further configuration.</summary>
public interface IVpcRoutingBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}
