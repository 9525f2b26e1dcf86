using System.Buffers.Binary;

namespace CloudTemple.Networking.Packets;

/// <summary>
/// A view over an Ethernet II frame (without preamble or FCS), untagged, with an IEEE 802.1Q tag (0x8100), or with
/// two tags: IEEE 802.1ad QinQ (an S-tag 0x88A8, then a C-tag 0x8100) or 802.1Q-in-802.1Q (0x8100 twice).
/// Reading and writing fields touches the underlying buffer; nothing is copied or allocated.
/// </summary>
/// <remarks>
/// The tags are counted when the view is parsed: after <see cref="VlanTag.Push"/> or <see cref="VlanTag.TryPop"/>,
/// parse the frame again. A view is as thread-safe as the buffer it wraps: not at all when the buffer is shared and written.
/// </remarks>
public readonly ref struct EthernetFrame
{
    /// <summary>The header length without a VLAN tag.</summary>
    public const int HeaderLength = 14;

    /// <summary>The header length with an 802.1Q tag.</summary>
    public const int TaggedHeaderLength = 18;

    /// <summary>The header length with two tags (QinQ).</summary>
    public const int DoubleTaggedHeaderLength = 22;

    private const int TypeOffset = 12;

    private readonly Span<byte> _buffer;
    private readonly int _tagCount;

    private EthernetFrame(Span<byte> buffer, int tagCount)
    {
        _buffer = buffer;
        _tagCount = tagCount;
    }

    /// <summary>Parses a frame header, with up to two VLAN tags.</summary>
    /// <param name="buffer">The frame, starting with the destination MAC.</param>
    /// <param name="frame">The view when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the buffer was refused, or <see cref="PacketParseError.None"/>.</param>
    /// <returns>Whether the buffer holds a whole Ethernet header, tags included.</returns>
    public static bool TryParse(Span<byte> buffer, out EthernetFrame frame, out PacketParseError error)
    {
        frame = default;
        int tagCount = 0;
        if (buffer.Length >= HeaderLength && VlanTag.IsTagProtocol(BinaryPrimitives.ReadUInt16BigEndian(buffer[TypeOffset..])))
        {
            // A second tag is looked for only after a whole first one; only a C-tag may be inner.
            tagCount = buffer.Length >= TaggedHeaderLength && BinaryPrimitives.ReadUInt16BigEndian(buffer[(TypeOffset + VlanTag.Length)..]) == EtherTypes.Vlan ? 2 : 1;
        }

        if (buffer.Length < HeaderLength + (tagCount * VlanTag.Length))
        {
            error = PacketParseError.Truncated;
            return false;
        }

        frame = new EthernetFrame(buffer, tagCount);
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

    /// <summary>The number of VLAN tags: 0, 1, or 2 for QinQ.</summary>
    public int TagCount => _tagCount;

    /// <summary>Whether the frame carries a VLAN tag (802.1Q or 802.1ad).</summary>
    public bool HasVlanTag => _tagCount != 0;

    /// <summary>The outermost tag (the S-tag of QinQ, the only tag of an 802.1Q frame), or <c>default</c> when untagged.</summary>
    public VlanTag OuterTag => _tagCount != 0 ? VlanTag.Read(_buffer[TypeOffset..]) : default;

    /// <summary>The inner tag of a double-tagged frame (the C-tag of QinQ), or <c>default</c> when there are fewer than two tags.</summary>
    public VlanTag InnerTag => _tagCount == 2 ? VlanTag.Read(_buffer[(TypeOffset + VlanTag.Length)..]) : default;

    /// <summary>The 12-bit VLAN id of the outermost tag, or 0 when untagged.</summary>
    public ushort VlanId => OuterTag.VlanId;

    /// <summary>The 3-bit priority code point of the outermost tag, or 0 when untagged.</summary>
    public byte VlanPriority => OuterTag.Priority;

    /// <summary>The EtherType of the payload (after the tags, if any).</summary>
    public ushort EtherType => BinaryPrimitives.ReadUInt16BigEndian(_buffer[(TypeOffset + (_tagCount * VlanTag.Length))..]);

    /// <summary>The length of this frame's header: 14, 18 with one tag, 22 with two.</summary>
    public int Length => HeaderLength + (_tagCount * VlanTag.Length);

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
        var tag = VlanTag.Customer(vlanId, priority);
        Guard.Space(destination, TaggedHeaderLength);
        destinationMac.WriteTo(destination);
        sourceMac.WriteTo(destination[6..]);
        tag.WriteTo(destination[TypeOffset..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], etherType);
        return TaggedHeaderLength;
    }

    /// <summary>Writes an Ethernet II header with two tags: an 802.1ad QinQ header when <paramref name="outerTag"/> is an S-tag.</summary>
    /// <param name="destination">Where to write; at least <see cref="DoubleTaggedHeaderLength"/> bytes.</param>
    /// <param name="destinationMac">The destination MAC.</param>
    /// <param name="sourceMac">The source MAC.</param>
    /// <param name="outerTag">The outer tag, usually <see cref="VlanTag.Service"/>.</param>
    /// <param name="innerTag">The inner tag, a <see cref="VlanTag.Customer"/> tag.</param>
    /// <param name="etherType">The payload's EtherType.</param>
    /// <returns>The number of bytes written (22).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short, a tag is <c>default</c>, or the inner tag is not a C-tag.</exception>
    public static int WriteDoubleTaggedHeader(Span<byte> destination, MacAddress destinationMac, MacAddress sourceMac, VlanTag outerTag, VlanTag innerTag, ushort etherType)
    {
        if (!VlanTag.IsTagProtocol(outerTag.ProtocolIdentifier))
        {
            throw new ArgumentException("The outer tag has no protocol identifier (it is default).", nameof(outerTag));
        }

        if (innerTag.ProtocolIdentifier != EtherTypes.Vlan)
        {
            throw new ArgumentException($"The inner tag must be an 802.1Q C-tag (0x8100); got 0x{innerTag.ProtocolIdentifier:X4}.", nameof(innerTag));
        }

        Guard.Space(destination, DoubleTaggedHeaderLength);
        destinationMac.WriteTo(destination);
        sourceMac.WriteTo(destination[6..]);
        outerTag.WriteTo(destination[TypeOffset..]);
        innerTag.WriteTo(destination[(TypeOffset + VlanTag.Length)..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(TypeOffset + (2 * VlanTag.Length))..], etherType);
        return DoubleTaggedHeaderLength;
    }
}
