using System.ComponentModel.DataAnnotations;

namespace CloudTemple.Networking.Routing;

/// <summary>Options of the route tables (<c>services.AddVpcRouting(o => ...)</c>, or given to <see cref="RouteTable"/>).</summary>
/// <remarks>
/// Bound from configuration by <c>services.AddVpcRouting(configuration.GetSection("Routing"))</c>. Read once, when
/// <see cref="VpcRouting"/> is created: a reload of the section does not change running tables. Not thread-safe while being configured.
/// </remarks>
public sealed class VpcRoutingOptions
{
    /// <summary>
    /// How many changes each subscriber of <see cref="RouteTable.Changes"/> may fall behind before its oldest are dropped.
    /// Default <see cref="Networking.Changes.ChangeFeed.DefaultCapacity"/> (1024); 1 to <see cref="Networking.Changes.ChangeFeed.MaxCapacity"/> (1,048,576).
    /// </summary>
    [Range(1, Networking.Changes.ChangeFeed.MaxCapacity)]
    public int ChangeFeedCapacity { get; set; } = Networking.Changes.ChangeFeed.DefaultCapacity;

    /// <summary>
    /// Whether a next hop must lie inside a connected route of its table (default <see langword="true"/>,
    /// as the kernel requires a gateway to be on a link).
    /// </summary>
    public bool RequireReachableNextHops { get; set; } = true;

    /// <summary>Checks the values; returns the first problem, or <see langword="null"/>.</summary>
    /// <returns>A message, or <see langword="null"/> when valid.</returns>
    public string? Validate() =>
        !Networking.Changes.ChangeFeed.IsValidCapacity(ChangeFeedCapacity)
            ? $"{nameof(ChangeFeedCapacity)} must be from 1 to 1048576 (was {ChangeFeedCapacity})."
            : null;
}
