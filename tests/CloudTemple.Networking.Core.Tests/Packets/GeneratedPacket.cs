namespace CloudTemple.Networking.Core.Tests.Packets;

/// <summary>How a generated UDP datagram carries its checksum.</summary>
public enum UdpChecksumMode
{
    /// <summary>Computed (never 0).</summary>
    Computed,

    /// <summary>0: the sender computed none (RFC 768).</summary>
    None,

    /// <summary>The payload is chosen so that the computed checksum is 0, sent as 0xFFFF.</summary>
    ComputedZero,
}

/// <summary>A valid IPv4 packet built by <see cref="Generators"/>, with the values written into it.</summary>
public sealed record GeneratedPacket(
    byte[] Bytes, byte Protocol, int HeaderLength, Ipv4Address Source, Ipv4Address Destination, byte TimeToLive, UdpChecksumMode UdpMode)
{
    public bool IsTcp => Protocol == 6;

    public bool IsUdp => Protocol == 17;

    public override string ToString() =>
        $"proto {Protocol}, IHL {HeaderLength / 4}, {Source} -> {Destination}, UDP {UdpMode}: {Convert.ToHexString(Bytes)}";
}

/// <summary>How a valid packet was changed.</summary>
public enum Mutation
{
    /// <summary>Left as generated.</summary>
    None,

    /// <summary>One byte changed (at <see cref="MutatedPacket.At"/>).</summary>
    OneByteChanged,

    /// <summary>Two bytes changed (perhaps the same one twice).</summary>
    TwoBytesChanged,

    /// <summary>Cut short to <see cref="MutatedPacket.At"/> bytes.</summary>
    Cut,

    /// <summary>Trailing bytes appended, as link-layer padding.</summary>
    Appended,
}

/// <summary>A valid packet with a few bytes changed, cut or appended: what "never throws" properties feed the views.</summary>
public sealed record MutatedPacket(byte[] Bytes, Mutation Mutation, int At, GeneratedPacket Original)
{
    public override string ToString() => $"{Mutation} at {At} of {Original}: {Convert.ToHexString(Bytes)}";
}

/// <summary>A generated TCP or UDP packet.</summary>
public sealed record TransportPacket(GeneratedPacket Packet)
{
    public override string ToString() => Packet.ToString();
}

/// <summary>A generated UDP packet whose checksum is set (computed, or computed as 0 and sent as 0xFFFF).</summary>
public sealed record UdpPacketWithChecksum(GeneratedPacket Packet)
{
    public override string ToString() => Packet.ToString();
}

/// <summary>A generated TCP packet.</summary>
public sealed record TcpPacket(GeneratedPacket Packet)
{
    public override string ToString() => Packet.ToString();
}
