using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Packets;
using CloudTemple.Networking.Rewrites;

namespace CloudTemple.Networking.Benchmarks.Core;

/// <summary>
/// Source NAT of a 64-byte TCP or UDP packet (address and port): full recomputation of the IPv4 header checksum and the
/// TCP/UDP checksum (baseline) against the incremental rewrite (RFC 1624) per call and with a per-flow precomputed delta.
/// Each invocation rewrites the packet to the public endpoint and back, so every run sees the same bytes; the figures are
/// per rewrite.
/// </summary>
[MemoryDiagnoser]
public class PacketRewriteBenchmarks
{
    private const int Rewrites = 2;
    private static readonly Ipv4Address Private = Ipv4Address.Parse("10.0.1.10");
    private static readonly Ipv4Address Public = Ipv4Address.Parse("203.0.113.5");
    private static readonly Ipv4Address Remote = Ipv4Address.Parse("192.0.2.7");
    private const ushort PrivatePort = 40000;
    private const ushort PublicPort = 61000;

    private readonly EndpointRewrite _outbound = EndpointRewrite.Source(Private, PrivatePort, Public, PublicPort);
    private readonly EndpointRewrite _back = EndpointRewrite.Source(Public, PublicPort, Private, PrivatePort);
    private byte[] _packet = [];

    [Params("TCP", "UDP")]
    public string Protocol { get; set; } = "TCP";

    [GlobalSetup]
    public void Setup()
    {
        _packet = new byte[64];
        if (Protocol == "TCP")
        {
            Ipv4Packet.WriteHeader(_packet, Private, Remote, IpProtocols.Tcp, 44);
            TcpSegment.WriteHeader(_packet.AsSpan(20), PrivatePort, 443, 1, 1, TcpFlags.Ack | TcpFlags.Psh, 64240);
            _packet.AsSpan(40).Fill(0x42);
            if (!TcpSegment.TryParse(_packet.AsSpan(20), out var tcp, out _))
            {
                throw new InvalidOperationException("The TCP packet does not parse.");
            }

            tcp.UpdateChecksum(Private, Remote);
        }
        else
        {
            Ipv4Packet.WriteHeader(_packet, Private, Remote, IpProtocols.Udp, 44);
            UdpDatagram.WriteHeader(_packet.AsSpan(20), PrivatePort, 443, 36);
            _packet.AsSpan(28).Fill(0x42);
            if (!UdpDatagram.TryParse(_packet.AsSpan(20), out var udp, out _))
            {
                throw new InvalidOperationException("The UDP packet does not parse.");
            }

            udp.UpdateChecksum(Private, Remote);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rewrites)]
    public bool FullRecomputation() => Recompute(Public, PublicPort) & Recompute(Private, PrivatePort);

    [Benchmark(OperationsPerInvoke = Rewrites)]
    public bool Incremental()
    {
        return Ipv4Packet.TryParse(_packet, out var ip, out _)
            && ip.TryRewriteSource(Public, PublicPort) & ip.TryRewriteSource(Private, PrivatePort);
    }

    [Benchmark(OperationsPerInvoke = Rewrites)]
    public bool PrecomputedDelta()
    {
        return Ipv4Packet.TryParse(_packet, out var ip, out _)
            && _outbound.TryApply(ip) & _back.TryApply(ip);
    }

    // Writes the endpoint and sums the header and the whole segment again, as a rewrite without RFC 1624 would.
    private bool Recompute(Ipv4Address address, ushort port)
    {
        if (!Ipv4Packet.TryParse(_packet, out var ip, out _))
        {
            return false;
        }

        address.WriteTo(ip.Buffer[12..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Payload, port);
        ip.UpdateHeaderChecksum();
        if (ip.Protocol == IpProtocols.Tcp && TcpSegment.TryParse(ip.Payload, out var tcp, out _))
        {
            tcp.UpdateChecksum(ip.Source, ip.Destination);
            return true;
        }

        if (UdpDatagram.TryParse(ip.Payload, out var udp, out _))
        {
            udp.UpdateChecksum(ip.Source, ip.Destination);
            return true;
        }

        return false;
    }
}
