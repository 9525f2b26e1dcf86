using Microsoft.Extensions.DependencyInjection;

namespace CloudTemple.Networking.Ipam;

internal sealed class IpamBuilder(IServiceCollection services) : IIpamBuilder
{
    public IServiceCollection Services { get; } = services;
}
