using Microsoft.Extensions.DependencyInjection;

namespace CloudTemple.Networking.Routing;

internal sealed class VpcRoutingBuilder(IServiceCollection services) : IVpcRoutingBuilder
{
    public IServiceCollection Services { get; } = services;
}
