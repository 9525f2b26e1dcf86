using System.Buffers.Binary;

namespace CloudTemple.Networking.Packets;

/// <summary>
/// A view over an Ethernet II frame (without preamble or FCS), with an optional IEEE 802.1Q tag.
/// Reading and writing fields touches the underlying buffer; nothing is copied or allocated.
/// </summary>
/// <remarks>A view is as thread-safe as the buffer it wraps: not at all when the buffer is shared and written.</remarks>
public readonly ref struct EthernetFrame
{
    /// <summary>The header length without a VLAN tag.</summary>
    public const int HeaderLength = 14;

    /// <summary>The header length with an 802.1Q tag.</summary>
    public const int TaggedHeaderLength = 18;

    private readonly Span<byte> _buffer;

    private EthernetFrame(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Parses a frame header.</summary>
    /// <param name="buffer">The frame, starting with the destination MAC.</param>
    /// <param name="frame">The view when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the buffer was refused, or <see cref="PacketParseError.None"/>.</param>
    /// <returns>Whether the buffer holds a whole Ethernet header.</returns>
    public static bool TryParse(Span<byte> buffer, out EthernetFrame frame, out PacketParseError error)
    {
        frame = default;
        if (buffer.Length < HeaderLength
            || (BinaryPrimitives.ReadUInt16BigEndian(buffer[12..]) == EtherTypes.Vlan && buffer.Length < TaggedHeaderLength))
        {
            error = PacketParseError.Truncated;
            return false;
        }

        frame = new EthernetFrame(buffer);
        error = PacketParseError.None;
        return true;
    }

    /// <summary>The bytes of the whole frame.</summary>
    public Span<byte> Buffer => _buffer;

    /// <summary>The destination MAC address.</summary>
    public MacAddress Destination
    {
        get => MacAddress.Read(_buffer);
        set => value.WriteTo(_buffer);
    }

    /// <summary>The source MAC address.</summary>
    public MacAddress Source
    {
        get => MacAddress.Read(_buffer[6..]);
        set => value.WriteTo(_buffer[6..]);
    }

    /// <summary>Whether the frame carries an 802.1Q tag.</summary>
    public bool HasVlanTag => BinaryPrimitives.ReadUInt16BigEndian(_buffer[12..]) == EtherTypes.Vlan;

    /// <summary>The 12-bit VLAN id, or 0 when untagged.</summary>
    public ushort VlanId => HasVlanTag ? (ushort)(BinaryPrimitives.ReadUInt16BigEndian(_buffer[14..]) & 0x0FFF) : (ushort)0;

    /// <summary>The 3-bit priority code point of the tag, or 0 when untagged.</summary>
    public byte VlanPriority => HasVlanTag ? (byte)(_buffer[14] >> 5) : (byte)0;

    /// <summary>The EtherType of the payload (after the tag, if any).</summary>
    public ushort EtherType => BinaryPrimitives.ReadUInt16BigEndian(_buffer[(HasVlanTag ? 16 : 12)..]);

    /// <summary>The length of this frame's header: 14, or 18 when tagged.</summary>
    public int Length => HasVlanTag ? TaggedHeaderLength : HeaderLength;

    /// <summary>The payload after the header.</summary>
    public Span<byte> Payload => _buffer[Length..];

    /// <summary>Writes an untagged Ethernet II header.</summary>
    /// <param name="destination">Where to write; at least <see cref="HeaderLength"/> bytes.</param>
    /// <param name="destinationMac">The destination MAC.</param>
    /// <param name="sourceMac">The source MAC.</param>
    /// <param name="etherType">The payload's EtherType.</param>
    /// <returns>The number of bytes written (14).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int WriteHeader(Span<byte> destination, MacAddress destinationMac, MacAddress sourceMac, ushort etherType)
    {
        Guard.Space(destination, HeaderLength);
        destinationMac.WriteTo(destination);
        sourceMac.WriteTo(destination[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], etherType);
        return HeaderLength;
    }

    /// <summary>Writes an Ethernet II header with an 802.1Q tag.</summary>
    /// <param name="destination">Where to write; at least <see cref="TaggedHeaderLength"/> bytes.</param>
    /// <param name="destinationMac">The destination MAC.</param>
    /// <param name="sourceMac">The source MAC.</param>
    /// <param name="vlanId">The VLAN id, 0 to 4095.</param>
    /// <param name="priority">The priority code point, 0 to 7.</param>
    /// <param name="etherType">The payload's EtherType.</param>
    /// <returns>The number of bytes written (18).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short, or a field is out of range.</exception>
    public static int WriteTaggedHeader(Span<byte> destination, MacAddress destinationMac, MacAddress sourceMac, ushort vlanId, byte priority, ushort etherType)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vlanId, (ushort)0x0FFF);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priority, (byte)7);
        Guard.Space(destination, TaggedHeaderLength);
        destinationMac.WriteTo(destination);
        sourceMac.WriteTo(destination[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], EtherTypes.Vlan);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], (ushort)((priority << 13) | vlanId));
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], etherType);
        return TaggedHeaderLength;
    }
}
