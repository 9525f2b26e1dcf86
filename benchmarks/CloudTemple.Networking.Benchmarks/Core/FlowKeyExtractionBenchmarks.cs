using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Buffers;
using CloudTemple.Networking.Packets;

namespace CloudTemple.Networking.Benchmarks.Core;

/// <summary>
/// The flow key of a 64-byte Ethernet/IPv4/TCP frame: in one call (<see cref="FlowKey.TryExtract(ReadOnlySpan{byte}, out FlowKey, out FlowKeyError)"/>)
/// against the views parsed step by step (Ethernet, IPv4, fragment check, TCP), and from a layout kept from an earlier parse.
/// </summary>
[MemoryDiagnoser]
public class FlowKeyExtractionBenchmarks
{
    private readonly byte[] _frame = new byte[64];
    private PacketLayout _layout;

    [GlobalSetup]
    public void Setup()
    {
        var source = Ipv4Address.Parse("10.0.1.7");
        var destination = Ipv4Address.Parse("192.0.2.9");
        int l2 = EthernetFrame.WriteHeader(_frame, MacAddress.Parse("02:00:00:00:00:02"), MacAddress.Parse("02:00:00:00:00:01"), EtherTypes.Ipv4);
        int l3 = Ipv4Packet.WriteHeader(_frame.AsSpan(l2), source, destination, IpProtocols.Tcp, _frame.Length - l2 - Ipv4Packet.MinHeaderLength);
        TcpSegment.WriteHeader(_frame.AsSpan(l2 + l3), 40000, 443, 1, 1, TcpFlags.Ack, 65535);
        if (!PacketLayout.TryParse(_frame, out _layout, out _) || !FlowKey.TryExtract(_frame, out var key, out _) || key.DestinationPort != 443)
        {
            throw new InvalidOperationException("The benchmark frame does not parse.");
        }
    }

    [Benchmark(Baseline = true)]
    public FlowKey ViewsStepByStep()
    {
        if (!EthernetFrame.TryParse(_frame, out var frame, out _) || frame.EtherType != EtherTypes.Ipv4
            || !Ipv4Packet.TryParse(frame.Payload, out var ip, out _) || ip.FragmentOffset != 0
            || ip.Protocol != IpProtocols.Tcp || !TcpSegment.TryParse(ip.Payload, out var tcp, out _))
        {
            return default;
        }

        return new FlowKey(ip.Source, ip.Destination, ip.Protocol, tcp.SourcePort, tcp.DestinationPort);
    }

    [Benchmark]
    public FlowKey TryExtract() => FlowKey.TryExtract(_frame, out var key, out _) ? key : default;

    [Benchmark]
    public FlowKey TryExtractFromStoredLayout() => FlowKey.TryExtract(_layout, _frame, out var key, out _) ? key : default;

    [Benchmark]
    public uint TryExtractAndStableHash() => FlowKey.TryExtract(_frame, out var key, out _) ? key.StableHash() : 0;
}
