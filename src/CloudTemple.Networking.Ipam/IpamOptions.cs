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

    /// <summary>How many changes each change-feed subscriber may fall behind before its oldest are dropped. Default 1024; 1 to 1,000,000.</summary>
    public int ChangeFeedCapacity { get; set; } = 1024;
}
