using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Dhcp;

/// <summary>Options of the DHCP lease engine and of its UDP server.</summary>
/// <remarks>
/// Not thread-safe while being configured; validated at start by <see cref="DhcpServerOptionsValidator"/> (ranges and
/// formats from the DataAnnotations attributes, then the rules that involve several values). Bound from configuration by
/// <c>services.AddDhcpServer(configuration.GetSection("Dhcp"))</c>: addresses, prefixes and MAC addresses as text
/// (<c>"10.0.1.0/24"</c>, <c>"02:00:5e:10:00:01"</c>), times as <see cref="TimeSpan"/> text (<c>"01:00:00"</c>).
/// Read once, when the lease engine is created: a reload of the section does not reach a running server.
/// </remarks>
public sealed class DhcpServerOptions
{
    /// <summary>The subnets served; the one containing giaddr (relayed) or the receiving interface's address is chosen per request.</summary>
    [ValidateEnumeratedItems]
    public IList<DhcpSubnetOptions> Subnets { get; } = [];

    /// <summary>What identifies a client (see <see cref="DhcpClientIdentification"/>).</summary>
    public DhcpClientIdentification ClientIdentification { get; set; }

    /// <summary>How long an offered address stays held for the client that was offered it. Default 30 s; more than zero, at most one day.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", MinimumIsExclusive = true)]
    public TimeSpan OfferHoldTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a declined address stays out of the pool (probation). Default 24 h, as Kea; zero to 365 days.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan DeclineProbation { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired offers, leases and probations are reclaimed. Default 5 s; more than zero, at most one day.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", MinimumIsExclusive = true)]
    public TimeSpan ReclaimInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The interface the UDP server binds to (SO_BINDTODEVICE), for example <c>eth0</c> (at most 15 characters, as Linux). Required by the hosted server.</summary>
    [MaxLength(15)]
    public string? InterfaceName { get; set; }

    /// <summary>The address of the interface used to select the subnet of direct (not relayed) requests; by default its first IPv4 address.</summary>
    public Ipv4Address? InterfaceAddress { get; set; }

    /// <summary>The UDP port the server listens on. Default 67.</summary>
    [Range(1, 65535)]
    public int ServerPort { get; set; } = Protocol.DhcpConstants.ServerPort;

    /// <summary>The UDP port replies to clients go to. Default 68.</summary>
    [Range(1, 65535)]
    public int ClientPort { get; set; } = Protocol.DhcpConstants.ClientPort;

    /// <summary>
    /// How many lease events each subscriber of <see cref="DhcpLeaseEngine.Changes"/> may fall behind before its oldest are dropped.
    /// Default <see cref="Changes.ChangeFeed.DefaultCapacity"/> (1024); 1 to <see cref="Changes.ChangeFeed.MaxCapacity"/> (1,048,576).
    /// </summary>
    [Range(1, Changes.ChangeFeed.MaxCapacity)]
    public int ChangeFeedCapacity { get; set; } = Changes.ChangeFeed.DefaultCapacity;

    /// <summary>The socket receive buffer in bytes, which absorbs bursts. Default 4 MiB; at least 4096.</summary>
    [Range(4096, int.MaxValue)]
    public int ReceiveBufferSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How many receive loops run in parallel. Default: 64, or four per processor when that is more. A loop
    /// waiting for a durable store does not use a processor, and requests in flight together are what a
    /// store commits together. 1 to 4096.
    /// </summary>
    [Range(1, 4096)]
    public int ReceiveConcurrency { get; set; } = Math.Max(64, 4 * Environment.ProcessorCount);
}
