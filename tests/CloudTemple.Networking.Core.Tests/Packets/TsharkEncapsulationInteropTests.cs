using System.Globalization;
using CloudTemple.Networking.Packets;
using CloudTemple.Networking.Testing;

namespace CloudTemple.Networking.Core.Tests.Packets;

/// <summary>
/// ICMP errors, VXLAN-encapsulated frames and QinQ frames written by the library are decoded by a real peer, tshark,
/// with IPv4, UDP and TCP checksum validation on (ICMP checksums are always validated): every field must decode as
/// written, no checksum may be bad, no field malformed, and no expert item of warning or error severity.
/// </summary>
public class TsharkEncapsulationInteropTests
{
    private const string Good = "1"; // Wireshark's checksum status: 0 bad, 1 good, 2 unverified.
    private const int ExpertWarning = 0x00600000; // Wireshark's PI_WARN; PI_ERROR is 0x00800000.

    private static readonly MacAddress Vm = MacAddress.Parse("02:00:0a:00:01:0a");
    private static readonly MacAddress RouterMac = MacAddress.Parse("02:00:0a:00:01:01");
    private static readonly MacAddress VtepA = MacAddress.Parse("02:00:c0:a8:00:0a");
    private static readonly MacAddress VtepB = MacAddress.Parse("02:00:c0:a8:00:0b");
    private static readonly Ipv4Address VmAddress = Ipv4Address.Parse("10.0.1.10");
    private static readonly Ipv4Address Router = Ipv4Address.Parse("10.0.1.1");
    private static readonly Ipv4Address Remote = Ipv4Address.Parse("192.0.2.7");
    private static readonly Ipv4Address UnderlayA = Ipv4Address.Parse("192.168.0.10");
    private static readonly Ipv4Address UnderlayB = Ipv4Address.Parse("192.168.0.11");

    [SkippableFact]
    public void Tshark_decodes_icmp_errors_vxlan_and_qinq_frames_without_a_bad_checksum_or_malformed_field()
    {
        string tshark = Interop.RequireTool("tshark", "tshark");
        string pcap = Path.Combine(Path.GetTempPath(), $"ct-core-encap-{Guid.NewGuid():N}.pcap");
        try
        {
            using (var writer = new PcapWriter(pcap))
            {
                writer.Write(UnreachableFrame(UdpPacket(VmAddress, Remote, 40000, 40001, 40), DestinationUnreachableCode.PortUnreachable));              // 1
                writer.Write(UnreachableFrame(TcpSyn(VmAddress, Remote), DestinationUnreachableCode.CommunicationAdministrativelyProhibited));        // 2
                writer.Write(UnreachableFrame(UdpPacket(VmAddress, Remote, 40000, 40001, 40), DestinationUnreachableCode.HostUnreachable));              // 3
                writer.Write(UnreachableFrame(UdpPacket(VmAddress, Remote, 40000, 40001, 40), DestinationUnreachableCode.HostAdministrativelyProhibited)); // 4
                writer.Write(FragmentationNeededFrame(UdpPacket(VmAddress, Remote, 40000, 40001, 1472), 1450));                                       // 5: quote truncated at 576
                writer.Write(TimeExceededFrame(EchoRequest(VmAddress, Remote, 0x4242), TimeExceededCode.TimeToLiveExceededInTransit));              // 6
                writer.Write(TimeExceededFrame(UdpPacket(VmAddress, Remote, 40000, 40001, 600), TimeExceededCode.FragmentReassemblyTimeExceeded));    // 7
                writer.Write(VxlanFrame(5001, InnerFrame()));                                                                                      // 8
                writer.Write(VxlanFrame(VxlanHeader.MaxVni, QinQFrame(serviceVlan: 300, customerVlan: 100)));                                      // 9: QinQ inside VXLAN
                writer.Write(QinQFrame(serviceVlan: 300, customerVlan: 100));                                                                      // 10
                writer.Write(PushedDoubleQFrame());                                                                                                // 11: 802.1Q in 802.1Q by push
            }

            string[] checkOptions = ["-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE"];
            var result = ExternalProcess.Run(tshark,
            [
                "-n", "-r", pcap, .. checkOptions, "-T", "fields", "-E", "separator=|", "-E", "aggregator=;",
                "-e", "frame.number", "-e", "ip.src", "-e", "ip.checksum.status", "-e", "icmp.type", "-e", "icmp.code",
                "-e", "icmp.checksum.status", "-e", "icmp.mtu", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.checksum.status",
                "-e", "tcp.dstport", "-e", "icmp.ident", "-e", "vxlan.flag_i", "-e", "vxlan.vni", "-e", "ieee8021ad.id", "-e", "ieee8021ad.priority",
                "-e", "vlan.id", "-e", "vlan.priority", "-e", "eth.type", "-e", "_ws.malformed", "-e", "_ws.expert.severity", "-e", "_ws.expert.message",
            ]).EnsureSuccess("tshark");

            var rows = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).ToArray();
            Assert.True(rows.Length == 11, result.StandardOutput);
            string Field(int frame, int column) => rows[frame - 1][column];

            // ICMP errors: outer source is the router, the quoted source the VM; type, code, a good ICMP checksum.
            (int Frame, string Type, string Code)[] errors = [(1, "3", "3"), (2, "3", "13"), (3, "3", "1"), (4, "3", "10"), (5, "3", "4"), (6, "11;8", "0;0"), (7, "11", "1")];
            foreach (var (frame, type, code) in errors)
            {
                Assert.True(Field(frame, 1) == "10.0.1.1;10.0.1.10", $"frame {frame}: {string.Join('|', rows[frame - 1])}");
                Assert.Equal(Good + ";" + Good, Field(frame, 2)); // the error's header and the quoted one
                Assert.Equal(type, Field(frame, 3));
                Assert.Equal(code, Field(frame, 4));
                Assert.StartsWith(Good, Field(frame, 5), StringComparison.Ordinal);
            }

            Assert.Equal(["40000", "40001"], rows[0][7..9]);
            Assert.Equal("443", Field(2, 10));
            Assert.Equal("1450", Field(5, 6));
            Assert.Equal(("40001", "2"), (Field(5, 8), Field(5, 9))); // the truncated quote's UDP checksum cannot be verified
            Assert.Equal(("40001", Good), (Field(1, 8), Field(1, 9))); // a whole quote's can
            Assert.Equal("16962", Field(6, 11));

            // VXLAN: outer UDP to 4789 with a good checksum, the I flag, the VNI, the inner frame's fields.
            Assert.Equal("192.168.0.10;10.0.1.10", Field(8, 1));
            Assert.Equal("4789", Field(8, 8).Split(';')[0]);
            Assert.Equal(Good + ";" + Good, Field(8, 9));
            Assert.Equal(("1", "1"), (Field(8, 12), Field(9, 12)));
            Assert.Equal("5001", Field(8, 13));
            Assert.Equal("16777215", Field(9, 13));
            Assert.Equal(("300", "3"), (Field(9, 14), Field(9, 15)));
            Assert.Equal(("100", "5"), (Field(9, 16), Field(9, 17)));

            // QinQ: the S-tag is decoded by the 802.1ad dissector, the C-tag by the 802.1Q one.
            Assert.Equal(("300", "3"), (Field(10, 14), Field(10, 15)));
            Assert.Equal(("100", "5"), (Field(10, 16), Field(10, 17)));
            Assert.Equal(("10.0.1.10", Good), (Field(10, 1), Field(10, 9)));
            Assert.Equal("200;100", Field(11, 16));

            foreach (var row in rows)
            {
                Assert.True(row[19].Length == 0, $"tshark reports frame {row[0]} malformed.");
                var severities = row[20].Split(';', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture));
                Assert.True(severities.All(s => s < ExpertWarning), $"frame {row[0]}: expert info {row[21]}");
            }
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    private static byte[] UnreachableFrame(byte[] offending, DestinationUnreachableCode code) =>
        ErrorFrame(offending, (destination, packet) =>
            IcmpError.TryWriteDestinationUnreachable(destination, packet, Router, code, out int written) ? written : 0);

    private static byte[] FragmentationNeededFrame(byte[] offending, ushort mtu) =>
        ErrorFrame(offending, (destination, packet) =>
            IcmpError.TryWriteFragmentationNeeded(destination, packet, Router, mtu, out int written) ? written : 0);

    private static byte[] TimeExceededFrame(byte[] offending, TimeExceededCode code) =>
        ErrorFrame(offending, (destination, packet) =>
            IcmpError.TryWriteTimeExceeded(destination, packet, Router, code, out int written) ? written : 0);

    private delegate int ErrorWriter(Span<byte> destination, Ipv4Packet offending);

    private static byte[] ErrorFrame(byte[] offending, ErrorWriter write)
    {
        Assert.True(Ipv4Packet.TryParse(offending, out var packet, out _));
        var frame = new byte[14 + IcmpError.DefaultMaxLength];
        EthernetFrame.WriteHeader(frame, Vm, RouterMac, EtherTypes.Ipv4);
        int written = write(frame.AsSpan(14), packet);
        Assert.True(written > 0);
        return frame[..(14 + written)];
    }

    private static byte[] UdpPacket(Ipv4Address source, Ipv4Address destination, ushort sourcePort, ushort destinationPort, int payloadLength, ReadOnlySpan<byte> payload = default)
    {
        var bytes = new byte[28 + payloadLength];
        Ipv4Packet.WriteHeader(bytes, source, destination, IpProtocols.Udp, 8 + payloadLength, identification: 99);
        UdpDatagram.WriteHeader(bytes.AsSpan(20), sourcePort, destinationPort, payloadLength);
        if (payload.IsEmpty)
        {
            bytes.AsSpan(28).Fill((byte)'x');
        }
        else
        {
            payload.CopyTo(bytes.AsSpan(28));
        }

        Assert.True(UdpDatagram.TryParse(bytes.AsSpan(20), out var udp, out _));
        udp.UpdateChecksum(source, destination);
        return bytes;
    }

    private static byte[] TcpSyn(Ipv4Address source, Ipv4Address destination)
    {
        var bytes = new byte[20 + 24];
        Ipv4Packet.WriteHeader(bytes, source, destination, IpProtocols.Tcp, 24);
        TcpSegment.WriteHeader(bytes.AsSpan(20), 40000, 443, 123456, 0, TcpFlags.Syn, 64240, [0x02, 0x04, 0x05, 0xB4]);
        Assert.True(TcpSegment.TryParse(bytes.AsSpan(20), out var tcp, out _));
        tcp.UpdateChecksum(source, destination);
        return bytes;
    }

    private static byte[] EchoRequest(Ipv4Address source, Ipv4Address destination, ushort identifier)
    {
        var bytes = new byte[20 + 8 + 56];
        Ipv4Packet.WriteHeader(bytes, source, destination, IpProtocols.Icmp, 8 + 56, timeToLive: 1);
        IcmpMessage.WriteHeader(bytes.AsSpan(20), IcmpTypes.EchoRequest, 0, identifier, 1);
        Assert.True(IcmpMessage.TryParse(bytes.AsSpan(20), out var icmp, out _));
        icmp.UpdateChecksum();
        return bytes;
    }

    private static byte[] InnerFrame()
    {
        var packet = UdpPacket(VmAddress, Remote, 40000, 40001, 33);
        var frame = new byte[14 + packet.Length];
        EthernetFrame.WriteHeader(frame, RouterMac, Vm, EtherTypes.Ipv4);
        packet.CopyTo(frame, 14);
        return frame;
    }

    private static byte[] QinQFrame(ushort serviceVlan, ushort customerVlan)
    {
        var packet = UdpPacket(VmAddress, Remote, 40000, 40001, 33);
        var frame = new byte[22 + packet.Length];
        EthernetFrame.WriteDoubleTaggedHeader(frame, RouterMac, Vm, VlanTag.Service(serviceVlan, 3), VlanTag.Customer(customerVlan, 5), EtherTypes.Ipv4);
        packet.CopyTo(frame, 22);
        return frame;
    }

    // An untagged frame given 8 bytes of headroom, then two C-tags pushed in place (inner 100, outer 200).
    private static byte[] PushedDoubleQFrame()
    {
        var inner = InnerFrame();
        var buffer = new byte[8 + inner.Length];
        inner.CopyTo(buffer, 8);
        VlanTag.Push(buffer.AsSpan(4), VlanTag.Customer(100));
        return VlanTag.Push(buffer, VlanTag.Customer(200)).ToArray();
    }

    // Outer Ethernet / IPv4 / UDP to 4789 (with a checksum, which tshark verifies) / VXLAN / the inner frame.
    private static byte[] VxlanFrame(uint vni, byte[] inner)
    {
        var vxlan = new byte[VxlanHeader.HeaderLength + inner.Length];
        VxlanHeader.Write(vxlan, vni);
        inner.CopyTo(vxlan, VxlanHeader.HeaderLength);
        ushort sourcePort = VxlanHeader.SourcePort(0x9E3779B9);
        var outer = UdpPacket(UnderlayA, UnderlayB, sourcePort, VxlanHeader.UdpPort, vxlan.Length, vxlan);
        var frame = new byte[14 + outer.Length];
        EthernetFrame.WriteHeader(frame, VtepB, VtepA, EtherTypes.Ipv4);
        outer.CopyTo(frame, 14);
        Assert.Equal(VxlanHeader.Overhead + inner.Length, frame.Length);
        return frame;
    }
}
