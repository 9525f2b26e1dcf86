using System.ComponentModel.DataAnnotations;

namespace CloudTemple.Networking.Ipam;

/// <summary>Settings of <see cref="IpamService"/>, validated when the host starts.</summary>
/// <remarks>
/// Bound from configuration by <c>services.AddIpam(configuration.GetSection("Ipam"))</c>: keys <c>ReuseHold</c>
/// (a <see cref="TimeSpan"/>, <c>"00:01:00"</c>), <c>DefaultReservedAddresses</c> (a preset name) and
/// <c>ChangeFeedCapacity</c>. Read once, when <see cref="IpamService"/> is created: a reload of the section does not
/// change a running service. Not thread-safe while being configured.
/// </remarks>
public sealed class IpamOptions
{
    /// <summary>
    /// The reuse hold given to spaces created with <see cref="IpamService.CreateSpaceAsync(string, IEnumerable{Ipv4Prefix}, CancellationToken)"/>:
    /// how long a released address stays out of automatic allocation. Default 60 seconds; zero to 365 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan ReuseHold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The reserved-address policy given to those spaces. Default <see cref="ReservedAddressPolicy.Default"/>. In
    /// configuration, a preset name: None, Default, Aws, Azure or Ovn (any case).
    /// </summary>
    [Required]
    public ReservedAddressPolicy DefaultReservedAddresses { get; set; } = ReservedAddressPolicy.Default;

    /// <summary>
    /// How many changes each subscriber of <see cref="IpamService.Changes"/> may fall behind before its oldest are dropped.
    /// Default <see cref="Changes.ChangeFeed.DefaultCapacity"/> (1024); 1 to <see cref="Changes.ChangeFeed.MaxCapacity"/> (1,048,576).
    /// </summary>
    [Range(1, Changes.ChangeFeed.MaxCapacity)]
    public int ChangeFeedCapacity { get; set; } = Changes.ChangeFeed.DefaultCapacity;
}
