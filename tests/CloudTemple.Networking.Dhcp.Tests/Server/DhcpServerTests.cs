using System.Net;
using System.Net.Sockets;
using CloudTemple.Networking.Dhcp.Protocol;
using CloudTemple.Networking.Dhcp.Tests.Leases;
using CloudTemple.Networking.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Dhcp.Tests.Server;

/// <summary>The UDP server on the loopback interface, with test ports so that nothing else is disturbed.</summary>
public class DhcpServerTests
{
    private static readonly int ServerPort = 20000 + Random.Shared.Next(10000);
    private static readonly int ClientPort = ServerPort + 1;

    private static ServiceProvider BuildServer(string interfaceName = "lo")
    {
        var services = new ServiceCollection();
        services.AddDhcpServer(o =>
        {
            o.InterfaceName = interfaceName;
            o.InterfaceAddress = Ipv4Address.Parse("127.0.0.1");
            o.ServerPort = ServerPort;
            o.ClientPort = ClientPort;
            o.ReceiveConcurrency = 2;
            var subnet = new DhcpSubnetOptions { Prefix = Ipv4Prefix.Parse("127.0.0.0/24"), PoolStart = Ipv4Address.Parse("127.0.0.100") };
            subnet.Routers.Add(Ipv4Address.Parse("127.0.0.1"));
            o.Subnets.Add(subnet);
        });
        return services.BuildServiceProvider();
    }

    private static Socket UdpSocket(IPEndPoint bind)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(bind);
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    [SkippableFact]
    public async Task An_inform_over_udp_is_answered_by_unicast_to_ciaddr()
    {
        Interop.RequireRoot();
        await using var provider = BuildServer();
        var server = provider.GetRequiredService<DhcpServer>();
        await server.StartAsync(default);
        try
        {
            using var client = UdpSocket(new IPEndPoint(IPAddress.Parse("127.0.0.5"), ClientPort));
            var inform = EngineHarness.Message(DhcpMessageType.Inform, EngineHarness.Mac(1), ciaddr: Ipv4Address.Parse("127.0.0.5"));
            await client.SendToAsync(inform, new IPEndPoint(IPAddress.Loopback, ServerPort));

            var buffer = new byte[1500];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            int n = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.True(DhcpMessageReader.TryParse(buffer.AsSpan(0, n), out var reply, out _));
            Assert.Equal(DhcpMessageType.Ack, reply.MessageType);
            Assert.Equal(Ipv4Address.Parse("127.0.0.5"), reply.ClientAddress);
        }
        finally
        {
            await server.StopAsync(default);
        }
    }

    [SkippableFact]
    public async Task A_relayed_discover_over_udp_is_answered_to_the_relay()
    {
        Interop.RequireRoot();
        await using var provider = BuildServer();
        var server = provider.GetRequiredService<DhcpServer>();
        await server.StartAsync(default);
        try
        {
            using var relay = UdpSocket(new IPEndPoint(IPAddress.Parse("127.0.0.9"), ServerPort));
            var discover = EngineHarness.Message(DhcpMessageType.Discover, EngineHarness.Mac(2), giaddr: Ipv4Address.Parse("127.0.0.9"));
            await relay.SendToAsync(discover, new IPEndPoint(IPAddress.Loopback, ServerPort));

            var buffer = new byte[1500];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            int n = await relay.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.True(DhcpMessageReader.TryParse(buffer.AsSpan(0, n), out var reply, out _));
            Assert.Equal(DhcpMessageType.Offer, reply.MessageType);
            Assert.True(Ipv4Prefix.Parse("127.0.0.0/24").Contains(reply.YourAddress));
            Assert.True(n >= DhcpConstants.MinimumMessageLength);
        }
        finally
        {
            await server.StopAsync(default);
        }
    }

    [SkippableFact]
    public async Task An_interface_that_does_not_exist_is_named_at_start_even_with_its_address_configured()
    {
        Interop.RequireRoot();
        await using var provider = BuildServer("ct-absent0");
        var server = provider.GetRequiredService<DhcpServer>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartAsync(default));

        Assert.Equal("Interface 'ct-absent0' does not exist.", error.Message);
    }

    [Fact]
    public void Options_without_an_interface_are_refused_at_start()
    {
        var services = new ServiceCollection();
        services.AddDhcpServer(o => o.Subnets.Add(new DhcpSubnetOptions { Prefix = Ipv4Prefix.Parse("10.0.0.0/24") }));
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DhcpServerOptions>>().Value);
        Assert.Contains("InterfaceName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_in_process_engine_serves_without_sockets_and_backends_can_be_replaced()
    {
        var services = new ServiceCollection();
        services.AddDhcpLeaseEngine(o =>
        {
            var subnet = new DhcpSubnetOptions { Prefix = Ipv4Prefix.Parse("10.0.0.0/24"), ServerIdentifier = Ipv4Address.Parse("10.0.0.1") };
            o.Subnets.Add(subnet);
        }).UseLeaseStore<CountingStore>();
        services.AddDhcpLeaseEngine(_ => { });
        await using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<DhcpLeaseEngine>();
        var reply = new byte[1500];
        var result = await engine.ProcessAsync(EngineHarness.Message(DhcpMessageType.Discover, EngineHarness.Mac(1)), reply, default, default);

        Assert.Equal(DhcpMessageType.Offer, result.ReplyType);
        Assert.Equal(1, provider.GetRequiredService<ILeaseStore>() is CountingStore store ? store.Saves : 0);
        Assert.Empty(provider.GetServices<IHostedService>());
    }

    public sealed class CountingStore : ILeaseStore
    {
        private readonly InMemoryLeaseStore _inner = new();

        public int Saves { get; private set; }

        public ValueTask<DhcpLease?> FindByAddressAsync(Ipv4Address address, CancellationToken cancellationToken) => _inner.FindByAddressAsync(address, cancellationToken);

        public ValueTask<DhcpLease?> FindByClientAsync(Ipv4Prefix subnet, DhcpClientKey client, CancellationToken cancellationToken) => _inner.FindByClientAsync(subnet, client, cancellationToken);

        public ValueTask SaveAsync(DhcpLease lease, CancellationToken cancellationToken)
        {
            Saves++;
            return _inner.SaveAsync(lease, cancellationToken);
        }

        public ValueTask<bool> RemoveAsync(Ipv4Address address, CancellationToken cancellationToken) => _inner.RemoveAsync(address, cancellationToken);

        public ValueTask<IReadOnlyList<DhcpLease>> FindExpiredAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken) => _inner.FindExpiredAsync(now, maxCount, cancellationToken);

        public ValueTask<IReadOnlyList<DhcpLease>> ListAsync(CancellationToken cancellationToken) => _inner.ListAsync(cancellationToken);
    }
}
