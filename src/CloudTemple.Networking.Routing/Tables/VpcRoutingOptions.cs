using System.ComponentModel.DataAnnotations;

namespace CloudTemple.Networking.Routing;

/// <summary>Options of the route tables (<c>services.AddVpcRouting(o => ...)</c>, or given to <see cref="RouteTable"/>).</summary>
/// <remarks>
/// Bound from configuration by <c>services.AddVpcRouting(configuration.GetSection("Routing"))</c>. Read once, when
/// <see cref="VpcRouting"/> is created: a reload of the section does not change running tables. Not thread-safe while being configured.
/// </remarks>
public sealed class VpcRoutingOptions
{
    /// <summary>The most changes a change-feed subscriber may have pending; beyond, the oldest are dropped. Default 1024, 1 to 1,048,576.</summary>
    [Range(1, 1 << 20)]
    public int ChangeFeedCapacity { get; set; } = 1024;

    /// <summary>
    /// Whether a next hop must lie inside a connected route of its table (default <see langword="true"/>,
    /// as the kernel requires a gateway to be on a link).
    /// </summary>
    public bool RequireReachableNextHops { get; set; } = true;

    /// <summary>Checks the values; returns the first problem, or <see langword="null"/>.</summary>
    /// <returns>A message, or <see langword="null"/> when valid.</returns>
    public string? Validate() =>
        ChangeFeedCapacity is < 1 or > (1 << 20)
            ? $"{nameof(ChangeFeedCapacity)} must be from 1 to 1048576 (was {ChangeFeedCapacity})."
            : null;
}
