namespace CloudTemple.Networking.Dhcp;

/// <summary>Options of the DHCP lease engine and of its UDP server.</summary>
/// <remarks>Not thread-safe while being configured; validated at start by <see cref="DhcpServerOptionsValidator"/>.</remarks>
public sealed class DhcpServerOptions
{
    /// <summary>The subnets served; the one containing giaddr (relayed) or the receiving interface's address is chosen per request.</summary>
    public IList<DhcpSubnetOptions> Subnets { get; } = [];

    /// <summary>What identifies a client (see <see cref="DhcpClientIdentification"/>).</summary>
    public DhcpClientIdentification ClientIdentification { get; set; }

    /// <summary>How long an offered address stays held for the client that was offered it. Default 30 s.</summary>
    public TimeSpan OfferHoldTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a declined address stays out of the pool (probation). Default 24 h, as Kea.</summary>
    public TimeSpan DeclineProbation { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired offers, leases and probations are reclaimed. Default 5 s.</summary>
    public TimeSpan ReclaimInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The interface the UDP server binds to (SO_BINDTODEVICE), for example <c>eth0</c>. Required by the hosted server.</summary>
    public string? InterfaceName { get; set; }

    /// <summary>The address of the interface used to select the subnet of direct (not relayed) requests; by default its first IPv4 address.</summary>
    public Ipv4Address? InterfaceAddress { get; set; }

    /// <summary>The UDP port the server listens on. Default 67.</summary>
    public int ServerPort { get; set; } = Protocol.DhcpConstants.ServerPort;

    /// <summary>The UDP port replies to clients go to. Default 68.</summary>
    public int ClientPort { get; set; } = Protocol.DhcpConstants.ClientPort;

    /// <summary>
    /// How many lease events each subscriber of <see cref="DhcpLeaseEngine.Changes"/> may fall behind before its oldest are dropped.
    /// Default <see cref="Changes.ChangeFeed.DefaultCapacity"/> (1024); 1 to <see cref="Changes.ChangeFeed.MaxCapacity"/> (1,048,576).
    /// </summary>
    public int ChangeFeedCapacity { get; set; } = Changes.ChangeFeed.DefaultCapacity;

    /// <summary>The socket receive buffer in bytes, which absorbs bursts. Default 4 MiB.</summary>
    public int ReceiveBufferSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How many receive loops run in parallel. Default: 64, or four per processor when that is more. A loop
    /// waiting for a durable store does not use a processor, and requests in flight together are what a
    /// store commits together.
    /// </summary>
    public int ReceiveConcurrency { get; set; } = Math.Max(64, 4 * Environment.ProcessorCount);
}
