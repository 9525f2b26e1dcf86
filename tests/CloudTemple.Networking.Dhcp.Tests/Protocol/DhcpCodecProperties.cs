using CloudTemple.Networking.Dhcp.Protocol;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Dhcp.Tests.Protocol;

/// <summary>The codec accepts or refuses any input without throwing, and what it writes it reads back.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 1000)]
public class DhcpCodecProperties
{
    [Property]
    public bool Reader_never_throws_and_refusals_carry_a_reason(byte[] bytes)
    {
        if (!DhcpMessageReader.TryParse(bytes, out var message, out var error))
        {
            return error != DhcpParseError.None;
        }

        _ = (message.OpCode, message.TransactionId, message.Flags, message.ClientAddress, message.YourAddress,
            message.GatewayAddress, message.ClientHardwareAddress.Length, message.MessageType, message.TryGetMacAddress(out _));
        int total = 0;
        foreach (var option in message.Options)
        {
            total += option.Value.Length;
        }

        _ = message.GetText(DhcpOptionCode.HostName);
        return error == DhcpParseError.None && total <= bytes.Length;
    }

    [Property]
    public bool Options_written_are_read_back_whole_even_when_split((byte Code, byte[] Value)[] options, uint xid)
    {
        var buffer = new byte[4096];
        var writer = new DhcpMessageWriter(buffer)
        {
            OpCode = DhcpOpCode.BootReply,
            TransactionId = xid,
            YourAddress = new Ipv4Address(0x0A000005),
        };
        writer.SetClientHardwareAddress(MacAddress.Parse("02:00:00:00:00:07"));
        foreach (var (code, value) in options)
        {
            writer.WriteOption((DhcpOptionCode)code, value);
        }

        int length = writer.Complete();
        if (!DhcpMessageReader.TryParse(buffer.AsSpan(0, length), out var message, out _))
        {
            return false;
        }

        int count = 0;
        foreach (var option in message.Options)
        {
            byte code = (byte)option.Code;
            var expected = options.Single(o => o.Code == code).Value;
            if (!option.Value.SequenceEqual(expected))
            {
                return false;
            }

            count++;
        }

        return count == options.Length
            && length >= DhcpConstants.MinimumMessageLength
            && message.TransactionId == xid
            && message.YourAddress == new Ipv4Address(0x0A000005)
            && message.TryGetMacAddress(out var mac) && mac == MacAddress.Parse("02:00:00:00:00:07");
    }

    [Property]
    public bool Domain_search_lists_round_trip(string[] domains) =>
        DomainSearchList.TryDecode(DomainSearchList.Encode(domains), out var decoded) && decoded.SequenceEqual(domains);

    [Property]
    public bool Domain_search_compression_never_grows_the_encoding(string[] domains) =>
        DomainSearchList.Encode(domains).Length <= domains.Sum(d => d.Length + 2);

    [Property]
    public bool Domain_search_decoder_never_throws(byte[] bytes)
    {
        _ = DomainSearchList.TryDecode(bytes, out _);
        return true;
    }

    [Property]
    public bool Classless_static_routes_round_trip(ClasslessStaticRoute[] routes)
    {
        var bytes = new byte[ClasslessStaticRoute.GetEncodedLength(routes)];
        int written = ClasslessStaticRoute.Encode(routes, bytes);
        return written == bytes.Length && ClasslessStaticRoute.TryDecode(bytes, out var decoded) && decoded.SequenceEqual(routes);
    }

    [Property]
    public bool Classless_static_route_decoder_never_throws(byte[] bytes)
    {
        _ = ClasslessStaticRoute.TryDecode(bytes, out _);
        return true;
    }
}
