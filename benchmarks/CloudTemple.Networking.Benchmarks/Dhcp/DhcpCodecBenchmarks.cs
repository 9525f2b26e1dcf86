using BenchmarkDotNet.Attributes;
using CloudTemple.Networking.Dhcp.Protocol;

namespace CloudTemple.Networking.Benchmarks.Dhcp;

/// <summary>
/// Reading what a server needs from a dhclient DISCOVER (type, requested address, client id, parameter list):
/// the span reader against the usual approach of copying every option into a dictionary; and writing an OFFER.
/// </summary>
[MemoryDiagnoser]
public class DhcpCodecBenchmarks
{
    private readonly byte[] _discover = BuildDiscover();
    private readonly byte[] _reply = new byte[1500];

    [Benchmark(Baseline = true)]
    public int DictionaryOfOptions()
    {
        var options = new Dictionary<byte, byte[]>();
        int i = DhcpConstants.OptionsOffset;
        while (i < _discover.Length && _discover[i] != 255)
        {
            if (_discover[i] == 0)
            {
                i++;
                continue;
            }

            options[_discover[i]] = _discover.AsSpan(i + 2, _discover[i + 1]).ToArray();
            i += 2 + _discover[i + 1];
        }

        return options[53][0] + options[50].Length + (options.TryGetValue(61, out var id) ? id.Length : 0) + options[55].Length;
    }

    [Benchmark]
    public int SpanReader()
    {
        if (!DhcpMessageReader.TryParse(_discover, out var message, out _))
        {
            return -1;
        }

        message.TryGetAddress(DhcpOptionCode.RequestedIPAddress, out var requested);
        message.TryGetOption(DhcpOptionCode.ClientIdentifier, out var id);
        message.TryGetOption(DhcpOptionCode.ParameterRequestList, out var list);
        return (int)message.MessageType + (int)(requested.Value & 1) + id.Length + list.Length;
    }

    [Benchmark]
    public int WriteOffer()
    {
        var writer = new DhcpMessageWriter(_reply)
        {
            OpCode = DhcpOpCode.BootReply,
            TransactionId = 0x3903F326,
            YourAddress = new Ipv4Address(0x0A000064),
        };
        writer.SetClientHardwareAddress(new MacAddress(0x000C29135A8B));
        writer.WriteMessageType(DhcpMessageType.Offer);
        writer.WriteAddressOption(DhcpOptionCode.ServerIdentifier, new Ipv4Address(0x0A000002));
        writer.WriteUInt32Option(DhcpOptionCode.LeaseTime, 3600);
        writer.WriteAddressOption(DhcpOptionCode.SubnetMask, new Ipv4Address(0xFFFFFF00));
        writer.WriteAddressesOption(DhcpOptionCode.Router, [new Ipv4Address(0x0A000001)]);
        writer.WriteUInt16Option(DhcpOptionCode.InterfaceMtu, 1450);
        return writer.Complete();
    }

    private static byte[] BuildDiscover()
    {
        var buffer = new byte[600];
        var writer = new DhcpMessageWriter(buffer) { OpCode = DhcpOpCode.BootRequest, TransactionId = 0x3903F326 };
        writer.SetClientHardwareAddress(new MacAddress(0x000C29135A8B));
        writer.WriteMessageType(DhcpMessageType.Discover);
        writer.WriteAddressOption(DhcpOptionCode.RequestedIPAddress, new Ipv4Address(0xC0A80164));
        writer.WriteTextOption(DhcpOptionCode.HostName, "vm1");
        writer.WriteOption(DhcpOptionCode.ClientIdentifier, [1, 0x00, 0x0C, 0x29, 0x13, 0x5A, 0x8B]);
        writer.WriteOption(DhcpOptionCode.ParameterRequestList, [1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42]);
        return buffer.AsSpan(0, writer.Complete()).ToArray();
    }
}
