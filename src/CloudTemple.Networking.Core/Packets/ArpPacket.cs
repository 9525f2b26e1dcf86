using System.Buffers.Binary;

namespace CloudTemple.Networking.Packets;

/// <summary>A view over an Ethernet/IPv4 ARP packet (RFC 826): 28 bytes after the Ethernet header.</summary>
public readonly ref struct ArpPacket
{
    /// <summary>The length of an Ethernet/IPv4 ARP packet.</summary>
    public const int Length = 28;

    /// <summary>Operation code of a request.</summary>
    public const ushort OperationRequest = 1;

    /// <summary>Operation code of a reply.</summary>
    public const ushort OperationReply = 2;

    private readonly Span<byte> _buffer;

    private ArpPacket(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Parses an ARP packet; only hardware type Ethernet with protocol IPv4 is accepted.</summary>
    /// <param name="buffer">The packet, starting with the hardware type.</param>
    /// <param name="packet">The view when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the buffer was refused, or <see cref="PacketParseError.None"/>.</param>
    /// <returns>Whether the buffer holds an Ethernet/IPv4 ARP packet.</returns>
    public static bool TryParse(Span<byte> buffer, out ArpPacket packet, out PacketParseError error)
    {
        packet = default;
        if (buffer.Length < Length)
        {
            error = PacketParseError.Truncated;
            return false;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(buffer) != 1 || BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]) != EtherTypes.Ipv4
            || buffer[4] != MacAddress.Size || buffer[5] != 4)
        {
            error = PacketParseError.UnsupportedAddressFormat;
            return false;
        }

        packet = new ArpPacket(buffer);
        error = PacketParseError.None;
        return true;
    }

    /// <summary>The operation: <see cref="OperationRequest"/> or <see cref="OperationReply"/>.</summary>
    public ushort Operation
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[6..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[6..], value);
    }

    /// <summary>The sender's hardware address.</summary>
    public MacAddress SenderHardwareAddress
    {
        get => MacAddress.Read(_buffer[8..]);
        set => value.WriteTo(_buffer[8..]);
    }

    /// <summary>The sender's protocol address.</summary>
    public Ipv4Address SenderProtocolAddress
    {
        get => Ipv4Address.Read(_buffer[14..]);
        set => value.WriteTo(_buffer[14..]);
    }

    /// <summary>The target's hardware address (zero in a request).</summary>
    public MacAddress TargetHardwareAddress
    {
        get => MacAddress.Read(_buffer[18..]);
        set => value.WriteTo(_buffer[18..]);
    }

    /// <summary>The target's protocol address.</summary>
    public Ipv4Address TargetProtocolAddress
    {
        get => Ipv4Address.Read(_buffer[24..]);
        set => value.WriteTo(_buffer[24..]);
    }

    /// <summary>Writes an Ethernet/IPv4 ARP packet.</summary>
    /// <param name="destination">Where to write; at least <see cref="Length"/> bytes.</param>
    /// <param name="operation"><see cref="OperationRequest"/> or <see cref="OperationReply"/>.</param>
    /// <param name="senderMac">The sender's MAC.</param>
    /// <param name="senderAddress">The sender's IPv4 address.</param>
    /// <param name="targetMac">The target's MAC (zero for a request).</param>
    /// <param name="targetAddress">The target's IPv4 address.</param>
    /// <returns>The number of bytes written (28).</returns>
    public static int Write(Span<byte> destination, ushort operation, MacAddress senderMac, Ipv4Address senderAddress, MacAddress targetMac, Ipv4Address targetAddress)
    {
        Guard.Space(destination, Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination, 1);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], EtherTypes.Ipv4);
        destination[4] = MacAddress.Size;
        destination[5] = 4;
        var packet = new ArpPacket(destination);
        packet.Operation = operation;
        packet.SenderHardwareAddress = senderMac;
        packet.SenderProtocolAddress = senderAddress;
        packet.TargetHardwareAddress = targetMac;
        packet.TargetProtocolAddress = targetAddress;
        return Length;
    }
}
