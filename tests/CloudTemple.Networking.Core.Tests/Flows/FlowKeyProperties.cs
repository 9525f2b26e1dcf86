using CloudTemple.Networking.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Flows;

/// <summary>Flow keys read from generated valid frames (0, 1 or 2 VLAN tags) equal the fields written; and the key's algebra.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 500)]
public class FlowKeyProperties
{
    [Property]
    public Property The_key_of_a_valid_frame_is_the_fields_written(TestFrame spec)
    {
        bool extracted = FlowKey.TryExtract(spec.Build(), out var key, out var error);
        bool later = spec.Fragment == FragmentPlace.Later;
        return (extracted == !later
                && error == (later ? FlowKeyError.NonFirstFragment : FlowKeyError.None)
                && key == spec.ExpectedKey)
            .Label($"got {key} ({error}), expected {spec.ExpectedKey}");
    }

    [Property]
    public bool The_key_of_the_bare_packet_equals_the_key_of_the_frame(TestFrame spec)
    {
        bool fromFrame = FlowKey.TryExtract(spec.Build(), out var frameKey, out var frameError);
        bool fromPacket = FlowKey.TryExtractFromIpv4(spec.BuildIpv4(), out var packetKey, out var packetError);
        return fromFrame == fromPacket && frameKey == packetKey && frameError == packetError;
    }

    [Property]
    public bool Reverse_is_an_involution_that_swaps_the_ends(uint source, uint destination, byte protocol, ushort sourcePort, ushort destinationPort)
    {
        var key = new FlowKey(new Ipv4Address(source), new Ipv4Address(destination), protocol, sourcePort, destinationPort);
        var reverse = key.Reverse();
        return reverse.Reverse() == key
            && reverse.Source == key.Destination && reverse.Destination == key.Source
            && reverse.SourcePort == key.DestinationPort && reverse.DestinationPort == key.SourcePort
            && reverse.Protocol == key.Protocol;
    }

    [Property]
    public bool The_stable_hash_is_MurmurHash3_of_the_serialization(uint source, uint destination, byte protocol, ushort sourcePort, ushort destinationPort)
    {
        var key = new FlowKey(new Ipv4Address(source), new Ipv4Address(destination), protocol, sourcePort, destinationPort);
        Span<byte> bytes = stackalloc byte[FlowKey.SerializedLength];
        key.WriteTo(bytes);
        return key.StableHash() == MurmurHash3.Hash32(bytes, FlowKey.HashSeed);
    }

    [Property]
    public Property An_echo_reply_key_is_the_reverse_of_its_request_key(uint client, uint server, ushort identifier, ushort sequence)
    {
        var request = new TestFrame(0, false, 0, 0, new Ipv4Address(client), new Ipv4Address(server), 1, identifier, sequence, 8, 0, 16, FragmentPlace.None, 0);
        var reply = request with { Source = request.Destination, Destination = request.Source, IcmpType = 0 };
        return (FlowKey.TryExtract(request.Build(), out var requestKey, out _)
                && FlowKey.TryExtract(reply.Build(), out var replyKey, out _)
                && requestKey.Reverse() == replyKey
                && replyKey.Reverse() == requestKey
                && requestKey.SourcePort == identifier && replyKey.DestinationPort == identifier)
            .ToProperty();
    }

    /// <summary>Damaged frames: extraction never throws, and succeeds exactly when the layout parses an IPv4 first fragment or whole packet.</summary>
    [Property(MaxTest = 2000)]
    public Property Extraction_never_throws_and_agrees_with_the_layout(MutatedFrame mutated)
    {
        var bytes = mutated.Build();
        bool extracted = FlowKey.TryExtract(bytes, out var key, out var error);
        bool parsed = PacketLayout.TryParse(bytes, out var layout, out _);
        bool expected = parsed && layout.IsIpv4 && layout.FragmentOffset == 0;
        return (extracted == expected
                && (extracted ? error == FlowKeyError.None : error != FlowKeyError.None)
                && (error is FlowKeyError.NonFirstFragment || extracted || key == default))
            .Label($"extracted {extracted} ({error}), layout parsed {parsed}: {layout}");
    }
}
