using System.Text;
using CloudTemple.Networking.Checksums;
using CloudTemple.Networking.Packets;
using CloudTemple.Networking.Testing;

namespace CloudTemple.Networking.Core.Tests.Packets;

/// <summary>
/// Frames built with our writers are written to a pcap file and decoded by a real peer, tshark, with
/// checksum validation on: every field must decode as written and every checksum must be "Good".
/// </summary>
public class TsharkInteropTests
{
    private static readonly MacAddress Vm = MacAddress.Parse("02:00:0a:00:01:0a");
    private static readonly MacAddress Router = MacAddress.Parse("02:00:0a:00:01:01");
    private static readonly Ipv4Address VmAddress = Ipv4Address.Parse("10.0.1.10");
    private static readonly Ipv4Address Remote = Ipv4Address.Parse("192.0.2.7");

    [SkippableFact]
    public void Tshark_decodes_our_frames_with_good_checksums_and_no_malformed_field()
    {
        string tshark = Interop.RequireTool("tshark", "tshark");
        string pcap = Path.Combine(Path.GetTempPath(), $"ct-core-{Guid.NewGuid():N}.pcap");
        try
        {
            using (var writer = new PcapWriter(pcap))
            {
                writer.Write(UdpFrame(payloadLength: 5, ipOptions: []));              // 1: odd UDP payload
                writer.Write(UdpFrame(payloadLength: 1000, ipOptions: [0x94, 0x04, 0x00, 0x00])); // 2: IP options (router alert)
                writer.Write(TcpSynFrame(vlanId: 100));                                  // 3: 802.1Q + TCP with MSS option
                writer.Write(IcmpEchoFrame(identifier: 0x4242, dataLength: 56));        // 4: ICMP echo request
                writer.Write(ArpFrame(ArpPacket.OperationRequest));                      // 5: ARP request
                writer.Write(ArpFrame(ArpPacket.OperationReply));                        // 6: ARP reply
                writer.Write(SnatRewrittenUdpFrame());                                   // 7: incremental rewrite, as NAT does
                writer.Write(SnatRewrittenIcmpFrame());                                  // 8: ICMP query id rewrite
            }

            string[] checkOptions =
            [
                "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            ];
            var fields = ExternalProcess.Run(tshark,
            [
                "-n", "-r", pcap, .. checkOptions, "-T", "fields", "-E", "separator=|",
                "-e", "frame.number", "-e", "vlan.id", "-e", "ip.src", "-e", "ip.dst", "-e", "ip.checksum.status",
                "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.checksum.status",
                "-e", "tcp.dstport", "-e", "tcp.options.mss_val", "-e", "tcp.checksum.status",
                "-e", "icmp.ident", "-e", "icmp.checksum.status", "-e", "arp.opcode", "-e", "arp.src.proto_ipv4", "-e", "arp.dst.proto_ipv4",
                "-e", "_ws.malformed", "-e", "_ws.expert.severity",
            ]).EnsureSuccess("tshark");

            var rows = fields.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).ToArray();
            Assert.Equal(8, rows.Length);
            const string Good = "1"; // Wireshark's checksum status: 0 bad, 1 good, 2 unverified.

            // UDP frames: addresses, ports, and good IP and UDP checksums.
            foreach (int i in new[] { 0, 1 })
            {
                Assert.Equal(["10.0.1.10", "192.0.2.7", Good, "40000", "40001", Good], rows[i][2..8]);
            }

            Assert.Equal(["100", "10.0.1.10", "192.0.2.7", Good], rows[2][1..5]);
            Assert.Equal(["443", "1460", Good], rows[2][8..11]);
            Assert.Equal([Good], rows[3][4..5]);
            Assert.Equal(["16962", Good], rows[3][11..13]);
            Assert.Equal(["1", "10.0.1.10", "10.0.1.1"], rows[4][13..16]);
            Assert.Equal(["2", "10.0.1.10", "10.0.1.1"], rows[5][13..16]);
            Assert.Equal(["203.0.113.5", "192.0.2.7", Good, "61000", "40001", Good], rows[6][2..8]);
            Assert.Equal(["203.0.113.5", "192.0.2.7", Good], rows[7][2..5]);
            Assert.Equal(["4369", Good], rows[7][11..13]);

            foreach (var row in rows)
            {
                Assert.True(row[16].Length == 0, $"tshark reports frame {row[0]} malformed.");
            }

            // Any expert info of warning or error severity (bad checksum, malformed, bogus length) fails the test.
            var verbose = ExternalProcess.Run(tshark, ["-n", "-r", pcap, .. checkOptions, "-V"]).EnsureSuccess("tshark -V");
            foreach (var marker in new[] { "Malformed", "[Checksum Status: Bad]", "[Header checksum status: Bad]", "incorrect" })
            {
                Assert.False(verbose.StandardOutput.Contains(marker, StringComparison.Ordinal), $"tshark output contains '{marker}':\n{verbose.StandardOutput}");
            }
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    private static byte[] UdpFrame(int payloadLength, byte[] ipOptions)
    {
        var frame = new byte[14 + 20 + ipOptions.Length + 8 + payloadLength];
        int at = EthernetFrame.WriteHeader(frame, Router, Vm, EtherTypes.Ipv4);
        at += Ipv4Packet.WriteHeader(frame.AsSpan(at), VmAddress, Remote, IpProtocols.Udp, 8 + payloadLength, identification: 7, options: ipOptions);
        var udpBytes = frame.AsSpan(at);
        UdpDatagram.WriteHeader(udpBytes, 40000, 40001, payloadLength);
        Encoding.ASCII.GetBytes(new string('x', payloadLength)).CopyTo(udpBytes[8..]);
        Assert.True(UdpDatagram.TryParse(udpBytes, out var udp, out _));
        udp.UpdateChecksum(VmAddress, Remote);
        return frame;
    }

    private static byte[] TcpSynFrame(ushort vlanId)
    {
        var frame = new byte[18 + 20 + 24];
        int at = EthernetFrame.WriteTaggedHeader(frame, Router, Vm, vlanId, 0, EtherTypes.Ipv4);
        at += Ipv4Packet.WriteHeader(frame.AsSpan(at), VmAddress, Remote, IpProtocols.Tcp, 24);
        TcpSegment.WriteHeader(frame.AsSpan(at), 40000, 443, 123456, 0, TcpFlags.Syn, 64240, [0x02, 0x04, 0x05, 0xB4]);
        Assert.True(TcpSegment.TryParse(frame.AsSpan(at), out var tcp, out _));
        tcp.UpdateChecksum(VmAddress, Remote);
        return frame;
    }

    private static byte[] IcmpEchoFrame(ushort identifier, int dataLength)
    {
        var frame = new byte[14 + 20 + 8 + dataLength];
        int at = EthernetFrame.WriteHeader(frame, Router, Vm, EtherTypes.Ipv4);
        at += Ipv4Packet.WriteHeader(frame.AsSpan(at), VmAddress, Remote, IpProtocols.Icmp, 8 + dataLength);
        IcmpMessage.WriteHeader(frame.AsSpan(at), IcmpMessage.TypeEchoRequest, 0, identifier, 1);
        for (int i = 0; i < dataLength; i++)
        {
            frame[at + 8 + i] = (byte)i;
        }

        Assert.True(IcmpMessage.TryParse(frame.AsSpan(at), out var icmp, out _));
        icmp.UpdateChecksum();
        return frame;
    }

    private static byte[] ArpFrame(ushort operation)
    {
        var frame = new byte[14 + ArpPacket.Length];
        var destination = operation == ArpPacket.OperationRequest ? MacAddress.Broadcast : Router;
        int at = EthernetFrame.WriteHeader(frame, destination, Vm, EtherTypes.Arp);
        var target = operation == ArpPacket.OperationRequest ? MacAddress.Zero : Router;
        ArpPacket.Write(frame.AsSpan(at), operation, Vm, VmAddress, target, Ipv4Address.Parse("10.0.1.1"));
        return frame;
    }

    // Source NAT of a UDP flow: the address is rewritten through the IPv4 view (header checksum updated
    // incrementally) and the UDP checksum is updated incrementally for the address and the port.
    private static byte[] SnatRewrittenUdpFrame()
    {
        var frame = UdpFrame(payloadLength: 33, ipOptions: []);
        Assert.True(Ipv4Packet.TryParse(frame.AsSpan(14), out var ip, out _));
        Assert.True(UdpDatagram.TryParse(ip.Payload, out var udp, out _));
        var publicAddress = Ipv4Address.Parse("203.0.113.5");
        ushort checksum = InternetChecksum.Update(udp.Checksum, ip.Source, publicAddress);
        udp.Checksum = InternetChecksum.Update(checksum, udp.SourcePort, (ushort)61000);
        udp.SourcePort = 61000;
        ip.Source = publicAddress;
        return frame;
    }

    private static byte[] SnatRewrittenIcmpFrame()
    {
        var frame = IcmpEchoFrame(identifier: 0x4242, dataLength: 31);
        Assert.True(Ipv4Packet.TryParse(frame.AsSpan(14), out var ip, out _));
        Assert.True(IcmpMessage.TryParse(ip.Payload, out var icmp, out _));
        icmp.Identifier = 0x1111;
        ip.Source = Ipv4Address.Parse("203.0.113.5");
        return frame;
    }
}
