using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace CloudTemple.Networking.Routing;

/// <summary>The routing domains (VRFs) of all VPCs of a host; registered by <c>services.AddVpcRouting()</c>.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class VpcRouting
{
    private readonly ConcurrentDictionary<string, Vrf> _vrfs = new(StringComparer.Ordinal);
    private readonly VpcRoutingOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="options">Options of every table; defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of every table; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public VpcRouting(VpcRoutingOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new VpcRoutingOptions();
        if (_options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The VPCs that have a VRF.</summary>
    public IReadOnlyCollection<string> VpcIds => [.. _vrfs.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The VRF of a VPC, created (with an empty main table) on first use.</summary>
    /// <param name="vpcId">The VPC's identifier.</param>
    /// <returns>The VRF.</returns>
    public Vrf GetOrCreate(string vpcId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vpcId);
        return _vrfs.GetOrAdd(vpcId, static (id, self) => new Vrf(id, self._options, self._timeProvider), this);
    }

    /// <summary>The VRF of a VPC, if it has one.</summary>
    /// <param name="vpcId">The VPC's identifier.</param>
    /// <param name="vrf">The VRF when found.</param>
    /// <returns>Whether the VPC has a VRF.</returns>
    public bool TryGet(string vpcId, [NotNullWhen(true)] out Vrf? vrf) => _vrfs.TryGetValue(vpcId, out vrf);

    /// <summary>Forgets a VPC's VRF and all its tables.</summary>
    /// <param name="vpcId">The VPC's identifier.</param>
    /// <returns>Whether it existed.</returns>
    public bool Remove(string vpcId) => _vrfs.TryRemove(vpcId, out _);
}
