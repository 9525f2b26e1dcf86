using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Dhcp;
using CloudTemple.Networking.Dhcp.Protocol;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Benchmarks.Dhcp;

/// <summary>
/// The in-process entry: a full DISCOVER/OFFER/REQUEST/ACK exchange (then RELEASE, so the pool never runs out)
/// against an INFORM, which touches no lease state (the cost of parsing and replying alone).
/// </summary>
[MemoryDiagnoser]
public class DhcpEngineBenchmarks
{
    private static readonly Ipv4Address Server = new(0x0A000002);
    private readonly byte[] _reply = new byte[1500];
    private readonly byte[] _request = new byte[400];
    private readonly byte[][] _discover = new byte[256][];
    private readonly byte[] _inform = Message(DhcpMessageType.Inform, 1, ciaddr: new Ipv4Address(0x0A000005));
    private DhcpLeaseEngine _engine = null!;
    private int _client;

    [GlobalSetup]
    public void Setup()
    {
        var options = new DhcpServerOptions();
        var subnet = new DhcpSubnetOptions { Prefix = Ipv4Prefix.Parse("10.0.0.0/16"), Mtu = 1450, DomainName = "vpc.internal" };
        subnet.Routers.Add(new Ipv4Address(0x0A000001));
        subnet.DnsServers.Add(Server);
        options.Subnets.Add(subnet);
        _engine = new DhcpLeaseEngine(Options.Create(options), new InMemoryLeaseStore(), new InMemoryDhcpAddressPool(), TimeProvider.System);
        for (int i = 0; i < _discover.Length; i++)
        {
            _discover[i] = Message(DhcpMessageType.Discover, i);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<int> Inform() =>
        (await _engine.ProcessAsync(_inform, _reply, new DhcpRequestContext(Server), default)).Length;

    [Benchmark]
    public async Task<int> DiscoverRequestRelease()
    {
        int client = _client++ & 255;
        var offer = await _engine.ProcessAsync(_discover[client], _reply, new DhcpRequestContext(Server), default);
        var address = Ipv4Address.Read(_reply.AsSpan(16));
        int length = Write(_request, DhcpMessageType.Request, client, requested: address, serverId: Server);
        var ack = await _engine.ProcessAsync(_request.AsMemory(0, length), _reply, new DhcpRequestContext(Server), default);
        length = Write(_request, DhcpMessageType.Release, client, ciaddr: address, serverId: Server);
        await _engine.ProcessAsync(_request.AsMemory(0, length), _reply, new DhcpRequestContext(Server), default);
        return offer.Length + ack.Length;
    }

    private static byte[] Message(DhcpMessageType type, int client, Ipv4Address? requested = null, Ipv4Address? serverId = null, Ipv4Address ciaddr = default)
    {
        var buffer = new byte[400];
        return buffer.AsSpan(0, Write(buffer, type, client, requested, serverId, ciaddr)).ToArray();
    }

    // Writes a client message into a reused buffer, so that the client's side allocates nothing.
    private static int Write(byte[] buffer, DhcpMessageType type, int client, Ipv4Address? requested = null, Ipv4Address? serverId = null, Ipv4Address ciaddr = default)
    {
        var writer = new DhcpMessageWriter(buffer) { OpCode = DhcpOpCode.BootRequest, TransactionId = (uint)client, ClientAddress = ciaddr };
        writer.SetClientHardwareAddress(new MacAddress(0x020000000000UL | (uint)client));
        writer.WriteMessageType(type);
        if (requested is { } r)
        {
            writer.WriteAddressOption(DhcpOptionCode.RequestedIPAddress, r);
        }

        if (serverId is { } s)
        {
            writer.WriteAddressOption(DhcpOptionCode.ServerIdentifier, s);
        }

        writer.WriteOption(DhcpOptionCode.ParameterRequestList, [1, 3, 6, 15, 26, 121]);
        return writer.Complete();
    }
}
