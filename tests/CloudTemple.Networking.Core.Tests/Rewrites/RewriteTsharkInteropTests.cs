using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;
using CloudTemple.Networking.Packets;
using CloudTemple.Networking.Rewrites;
using CloudTemple.Networking.Testing;

namespace CloudTemple.Networking.Core.Tests.Rewrites;

/// <summary>
/// TCP and UDP packets rewritten as NAT and a router do (addresses and ports, TTL, DSCP, TCP fields, MSS clamping) are
/// written to a pcap and decoded by tshark with checksum validation on: every rewritten field must read as written and
/// every checksum must be good, with no malformed field.
/// </summary>
public class RewriteTsharkInteropTests
{
    private static readonly MacAddress Vm = MacAddress.Parse("02:00:0a:00:01:0a");
    private static readonly MacAddress Router = MacAddress.Parse("02:00:0a:00:01:01");
    private static readonly Ipv4Address VmAddress = Ipv4Address.Parse("10.0.1.10");
    private static readonly Ipv4Address Remote = Ipv4Address.Parse("192.0.2.7");
    private static readonly Ipv4Address Public = Ipv4Address.Parse("203.0.113.5");

    [SkippableFact]
    public void Tshark_finds_every_checksum_good_after_our_rewrites()
    {
        string tshark = Interop.RequireTool("tshark", "tshark");
        string pcap = Path.Combine(Path.GetTempPath(), $"ct-rewrite-{Guid.NewGuid():N}.pcap");
        try
        {
            using (var writer = new PcapWriter(pcap))
            {
                writer.Write(SnatClampedSyn());         // 1
                writer.Write(DnatDataSegment());        // 2
                writer.Write(PrecomputedSnatUdp());     // 3
                writer.Write(UdpWithoutChecksum());     // 4
                writer.Write(UdpWhoseUpdateIsZero());   // 5
                writer.Write(TcpWithIpOptionsRewrittenByAddress()); // 6
            }

            string[] checkOptions = ["-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE"];
            var fields = ExternalProcess.Run(tshark,
            [
                "-n", "-r", pcap, .. checkOptions, "-T", "fields", "-E", "separator=|",
                "-e", "frame.number", "-e", "ip.src", "-e", "ip.dst", "-e", "ip.ttl", "-e", "ip.dsfield.dscp", "-e", "ip.dsfield.ecn",
                "-e", "ip.checksum.status", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.seq_raw", "-e", "tcp.ack_raw",
                "-e", "tcp.window_size_value", "-e", "tcp.options.mss_val", "-e", "tcp.checksum.status",
                "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.checksum", "-e", "udp.checksum.status", "-e", "_ws.malformed",
            ]).EnsureSuccess("tshark");

            var rows = fields.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).ToArray();
            Assert.Equal(6, rows.Length);
            const string Good = "1"; // Wireshark's checksum status: 0 bad, 1 good, 2 unverified.

            // frame | src | dst | ttl | dscp | ecn | ip status | tcp sport | dport | seq | ack | window | mss | tcp status
            Assert.Equal(["1", "203.0.113.5", "192.0.2.7", "63", "0", "0", Good, "61000", "443", "123456", "0", "64240", "1410", Good], rows[0][..14]);
            Assert.Equal(["2", "192.0.2.7", "10.0.1.10", "63", "46", "1", Good, "40001", "8080", "1000001", "2000002", "512", "", Good], rows[1][..14]);

            // frame | src | dst | ttl | ip status ... udp sport | dport | checksum | status
            Assert.Equal(["3", "203.0.113.5", "192.0.2.7", "63", Good], [.. rows[2][..4], rows[2][6]]);
            Assert.Equal(["61001", "40001", Good], [rows[2][14], rows[2][15], rows[2][17]]);
            Assert.Equal(["4", "203.0.113.5", Good, "61002", "0x0000"], [rows[3][0], rows[3][1], rows[3][6], rows[3][14], rows[3][16]]);
            Assert.Equal(["5", Good, "0xffff", Good], [rows[4][0], rows[4][6], rows[4][16], rows[4][17]]);
            Assert.Equal(["6", "10.0.1.10", "198.51.100.9", Good, Good], [rows[5][0], rows[5][1], rows[5][2], rows[5][6], rows[5][13]]);

            foreach (var row in rows)
            {
                Assert.True(row[18].Length == 0, $"tshark reports frame {row[0]} malformed.");
            }

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

    // A SYN leaving through source NAT and a router onto the overlay: address and port, TTL, MSS 1460 -> 1410
    // (the MSS option after a NOP, at an odd offset).
    private static byte[] SnatClampedSyn()
    {
        var frame = TcpFrame(VmAddress, Remote, 40000, 443, TcpFlags.Syn, [1, 2, 4, 0x05, 0xB4, 1, 1, 0], payload: []);
        var ip = Ip(frame);
        Assert.True(ip.TryRewriteSource(Public, 61000));
        Assert.False(ip.DecrementTimeToLive());
        Assert.True(TcpSegment.TryParse(ip.Payload, out var tcp, out _));
        Assert.True(tcp.ClampMaximumSegmentSize(1410));
        return frame;
    }

    // A data segment arriving through destination NAT (port forwarding 203.0.113.5:80 -> 10.0.1.10:8080), with its TCP
    // fields and DSCP/ECN rewritten too; an odd-length payload.
    private static byte[] DnatDataSegment()
    {
        var frame = TcpFrame(Remote, Public, 40001, 80, TcpFlags.Ack | TcpFlags.Psh, [], payload: "GET / HTTP/1.1\r\n\r\n!"u8.ToArray());
        var ip = Ip(frame);
        Assert.True(ip.TryRewriteDestination(VmAddress, 8080));
        Assert.False(ip.DecrementTimeToLive());
        ip.Dscp = 46;
        ip.Ecn = 1;
        Assert.True(TcpSegment.TryParse(ip.Payload, out var tcp, out _));
        tcp.SequenceNumber = 1000001;
        tcp.AcknowledgmentNumber = 2000002;
        tcp.Window = 512;
        return frame;
    }

    private static byte[] PrecomputedSnatUdp()
    {
        var frame = UdpFrame(40002, 40001, payloadLength: 29);
        var ip = Ip(frame);
        var snat = EndpointRewrite.Source(VmAddress, 40002, Public, 61001);
        Assert.True(snat.TryApply(ip));
        Assert.False(ip.DecrementTimeToLive());
        return frame;
    }

    private static byte[] UdpWithoutChecksum()
    {
        var frame = UdpFrame(40003, 40001, payloadLength: 12);
        var ip = Ip(frame);
        Assert.True(UdpDatagram.TryParse(ip.Payload, out var udp, out _));
        udp.Checksum = 0;
        Assert.True(ip.TryRewriteSource(Public, 61002));
        return frame;
    }

    // The new source port is chosen so that the incremental update comes to 0x0000, which must go out as 0xFFFF.
    private static byte[] UdpWhoseUpdateIsZero()
    {
        var frame = UdpFrame(40004, 40001, payloadLength: 20);
        var ip = Ip(frame);
        Assert.True(UdpDatagram.TryParse(ip.Payload, out var udp, out _));
        ushort port = (ushort)~InternetChecksum.Add((ushort)~udp.Checksum, (ushort)~udp.SourcePort);
        udp.RewriteSourcePort(port);
        Assert.Equal(0xFFFF, udp.Checksum);
        return frame;
    }

    private static byte[] TcpWithIpOptionsRewrittenByAddress()
    {
        var frame = TcpFrame(VmAddress, Remote, 40005, 40022, TcpFlags.Ack, [], payload: [1, 2, 3], ipOptions: [0x94, 0x04, 0x00, 0x00]);
        var ip = Ip(frame);
        ip.RewriteDestination(Ipv4Address.Parse("198.51.100.9"));
        return frame;
    }

    private static Ipv4Packet Ip(byte[] frame)
    {
        Assert.True(Ipv4Packet.TryParse(frame.AsSpan(14), out var ip, out _));
        return ip;
    }

    private static byte[] TcpFrame(Ipv4Address source, Ipv4Address destination, ushort sourcePort, ushort destinationPort, TcpFlags flags,
        byte[] tcpOptions, byte[] payload, byte[]? ipOptions = null)
    {
        ipOptions ??= [];
        int tcpLength = 20 + tcpOptions.Length + payload.Length;
        var frame = new byte[14 + 20 + ipOptions.Length + tcpLength];
        int at = EthernetFrame.WriteHeader(frame, Router, Vm, EtherTypes.Ipv4);
        at += Ipv4Packet.WriteHeader(frame.AsSpan(at), source, destination, IpProtocols.Tcp, tcpLength, options: ipOptions);
        int header = TcpSegment.WriteHeader(frame.AsSpan(at), sourcePort, destinationPort, 123456, 0, flags, 64240, tcpOptions);
        payload.CopyTo(frame, at + header);
        Assert.True(TcpSegment.TryParse(frame.AsSpan(at), out var tcp, out _));
        tcp.UpdateChecksum(source, destination);
        return frame;
    }

    private static byte[] UdpFrame(ushort sourcePort, ushort destinationPort, int payloadLength)
    {
        var frame = new byte[14 + 20 + 8 + payloadLength];
        int at = EthernetFrame.WriteHeader(frame, Router, Vm, EtherTypes.Ipv4);
        at += Ipv4Packet.WriteHeader(frame.AsSpan(at), VmAddress, Remote, IpProtocols.Udp, 8 + payloadLength);
        UdpDatagram.WriteHeader(frame.AsSpan(at), sourcePort, destinationPort, payloadLength);
        for (int i = 0; i < payloadLength; i++)
        {
            frame[at + 8 + i] = (byte)(i * 37);
        }

        Assert.True(UdpDatagram.TryParse(frame.AsSpan(at), out var udp, out _));
        udp.UpdateChecksum(VmAddress, Remote);
        Assert.NotEqual(0, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(at + 6)));
        return frame;
    }
}
