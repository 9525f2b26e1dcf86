namespace CloudTemple.Networking.Ipam;

/// <summary>Settings of <see cref="IpamService"/>, validated when the host starts.</summary>
public sealed class IpamOptions
{
    /// <summary>
    /// The reuse hold given to spaces created with <see cref="IpamService.CreateSpaceAsync(string, IEnumerable{Ipv4Prefix}, CancellationToken)"/>:
    /// how long a released address stays out of automatic allocation. Default 60 seconds; zero or more.
    /// </summary>
    public TimeSpan ReuseHold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The reserved-address policy given to those spaces. Default <see cref="ReservedAddressPolicy.Default"/>.</summary>
    public ReservedAddressPolicy DefaultReservedAddresses { get; set; } = ReservedAddressPolicy.Default;

    /// <summary>
    /// How many changes each subscriber of <see cref="IpamService.Changes"/> may fall behind before its oldest are dropped.
    /// Default <see cref="Changes.ChangeFeed.DefaultCapacity"/> (1024); 1 to <see cref="Changes.ChangeFeed.MaxCapacity"/> (1,048,576).
    /// </summary>
    public int ChangeFeedCapacity { get; set; } = Changes.ChangeFeed.DefaultCapacity;
}
