using System.Buffers.Binary;
using System.Globalization;

namespace CloudTemple.Networking.Packets;

/// <summary>
/// A VLAN tag as it sits after the source MAC of an Ethernet frame: the tag protocol identifier (0x8100 for an IEEE
/// 802.1Q customer tag, 0x88A8 for an IEEE 802.1ad service tag), then the priority code point, the drop eligible
/// indicator and the 12-bit VLAN id. <see cref="Push"/> and <see cref="TryPop"/> add and remove the outermost tag of a
/// frame in place. Immutable and thread-safe; <c>default</c> is "no tag" (protocol identifier 0).
/// </summary>
public readonly struct VlanTag : IEquatable<VlanTag>
{
    /// <summary>The length of a tag in a frame.</summary>
    public const int Length = 4;

    /// <summary>The largest VLAN id, 4095.</summary>
    public const ushort MaxVlanId = 0x0FFF;

    /// <summary>The largest priority code point, 7.</summary>
    public const byte MaxPriority = 7;

    private const int MacAddressesLength = 2 * MacAddress.Size;
    private const ushort DropEligibleBit = 0x1000;

    private readonly uint _value;

    /// <summary>Creates a tag.</summary>
    /// <param name="vlanId">The VLAN id, 0 to 4095.</param>
    /// <param name="priority">The priority code point, 0 to 7.</param>
    /// <param name="dropEligible">The drop eligible indicator.</param>
    /// <param name="protocolIdentifier"><see cref="EtherTypes.Vlan"/> (a C-tag) or <see cref="EtherTypes.ServiceVlan"/> (an S-tag).</param>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="protocolIdentifier"/> is not a VLAN tag protocol identifier.</exception>
    public VlanTag(ushort vlanId, byte priority = 0, bool dropEligible = false, ushort protocolIdentifier = EtherTypes.Vlan)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vlanId, MaxVlanId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priority, MaxPriority);
        if (!IsTagProtocol(protocolIdentifier))
        {
            throw new ArgumentException($"0x{protocolIdentifier:X4} is not a VLAN tag protocol identifier (0x8100 or 0x88A8).", nameof(protocolIdentifier));
        }

        _value = ((uint)protocolIdentifier << 16) | (uint)(priority << 13) | (dropEligible ? DropEligibleBit : 0u) | vlanId;
    }

    private VlanTag(uint value) => _value = value;

    /// <summary>The tag protocol identifier: 0x8100 (C-tag), 0x88A8 (S-tag), or 0 for <c>default</c>.</summary>
    public ushort ProtocolIdentifier => (ushort)(_value >> 16);

    /// <summary>The tag control information: priority, drop eligible indicator and VLAN id as one field.</summary>
    public ushort ControlInformation => (ushort)_value;

    /// <summary>The 12-bit VLAN id.</summary>
    public ushort VlanId => (ushort)(_value & MaxVlanId);

    /// <summary>The 3-bit priority code point.</summary>
    public byte Priority => (byte)(ControlInformation >> 13);

    /// <summary>The drop eligible indicator.</summary>
    public bool DropEligible => (ControlInformation & DropEligibleBit) != 0;

    /// <summary>Whether this is an IEEE 802.1ad service tag (0x88A8), the outer tag of QinQ.</summary>
    public bool IsServiceTag => ProtocolIdentifier == EtherTypes.ServiceVlan;

    /// <summary>Creates an IEEE 802.1Q customer tag (C-tag, 0x8100).</summary>
    /// <param name="vlanId">The VLAN id, 0 to 4095.</param>
    /// <param name="priority">The priority code point, 0 to 7.</param>
    /// <returns>The tag.</returns>
    public static VlanTag Customer(ushort vlanId, byte priority = 0) => new(vlanId, priority, protocolIdentifier: EtherTypes.Vlan);

    /// <summary>Creates an IEEE 802.1ad service tag (S-tag, 0x88A8).</summary>
    /// <param name="vlanId">The VLAN id, 0 to 4095.</param>
    /// <param name="priority">The priority code point, 0 to 7.</param>
    /// <returns>The tag.</returns>
    public static VlanTag Service(ushort vlanId, byte priority = 0) => new(vlanId, priority, protocolIdentifier: EtherTypes.ServiceVlan);

    /// <summary>Whether an EtherType field value announces a VLAN tag (0x8100 or 0x88A8).</summary>
    /// <param name="etherType">The value of the type field.</param>
    /// <returns><see langword="true"/> for a tag protocol identifier.</returns>
    public static bool IsTagProtocol(ushort etherType) => etherType is EtherTypes.Vlan or EtherTypes.ServiceVlan;

    /// <summary>Reads a tag: 2 bytes of protocol identifier, 2 of control information.</summary>
    /// <param name="source">At least <see cref="Length"/> bytes.</param>
    /// <returns>The tag as read, whatever its protocol identifier.</returns>
    public static VlanTag Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt32BigEndian(source));

    /// <summary>Writes the tag's 4 bytes.</summary>
    /// <param name="destination">At least <see cref="Length"/> bytes.</param>
    public void WriteTo(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, _value);

    /// <summary>
    /// Pushes <paramref name="tag"/> as the new outermost tag of a frame, in place: the 12 MAC bytes move 4 bytes toward
    /// the start and the tag is written behind them. Nothing else of the frame moves; nothing is allocated.
    /// </summary>
    /// <param name="headroomAndFrame">
    /// 4 bytes of headroom followed by the frame (starting with its destination MAC): the span that starts 4 bytes before the frame.
    /// </param>
    /// <param name="tag">The tag to push: a C-tag onto an untagged frame, an S-tag onto a C-tagged one for QinQ.</param>
    /// <returns>The tagged frame: the whole of <paramref name="headroomAndFrame"/>.</returns>
    /// <exception cref="ArgumentException">The span is shorter than 4 bytes of headroom and an Ethernet header, or <paramref name="tag"/> is <c>default</c>.</exception>
    public static Span<byte> Push(Span<byte> headroomAndFrame, VlanTag tag)
    {
        if (!IsTagProtocol(tag.ProtocolIdentifier))
        {
            throw new ArgumentException("The tag has no protocol identifier (it is default).", nameof(tag));
        }

        if (headroomAndFrame.Length < Length + EthernetFrame.HeaderLength)
        {
            throw new ArgumentException($"The span holds {headroomAndFrame.Length} bytes; 4 bytes of headroom and a 14-byte Ethernet header are needed.", nameof(headroomAndFrame));
        }

        headroomAndFrame.Slice(Length, MacAddressesLength).CopyTo(headroomAndFrame);
        tag.WriteTo(headroomAndFrame[MacAddressesLength..]);
        return headroomAndFrame;
    }

    /// <summary>
    /// Pops the outermost tag of a frame, in place: the 12 MAC bytes move 4 bytes forward over the tag, so that the
    /// frame now starts 4 bytes later. Nothing is allocated; a frame without a tag is left untouched.
    /// </summary>
    /// <param name="frame">The frame, starting with its destination MAC.</param>
    /// <param name="tag">The tag removed, or <c>default</c>.</param>
    /// <param name="untaggedFrame">The shorter frame, <c>frame[4..]</c>, or <paramref name="frame"/> itself when nothing was popped.</param>
    /// <returns>Whether the frame had a tag (0x8100 or 0x88A8 after the source MAC) and a whole header after it.</returns>
    public static bool TryPop(Span<byte> frame, out VlanTag tag, out Span<byte> untaggedFrame)
    {
        if (frame.Length < EthernetFrame.TaggedHeaderLength || !IsTagProtocol(BinaryPrimitives.ReadUInt16BigEndian(frame[MacAddressesLength..])))
        {
            tag = default;
            untaggedFrame = frame;
            return false;
        }

        tag = Read(frame[MacAddressesLength..]);
        frame[..MacAddressesLength].CopyTo(frame[Length..]);
        untaggedFrame = frame[Length..];
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(VlanTag other) => _value == other._value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is VlanTag other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value.GetHashCode();

    /// <summary>The protocol identifier, VLAN id and priority, as <c>0x8100 vid 100 pcp 5</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"0x{ProtocolIdentifier:X4} vid {VlanId} pcp {Priority}{(DropEligible ? " dei" : string.Empty)}");

    /// <summary>Whether two tags are equal in every field.</summary>
    /// <param name="left">A tag.</param>
    /// <param name="right">A tag.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(VlanTag left, VlanTag right) => left.Equals(right);

    /// <summary>Whether two tags differ in a field.</summary>
    /// <param name="left">A tag.</param>
    /// <param name="right">A tag.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(VlanTag left, VlanTag right) => !left.Equals(right);
}
