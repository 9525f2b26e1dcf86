using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;
using CloudTemple.Networking.Core.Tests.Checksums;
using CloudTemple.Networking.Core.Tests.Packets;
using CloudTemple.Networking.Packets;
using CloudTemple.Networking.Rewrites;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Rewrites;

/// <summary>Every rewrite keeps every checksum equal to a full recomputation, and is undone by its inverse.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 1000)]
public class RewriteProperties
{
    [Property]
    public void After_any_sequence_of_rewrites_every_checksum_equals_a_full_recomputation(GeneratedPacket packet, RewriteSequence rewrites)
    {
        var bytes = (byte[])packet.Bytes.Clone();
        foreach (var step in rewrites.Steps)
        {
            step.Apply(bytes);
            PacketAssert.ChecksumsMatchReference(bytes, packet);
        }
    }

    [Property]
    public void A_sequence_of_rewrites_followed_by_the_inverses_restores_the_original_bytes(GeneratedPacket packet, InvertibleRewriteSequence rewrites)
    {
        var bytes = (byte[])packet.Bytes.Clone();
        var inverses = new Stack<RewriteStep>();
        foreach (var step in rewrites.Steps)
        {
            inverses.Push(step.Apply(bytes) ?? throw new InvalidOperationException($"{step} has no inverse."));
        }

        while (inverses.TryPop(out var inverse))
        {
            inverse.Apply(bytes);
        }

        Assert.Equal(packet.Bytes, bytes);
    }

    [Property]
    public void The_three_ways_to_rewrite_an_endpoint_write_the_same_bytes(GeneratedPacket packet, EndpointSide side, Ipv4Address address, ushort port)
    {
        var perCall = (byte[])packet.Bytes.Clone();
        var precomputed = (byte[])packet.Bytes.Clone();
        var stepByStep = (byte[])packet.Bytes.Clone();
        var perCallResult = new RewriteEndpoint(side, address, port).Apply(perCall);
        var precomputedResult = new PrecomputedRewrite(side, address, port).Apply(precomputed);

        // The address through the IPv4 view, then the port through the TCP or UDP view.
        if (side == EndpointSide.Source)
        {
            new RewriteSourceAddress(address).Apply(stepByStep);
        }
        else
        {
            new RewriteDestinationAddress(address).Apply(stepByStep);
        }

        new RewritePort(side, port).Apply(stepByStep);

        Assert.Equal(perCall, precomputed);
        Assert.Equal(perCallResult is Unchanged, precomputedResult is Unchanged);
        Assert.Equal(packet.IsTcp || packet.IsUdp, perCallResult is not Unchanged);
        if (packet.IsTcp || packet.IsUdp)
        {
            Assert.Equal(perCall, stepByStep);
        }
    }

    [Property]
    public void A_udp_checksum_of_zero_stays_zero_through_every_rewrite(UdpPacketWithChecksum udp, RewriteSequence rewrites)
    {
        var bytes = (byte[])udp.Packet.Bytes.Clone();
        bytes[udp.Packet.HeaderLength + 6] = 0;
        bytes[udp.Packet.HeaderLength + 7] = 0;
        var none = udp.Packet with { Bytes = (byte[])bytes.Clone(), UdpMode = UdpChecksumMode.None };
        foreach (var step in rewrites.Steps)
        {
            step.Apply(bytes);
            PacketAssert.ChecksumsMatchReference(bytes, none);
        }
    }

    [Property]
    public void An_incremental_update_that_yields_zero_is_sent_as_all_ones(UdpPacketWithChecksum udp, EndpointSide side, byte way)
    {
        var bytes = (byte[])udp.Packet.Bytes.Clone();
        var datagram = bytes.AsSpan(udp.Packet.HeaderLength);
        int portAt = side == EndpointSide.Source ? 0 : 2;
        ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]);
        ushort oldPort = BinaryPrimitives.ReadUInt16BigEndian(datagram[portAt..]);

        // RFC 1624 eqn. 3 gives ~(~HC + ~m + m'): this port makes the sum all ones, the update 0x0000.
        ushort port = (ushort)~InternetChecksum.Add((ushort)~checksum, (ushort)~oldPort);
        var address = side == EndpointSide.Source ? udp.Packet.Source : udp.Packet.Destination;
        RewriteStep step = (way % 3) switch
        {
            0 => new RewritePort(side, port),
            1 => new RewriteEndpoint(side, address, port),
            _ => new PrecomputedRewrite(side, address, port),
        };
        step.Apply(bytes);

        Assert.Equal(0xFFFF, BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]));
        PacketAssert.ChecksumsMatchReference(bytes, udp.Packet);
    }
}
