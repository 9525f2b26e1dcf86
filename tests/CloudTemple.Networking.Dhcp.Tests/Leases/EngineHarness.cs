using CloudTemple.Networking.Dhcp.Protocol;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloudTemple.Networking.Dhcp.Tests.Leases;

/// <summary>A reply as a test sees it.</summary>
public sealed record Reply(
    DhcpMessageType Type,
    Ipv4Address YourAddress,
    Ipv4Address ClientAddress,
    ushort Flags,
    Dictionary<DhcpOptionCode, byte[]> Options,
    Ipv4Address Destination,
    int Port,
    int Length)
{
    public uint Seconds(DhcpOptionCode code) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Options[code]);

    public Ipv4Address Address(DhcpOptionCode code) => Ipv4Address.Read(Options[code]);
}

/// <summary>Builds client messages and runs them through an engine with an in-memory store and pool and a manual clock.</summary>
public sealed class EngineHarness : IDisposable
{
    public static readonly Ipv4Address ServerAddress = Ipv4Address.Parse("10.0.0.2");

    public EngineHarness(Action<DhcpServerOptions>? configure = null, Func<TimeProvider, IDhcpAddressPool>? pool = null, IMeterFactory? meterFactory = null)
    {
        Pool = pool?.Invoke(Clock) ?? new InMemoryDhcpAddressPool();
        Options = new DhcpServerOptions();
        var subnet = new DhcpSubnetOptions
        {
            Prefix = Ipv4Prefix.Parse("10.0.0.0/24"),
            PoolStart = Ipv4Address.Parse("10.0.0.100"),
            PoolEnd = Ipv4Address.Parse("10.0.0.199"),
            DomainName = "vpc.internal",
            Mtu = 1450,
            LeaseTime = TimeSpan.FromHours(1),
        };
        subnet.Routers.Add(Ipv4Address.Parse("10.0.0.1"));
        subnet.DnsServers.Add(Ipv4Address.Parse("10.0.0.2"));
        subnet.StaticRoutes.Add(new ClasslessStaticRoute(Ipv4Prefix.Parse("192.168.0.0/16"), Ipv4Address.Parse("10.0.0.254")));
        subnet.Reservations.Add(new DhcpReservation { HardwareAddress = MacAddress.Parse("02:00:00:00:00:aa"), Address = Ipv4Address.Parse("10.0.0.50"), HostName = "db" });
        Options.Subnets.Add(subnet);
        configure?.Invoke(Options);
        Engine = new DhcpLeaseEngine(Microsoft.Extensions.Options.Options.Create(Options), Store, Pool, Clock, meterFactory: meterFactory);
    }

    public DhcpServerOptions Options { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InMemoryLeaseStore Store { get; } = new();

    public IDhcpAddressPool Pool { get; }

    public DhcpLeaseEngine Engine { get; }

    public DhcpProcessResult LastResult { get; private set; }

    public static MacAddress Mac(int n) => new(0x020000000000UL | (uint)n);

    public static byte[] Message(
        DhcpMessageType type,
        MacAddress mac,
        Ipv4Address? requested = null,
        Ipv4Address? serverId = null,
        Ipv4Address ciaddr = default,
        Ipv4Address giaddr = default,
        bool broadcast = false,
        byte[]? clientId = null,
        byte[]? parameterRequestList = null,
        byte[]? relayInfo = null,
        uint xid = 0x12345678)
    {
        var buffer = new byte[1024];
        var writer = new DhcpMessageWriter(buffer)
        {
            OpCode = DhcpOpCode.BootRequest,
            TransactionId = xid,
            ClientAddress = ciaddr,
            GatewayAddress = giaddr,
            Flags = broadcast ? DhcpConstants.BroadcastFlag : (ushort)0,
        };
        writer.SetClientHardwareAddress(mac);
        writer.WriteMessageType(type);
        if (requested is { } r)
        {
            writer.WriteAddressOption(DhcpOptionCode.RequestedIPAddress, r);
        }

        if (serverId is { } s)
        {
            writer.WriteAddressOption(DhcpOptionCode.ServerIdentifier, s);
        }

        if (clientId is not null)
        {
            writer.WriteOption(DhcpOptionCode.ClientIdentifier, clientId);
        }

        if (parameterRequestList is not null)
        {
            writer.WriteOption(DhcpOptionCode.ParameterRequestList, parameterRequestList);
        }

        if (relayInfo is not null)
        {
            writer.WriteOption(DhcpOptionCode.RelayAgentInformation, relayInfo);
        }

        return buffer.AsSpan(0, writer.Complete()).ToArray();
    }

    public Reply? Send(byte[] request, Ipv4Address? localAddress = null)
    {
        var reply = new byte[1500];
        var result = Engine.ProcessAsync(request, reply, new DhcpRequestContext(localAddress ?? ServerAddress), CancellationToken.None)
            .AsTask().GetAwaiter().GetResult();
        LastResult = result;
        if (!result.HasReply)
        {
            return null;
        }

        Assert.True(DhcpMessageReader.TryParse(reply.AsSpan(0, result.Length), out var message, out var error), error.ToString());
        var options = new Dictionary<DhcpOptionCode, byte[]>();
        foreach (var option in message.Options)
        {
            options[option.Code] = option.Value.ToArray();
        }

        Assert.Equal(DhcpOpCode.BootReply, message.OpCode);
        return new Reply(message.MessageType, message.YourAddress, message.ClientAddress, message.Flags, options, result.Destination, result.DestinationPort, result.Length);
    }

    public Reply? Discover(MacAddress mac, Ipv4Address? requested = null, byte[]? clientId = null) =>
        Send(Message(DhcpMessageType.Discover, mac, requested: requested, clientId: clientId));

    /// <summary>DISCOVER then REQUEST in SELECTING: returns the ACK (or NAK).</summary>
    public Reply? Acquire(MacAddress mac, byte[]? clientId = null)
    {
        var offer = Discover(mac, clientId: clientId);
        Assert.NotNull(offer);
        return Send(Message(DhcpMessageType.Request, mac, requested: offer.YourAddress, serverId: ServerAddress, clientId: clientId));
    }

    public void Advance(TimeSpan by) => Clock.Advance(by);

    public int Reclaim() => Engine.ReclaimExpiredAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public DhcpLease? LeaseOf(Ipv4Address address) => Store.FindByAddressAsync(address, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public long Allocated() => Pool.CountAllocatedAsync(Engine.Subnets[0], CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public void Dispose() => Engine.Dispose();
}
