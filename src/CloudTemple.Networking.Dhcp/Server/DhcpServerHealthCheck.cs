using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudTemple.Networking.Dhcp;

/// <summary>
/// Reports whether the <see cref="DhcpServer"/> listens: its socket is bound and every receive loop runs, and the last
/// receive did not fail. Registered by <c>AddDhcpServer</c> under the name <see cref="Name"/> (tags <c>dhcp</c>,
/// <c>ready</c>) for hosts that call <c>services.AddHealthChecks()</c>; it reports the status the registration's
/// failure status says (unhealthy by default) with a description naming the interface and port.
/// </summary>
/// <remarks>Thread-safe: it reads the server's state without locking.</remarks>
public sealed class DhcpServerHealthCheck : IHealthCheck
{
    /// <summary>The name the check is registered under: <c>cloudtemple-dhcp-server</c>.</summary>
    public const string Name = "cloudtemple-dhcp-server";

    private readonly DhcpServer _server;

    /// <summary>Creates the check.</summary>
    /// <param name="server">The server to watch.</param>
    public DhcpServerHealthCheck(DhcpServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
    }

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (listening, description) = _server.Probe();
        return Task.FromResult(listening
            ? HealthCheckResult.Healthy(description)
            : new HealthCheckResult(context.Registration.FailureStatus, description));
    }
}
