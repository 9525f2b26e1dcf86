using System.Buffers.Binary;
using CloudTemple.Networking.Packets;
using CloudTemple.Networking.Rewrites;

namespace CloudTemple.Networking.Core.Tests.Rewrites;

/// <summary>
/// One rewrite through the public API, as the properties chain them. <see cref="Apply"/> returns the step that undoes it
/// (from the values it replaced), or <see langword="null"/> when none exists in the API (MSS clamping only lowers).
/// </summary>
public abstract record RewriteStep
{
    public abstract RewriteStep? Apply(Span<byte> packet);

    protected static Ipv4Packet Parse(Span<byte> packet)
    {
        Assert.True(Ipv4Packet.TryParse(packet, out var ip, out var error), $"the packet no longer parses: {error}");
        return ip;
    }

    // The L4 header is only in the first fragment.
    protected static bool HasTransportHeader(Ipv4Packet ip) => ip.FragmentOffset == 0;
}

public sealed record Unchanged : RewriteStep
{
    public override RewriteStep Apply(Span<byte> packet) => this;
}

public sealed record RewriteSourceAddress(Ipv4Address Address) : RewriteStep
{
    public override RewriteStep Apply(Span<byte> packet)
    {
        var ip = Parse(packet);
        var old = ip.Source;
        ip.RewriteSource(Address);
        Assert.Equal(Address, ip.Source);
        return new RewriteSourceAddress(old);
    }
}

public sealed record RewriteDestinationAddress(Ipv4Address Address) : RewriteStep
{
    public override RewriteStep Apply(Span<byte> packet)
    {
        var ip = Parse(packet);
        var old = ip.Destination;
        ip.RewriteDestination(Address);
        Assert.Equal(Address, ip.Destination);
        return new RewriteDestinationAddress(old);
    }
}

/// <summary><see cref="Ipv4Packet.TryRewriteSource(Ipv4Address, ushort)"/> or its destination twin.</summary>
public sealed record RewriteEndpoint(EndpointSide Side, Ipv4Address Address, ushort Port) : RewriteStep
{
    public override RewriteStep Apply(Span<byte> packet)
    {
        var ip = Parse(packet);
        var before = packet.ToArray();
        bool source = Side == EndpointSide.Source;
        var oldAddress = source ? ip.Source : ip.Destination;
        bool done = source ? ip.TryRewriteSource(Address, Port) : ip.TryRewriteDestination(Address, Port);
        if (!done)
        {
            Assert.Equal(before, packet.ToArray());
            return new Unchanged();
        }

        ushort oldPort = BinaryPrimitives.ReadUInt16BigEndian(before.AsSpan(ip.HeaderLength + (source ? 0 : 2)));
        Assert.Equal(Port, BinaryPrimitives.ReadUInt16BigEndian(ip.Payload[(source ? 0 : 2)..]));
        return new RewriteEndpoint(Side, oldAddress, oldPort);
    }
}

/// <summary>An <see cref="EndpointRewrite"/> precomputed from the packet's current endpoint, as NAT does once per flow.</summary>
public sealed record PrecomputedRewrite(EndpointSide Side, Ipv4Address Address, ushort Port) : RewriteStep
{
    public override RewriteStep Apply(Span<byte> packet)
    {
        var ip = Parse(packet);
        var before = packet.ToArray();
        bool source = Side == EndpointSide.Source;
        var oldAddress = source ? ip.Source : ip.Destination;
        int portAt = ip.HeaderLength + (source ? 0 : 2);
        ushort oldPort = packet.Length >= portAt + 2 ? BinaryPrimitives.ReadUInt16BigEndian(packet[portAt..]) : (ushort)0;
        var rewrite = source
            ? EndpointRewrite.Source(oldAddress, oldPort, Address, Port)
            : EndpointRewrite.Destination(oldAddress, oldPort, Address, Port);
        if (!rewrite.TryApply(ip))
        {
            Assert.Equal(before, packet.ToArray());
            return new Unchanged();
        }

        return new PrecomputedRewrite(Side, oldAddress, oldPort);
    }
}

/// <summary>A port rewrite through the TCP or UDP view.</summary>
public sealed record RewritePort(EndpointSide Side, ushort Port) : RewriteStep
{
    public override RewriteStep Apply(Span<byte> packet)
    {
        var ip = Parse(packet);
        if (!HasTransportHeader(ip))
        {
            return new Unchanged();
        }

        bool source = Side == EndpointSide.Source;
        if (ip.Protocol == IpProtocols.Tcp && TcpSegment.TryParse(ip.Payload, out var tcp, out _))
        {
            ushort old = source ? tcp.SourcePort : tcp.DestinationPort;
            if (source)
            {
                tcp.RewriteSourcePort(Port);
            }
            else
            {
                tcp.RewriteDestinationPort(Port);
            }

            return new RewritePort(Side, old);
        }

        if (ip.Protocol == IpProtocols.Udp && UdpDatagram.TryParse(ip.Payload, out var udp, out _))
        {
            ushort old = source ? udp.SourcePort : udp.DestinationPort;
            if (source)
            {
                udp.RewriteSourcePort(Port);
            }
            else
            {
                udp.RewriteDestinationPort(Port);
            }

            return new RewritePort(Side, old);
        }

        return new Unchanged();
    }
}

public sealed record DecrementTimeToLive : RewriteStep
{
    public override RewriteStep Apply(Span<byte> packet)
    {
        var ip = Parse(packet);
        byte old = ip.TimeToLive;
        var before = packet.ToArray();
        bool expired = ip.DecrementTimeToLive();
        Assert.Equal(old <= 1, expired);
        if (expired)
        {
            Assert.Equal(before, packet.ToArray());
        }
        else
        {
            Assert.Equal(old - 1, ip.TimeToLive);
        }

        return new SetHeaderField(HeaderField.TimeToLive, old);
    }
}

public enum HeaderField
{
    TimeToLive,
    Dscp,
    Ecn,
    Identification,
    DontFragment,
    MoreFragments,
}

/// <summary>A setter of an IPv4 header field that keeps the header checksum valid.</summary>
public sealed record SetHeaderField(HeaderField Field, int Value) : RewriteStep
{
    public override RewriteStep Apply(Span<byte> packet)
    {
        var ip = Parse(packet);
        int old;
        switch (Field)
        {
            case HeaderField.TimeToLive:
                old = ip.TimeToLive;
                ip.TimeToLive = (byte)Value;
                Assert.Equal(Value, ip.TimeToLive);
                break;
            case HeaderField.Dscp:
                old = ip.Dscp;
                byte ecn = ip.Ecn;
                ip.Dscp = (byte)Value;
                Assert.Equal((Value, ecn), (ip.Dscp, ip.Ecn));
                break;
            case HeaderField.Ecn:
                old = ip.Ecn;
                byte dscp = ip.Dscp;
                ip.Ecn = (byte)Value;
                Assert.Equal((dscp, Value), (ip.Dscp, ip.Ecn));
                break;
            case HeaderField.Identification:
                old = ip.Identification;
                ip.Identification = (ushort)Value;
                Assert.Equal(Value, ip.Identification);
                break;
            case HeaderField.DontFragment:
                old = ip.DontFragment ? 1 : 0;
                bool mf = ip.MoreFragments;
                ip.DontFragment = Value != 0;
                Assert.Equal((Value != 0, mf), (ip.DontFragment, ip.MoreFragments));
                break;
            default:
                old = ip.MoreFragments ? 1 : 0;
                bool df = ip.DontFragment;
                ip.MoreFragments = Value != 0;
                Assert.Equal((df, Value != 0), (ip.DontFragment, ip.MoreFragments));
                break;
        }

        return new SetHeaderField(Field, old);
    }
}

public enum TcpField
{
    Sequence,
    Acknowledgment,
    Flags,
    Window,
}

/// <summary>A setter of a TCP header field that keeps the TCP checksum valid.</summary>
public sealed record SetTcpField(TcpField Field, uint Value) : RewriteStep
{
    public override RewriteStep Apply(Span<byte> packet)
    {
        var ip = Parse(packet);
        if (ip.Protocol != IpProtocols.Tcp || !HasTransportHeader(ip) || !TcpSegment.TryParse(ip.Payload, out var tcp, out _))
        {
            return new Unchanged();
        }

        uint old;
        switch (Field)
        {
            case TcpField.Sequence:
                old = tcp.SequenceNumber;
                tcp.SequenceNumber = Value;
                Assert.Equal(Value, tcp.SequenceNumber);
                break;
            case TcpField.Acknowledgment:
                old = tcp.AcknowledgmentNumber;
                tcp.AcknowledgmentNumber = Value;
                Assert.Equal(Value, tcp.AcknowledgmentNumber);
                break;
            case TcpField.Flags:
                old = (uint)tcp.Flags;
                int headerLength = tcp.HeaderLength;
                tcp.Flags = (TcpFlags)(byte)Value;
                Assert.Equal((byte)Value, (byte)tcp.Flags);
                Assert.Equal(headerLength, tcp.HeaderLength);
                break;
            default:
                old = tcp.Window;
                tcp.Window = (ushort)Value;
                Assert.Equal(Value, tcp.Window);
                break;
        }

        return new SetTcpField(Field, old);
    }
}

public sealed record ClampMaximumSegmentSize(ushort Maximum) : RewriteStep
{
    public override RewriteStep? Apply(Span<byte> packet)
    {
        var ip = Parse(packet);
        if (ip.Protocol == IpProtocols.Tcp && HasTransportHeader(ip) && TcpSegment.TryParse(ip.Payload, out var tcp, out _))
        {
            bool hadMss = tcp.TryGetMaximumSegmentSize(out ushort before);
            bool clamped = tcp.ClampMaximumSegmentSize(Maximum);
            bool syn = (tcp.Flags & TcpFlags.Syn) != 0;
            Assert.Equal(syn && hadMss && before > Maximum, clamped);
            Assert.Equal(hadMss, tcp.TryGetMaximumSegmentSize(out ushort after));
            Assert.Equal(clamped ? Maximum : before, after);
        }

        return null;
    }
}

/// <summary>A sequence of rewrites, any of them (MSS clamping included).</summary>
public sealed record RewriteSequence(RewriteStep[] Steps)
{
    public override string ToString() => string.Join(", ", Steps.Select(s => s.ToString()));
}

/// <summary>A sequence of rewrites that each have an inverse in the API.</summary>
public sealed record InvertibleRewriteSequence(RewriteStep[] Steps)
{
    public override string ToString() => string.Join(", ", Steps.Select(s => s.ToString()));
}
