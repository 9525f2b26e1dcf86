using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace CloudTemple.Networking.Routing;

/// <summary>The routing domains (VRFs) of all VPCs of a host; registered by <c>services.AddVpcRouting()</c>.</summary>
/// <remarks>Thread-safe. Its tables report on the Meter and ActivitySource named in <see cref="RoutingTelemetry"/> and log through its logger.</remarks>
public sealed class VpcRouting
{
    private readonly ConcurrentDictionary<string, Vrf> _vrfs = new(StringComparer.Ordinal);
    private readonly VpcRoutingOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly RoutingDiagnostics _diagnostics;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="options">Options of every table; defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of every table; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Logs refused changes and table lifecycle; none when <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the routing Meter; a standalone Meter when <see langword="null"/>.</param>
    public VpcRouting(VpcRoutingOptions? options = null, TimeProvider? timeProvider = null, ILogger<VpcRouting>? logger = null, IMeterFactory? meterFactory = null)
    {
        _options = options ?? new VpcRoutingOptions();
        if (_options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
        _diagnostics = logger is null && meterFactory is null ? RoutingDiagnostics.Default : new RoutingDiagnostics(meterFactory, logger);
    }

    /// <summary>The VPCs that have a VRF.</summary>
    public IReadOnlyCollection<string> VpcIds => [.. _vrfs.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The VRF of a VPC, created (with an empty main table) on first use.</summary>
    /// <param name="vpcId">The VPC's identifier.</param>
    /// <returns>The VRF.</returns>
    public Vrf GetOrCreate(string vpcId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vpcId);
        return _vrfs.GetOrAdd(vpcId, static (id, self) => new Vrf(id, self._options, self._timeProvider, self._diagnostics), this);
    }

    /// <summary>The VRF of a VPC, if it has one.</summary>
    /// <param name="vpcId">The VPC's identifier.</param>
    /// <param name="vrf">The VRF when found.</param>
    /// <returns>Whether the VPC has a VRF.</returns>
    public bool TryGet(string vpcId, [NotNullWhen(true)] out Vrf? vrf) => _vrfs.TryGetValue(vpcId, out vrf);

    /// <summary>Forgets a VPC's VRF and all its tables, completing their change feeds.</summary>
    /// <param name="vpcId">The VPC's identifier.</param>
    /// <returns>Whether it existed.</returns>
    public bool Remove(string vpcId)
    {
        if (!_vrfs.TryRemove(vpcId, out var vrf))
        {
            return false;
        }

        vrf.Close();
        RoutingLog.VrfRemoved(_diagnostics.Logger, vpcId, vrf.Tables.Count);
        return true;
    }
}
