using System.Buffers;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Buffers;
using CloudTemple.Networking.Packets;

namespace CloudTemple.Networking.Benchmarks.Core;

/// <summary>
/// VXLAN encapsulation (RFC 7348): 50 bytes of outer Ethernet, IPv4, UDP and VXLAN header in front of a frame,
/// written into a <see cref="PacketBuffer"/>'s headroom against the copying way (rent a new array, write the
/// header, copy the frame after it). Each headroom iteration trims the header off again, so every one starts
/// from the same frame; the UDP checksum is 0, as RFC 7348 allows over IPv4.
/// </summary>
[MemoryDiagnoser]
public class EncapsulationBenchmarks
{
    private const int OuterLength = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + UdpDatagram.HeaderLength + VxlanLength;
    private const int VxlanLength = 8;
    private const uint Vni = 0x00ABCD;

    private static readonly MacAddress LocalMac = MacAddress.Parse("02:00:00:00:0a:01");
    private static readonly MacAddress RemoteMac = MacAddress.Parse("02:00:00:00:0a:02");
    private static readonly Ipv4Address LocalVtep = Ipv4Address.Parse("172.16.0.1");
    private static readonly Ipv4Address RemoteVtep = Ipv4Address.Parse("172.16.0.2");

    private byte[] _frame = [];
    private PacketBuffer? _buffer;
    private ushort _sourcePort;

    /// <summary>A minimal frame and one near the overlay MTU.</summary>
    [Params(64, 1400)]
    public int FrameLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frame = new byte[FrameLength];
        new Random(7348).NextBytes(_frame);
        _buffer = PacketBuffer.CopyOf(_frame);

        // RFC 7348: the outer source port comes from a hash of the inner frame's flow, in the dynamic range.
        var flow = new FlowKey(Ipv4Address.Parse("10.0.1.7"), Ipv4Address.Parse("10.0.2.9"), IpProtocols.Tcp, 40000, 443);
        _sourcePort = (ushort)(49152 + (flow.StableHash() % 16384));
    }

    [GlobalCleanup]
    public void Cleanup() => _buffer?.Dispose();

    [Benchmark(Baseline = true)]
    public int CopyIntoRentedArray()
    {
        var array = ArrayPool<byte>.Shared.Rent(OuterLength + _frame.Length);
        WriteOuterHeaders(array, _frame.Length);
        _frame.CopyTo(array.AsSpan(OuterLength));
        int checksum = array[24] | (array[25] << 8);
        ArrayPool<byte>.Shared.Return(array);
        return checksum;
    }

    [Benchmark]
    public int CopyIntoNewArray()
    {
        var array = new byte[OuterLength + _frame.Length];
        WriteOuterHeaders(array, _frame.Length);
        _frame.CopyTo(array.AsSpan(OuterLength));
        return array[24] | (array[25] << 8);
    }

    [Benchmark]
    public int PrependIntoHeadroom()
    {
        var buffer = _buffer!;
        int innerLength = buffer.Length;
        var outer = buffer.Prepend(OuterLength);
        WriteOuterHeaders(outer, innerLength);
        int checksum = outer[24] | (outer[25] << 8);
        buffer.TrimFront(OuterLength);
        return checksum;
    }

    private void WriteOuterHeaders(Span<byte> destination, int innerLength)
    {
        int udpPayload = VxlanLength + innerLength;
        int offset = EthernetFrame.WriteHeader(destination, RemoteMac, LocalMac, EtherTypes.Ipv4);
        offset += Ipv4Packet.WriteHeader(destination[offset..], LocalVtep, RemoteVtep, IpProtocols.Udp, UdpDatagram.HeaderLength + udpPayload);
        offset += UdpDatagram.WriteHeader(destination[offset..], _sourcePort, 4789, udpPayload);

        // VXLAN header by hand: flags with I set, 24 reserved bits, the 24-bit VNI, 8 reserved bits.
        BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], 0x0800_0000);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 4)..], Vni << 8);
    }
}
