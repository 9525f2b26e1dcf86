using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudTemple.Networking.HealthChecks;

// Linked into the libraries with health checks (src/Shared): the builders add their checks to
// HealthCheckServiceOptions, the list that services.AddHealthChecks() runs, so that a host which calls it gets them and
// a host which does not pays nothing. Once per name, so that calling a builder twice registers one check.
internal static class HealthCheckRegistrations
{
    public static IServiceCollection AddHealthCheckOnce(this IServiceCollection services, string name, Func<IServiceProvider, IHealthCheck> factory, params string[] tags)
    {
        services.Configure<HealthCheckServiceOptions>(options =>
        {
            if (!options.Registrations.Any(r => r.Name == name))
            {
                options.Registrations.Add(new HealthCheckRegistration(name, factory, failureStatus: null, tags));
            }
        });
        return services;
    }
}
