using System.Buffers.Binary;
using System.Text;

namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>
/// A read-only view over a DHCPv4 message (RFC 2131 section 2): the fixed header, the magic cookie and
/// the options, including options carried in <c>file</c>/<c>sname</c> (overload, option 52) and long
/// options split over several instances (RFC 3396), which are presented concatenated.
/// </summary>
/// <remarks>
/// Parsing a message whose options each appear once and that does not use overload allocates nothing:
/// option values are slices of the packet. A message with split options or overload is normalized once
/// into a private array (rare: clients seldom send either). Any byte sequence either parses or is
/// refused with a <see cref="DhcpParseError"/>; nothing throws. The view is a <see langword="ref struct"/>
/// over the caller's buffer and is valid only while that buffer is.
/// </remarks>
public readonly ref struct DhcpMessageReader
{
    private readonly ReadOnlySpan<byte> _packet;
    private readonly ReadOnlySpan<byte> _options;
    private readonly bool _normalized;

    private DhcpMessageReader(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> options, bool normalized, DhcpOptionOverload overload)
    {
        _packet = packet;
        _options = options;
        _normalized = normalized;
        Overload = overload;
    }

    /// <summary>Parses and validates a message.</summary>
    /// <param name="packet">The UDP payload.</param>
    /// <param name="message">The view when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the buffer was refused, or <see cref="DhcpParseError.None"/>.</param>
    /// <returns>Whether the buffer holds a well-formed DHCP or BOOTP message.</returns>
    public static bool TryParse(ReadOnlySpan<byte> packet, out DhcpMessageReader message, out DhcpParseError error)
    {
        message = default;
        if (packet.Length < DhcpConstants.OptionsOffset)
        {
            error = DhcpParseError.Truncated;
            return false;
        }

        if (packet[0] is not ((byte)DhcpOpCode.BootRequest or (byte)DhcpOpCode.BootReply))
        {
            error = DhcpParseError.BadOpCode;
            return false;
        }

        if (packet[2] > DhcpConstants.ClientHardwareAddressLength)
        {
            error = DhcpParseError.BadHardwareAddressLength;
            return false;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(packet[DhcpConstants.FixedHeaderLength..]) != DhcpConstants.MagicCookie)
        {
            error = DhcpParseError.BadMagicCookie;
            return false;
        }

        var optionsField = packet[DhcpConstants.OptionsOffset..];
        Span<ulong> seen = stackalloc ulong[4];
        bool repeated = false;
        int overloadValue = 0;
        error = Scan(optionsField, seen, ref repeated, ref overloadValue, allowOverload: true);
        var overload = (DhcpOptionOverload)overloadValue;
        if (error == DhcpParseError.None && overload.HasFlag(DhcpOptionOverload.File))
        {
            error = Scan(FileField(packet), seen, ref repeated, ref overloadValue, allowOverload: false);
        }

        if (error == DhcpParseError.None && overload.HasFlag(DhcpOptionOverload.ServerName))
        {
            error = Scan(ServerNameField(packet), seen, ref repeated, ref overloadValue, allowOverload: false);
        }

        if (error != DhcpParseError.None)
        {
            return false;
        }

        message = repeated || overload != DhcpOptionOverload.None
            ? new DhcpMessageReader(packet, Normalize(packet, overload), normalized: true, overload)
            : new DhcpMessageReader(packet, optionsField, normalized: false, overload);
        return true;
    }

    /// <summary>The whole message as received.</summary>
    public ReadOnlySpan<byte> Packet => _packet;

    /// <summary>BOOTREQUEST or BOOTREPLY.</summary>
    public DhcpOpCode OpCode => (DhcpOpCode)_packet[0];

    /// <summary>The hardware address type (1 = Ethernet).</summary>
    public byte HardwareType => _packet[1];

    /// <summary>The hardware address length (6 for Ethernet).</summary>
    public byte HardwareAddressLength => _packet[2];

    /// <summary>The relay hop count.</summary>
    public byte Hops => _packet[3];

    /// <summary>The transaction id chosen by the client.</summary>
    public uint TransactionId => BinaryPrimitives.ReadUInt32BigEndian(_packet[4..]);

    /// <summary>Seconds since the client began acquiring or renewing.</summary>
    public ushort Seconds => BinaryPrimitives.ReadUInt16BigEndian(_packet[8..]);

    /// <summary>The flags field.</summary>
    public ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_packet[10..]);

    /// <summary>Whether the client asked for broadcast replies.</summary>
    public bool IsBroadcast => (Flags & DhcpConstants.BroadcastFlag) != 0;

    /// <summary>ciaddr: the client's address when it is bound, renewing or rebinding.</summary>
    public Ipv4Address ClientAddress => Ipv4Address.Read(_packet[12..]);

    /// <summary>yiaddr: the address a server gives the client.</summary>
    public Ipv4Address YourAddress => Ipv4Address.Read(_packet[16..]);

    /// <summary>siaddr: the next server (boot server).</summary>
    public Ipv4Address ServerAddress => Ipv4Address.Read(_packet[20..]);

    /// <summary>giaddr: the relay agent's address, or 0.0.0.0 when not relayed.</summary>
    public Ipv4Address GatewayAddress => Ipv4Address.Read(_packet[24..]);

    /// <summary>The client hardware address: the first <see cref="HardwareAddressLength"/> bytes of chaddr.</summary>
    public ReadOnlySpan<byte> ClientHardwareAddress => _packet.Slice(DhcpConstants.ClientHardwareAddressOffset, HardwareAddressLength);

    /// <summary>The raw 64-byte sname field (it holds options when <see cref="Overload"/> says so).</summary>
    public ReadOnlySpan<byte> ServerName => ServerNameField(_packet);

    /// <summary>The raw 128-byte file field (it holds options when <see cref="Overload"/> says so).</summary>
    public ReadOnlySpan<byte> BootFileName => FileField(_packet);

    /// <summary>Which header fields carry options (option 52).</summary>
    public DhcpOptionOverload Overload { get; }

    /// <summary>The DHCP message type (option 53), or <see cref="DhcpMessageType.None"/> when absent or malformed (BOOTP).</summary>
    public DhcpMessageType MessageType =>
        TryGetOption(DhcpOptionCode.MessageType, out var value) && value.Length == 1 ? (DhcpMessageType)value[0] : DhcpMessageType.None;

    /// <summary>The options in order of first appearance, split instances concatenated, pads, end and overload left out.</summary>
    public DhcpOptionEnumerator Options => new(_options, _normalized);

    /// <summary>Reads the Ethernet MAC address from chaddr when the hardware type is 1 and the length 6.</summary>
    /// <param name="address">The address when the method returns <see langword="true"/>.</param>
    /// <returns>Whether chaddr holds an Ethernet address.</returns>
    public bool TryGetMacAddress(out MacAddress address)
    {
        if (HardwareType == 1 && HardwareAddressLength == MacAddress.Size)
        {
            address = MacAddress.Read(ClientHardwareAddress);
            return true;
        }

        address = default;
        return false;
    }

    /// <summary>Finds an option (its instances concatenated, RFC 3396).</summary>
    /// <param name="code">The option code.</param>
    /// <param name="value">The option's value when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the option is present.</returns>
    public bool TryGetOption(DhcpOptionCode code, out ReadOnlySpan<byte> value)
    {
        foreach (var option in Options)
        {
            if (option.Code == code)
            {
                value = option.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Reads a one-address option (such as 50, 54, 1).</summary>
    /// <param name="code">The option code.</param>
    /// <param name="address">The address when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the option is present with exactly four bytes.</returns>
    public bool TryGetAddress(DhcpOptionCode code, out Ipv4Address address)
    {
        if (TryGetOption(code, out var value) && value.Length == 4)
        {
            address = Ipv4Address.Read(value);
            return true;
        }

        address = default;
        return false;
    }

    /// <summary>Reads an address-list option (such as 3, 6, 42) into <paramref name="destination"/> without allocating.</summary>
    /// <param name="code">The option code.</param>
    /// <param name="destination">Where to put the addresses; its length bounds how many are read.</param>
    /// <param name="count">How many addresses the option holds (may exceed <paramref name="destination"/>'s length).</param>
    /// <returns>Whether the option is present with a non-empty length that is a multiple of four.</returns>
    public bool TryGetAddresses(DhcpOptionCode code, Span<Ipv4Address> destination, out int count)
    {
        count = 0;
        if (!TryGetOption(code, out var value) || value.IsEmpty || value.Length % 4 != 0)
        {
            return false;
        }

        count = value.Length / 4;
        for (int i = 0; i < Math.Min(count, destination.Length); i++)
        {
            destination[i] = Ipv4Address.Read(value[(4 * i)..]);
        }

        return true;
    }

    /// <summary>Reads a 32-bit option (such as 51, 58, 59).</summary>
    /// <param name="code">The option code.</param>
    /// <param name="result">The value when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the option is present with exactly four bytes.</returns>
    public bool TryGetUInt32(DhcpOptionCode code, out uint result)
    {
        if (TryGetOption(code, out var value) && value.Length == 4)
        {
            result = BinaryPrimitives.ReadUInt32BigEndian(value);
            return true;
        }

        result = 0;
        return false;
    }

    /// <summary>Reads a 16-bit option (such as 26, 57).</summary>
    /// <param name="code">The option code.</param>
    /// <param name="result">The value when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the option is present with exactly two bytes.</returns>
    public bool TryGetUInt16(DhcpOptionCode code, out ushort result)
    {
        if (TryGetOption(code, out var value) && value.Length == 2)
        {
            result = BinaryPrimitives.ReadUInt16BigEndian(value);
            return true;
        }

        result = 0;
        return false;
    }

    /// <summary>Reads a text option (such as 12, 15) as ASCII; allocates, for API edges and logging.</summary>
    /// <param name="code">The option code.</param>
    /// <returns>The text with trailing NULs removed, or <see langword="null"/> when absent.</returns>
    public string? GetText(DhcpOptionCode code) =>
        TryGetOption(code, out var value) ? Encoding.ASCII.GetString(value.TrimEnd((byte)0)) : null;

    internal static ReadOnlySpan<byte> FileField(ReadOnlySpan<byte> packet) =>
        packet.Slice(DhcpConstants.FileOffset, DhcpConstants.FileLength);

    internal static ReadOnlySpan<byte> ServerNameField(ReadOnlySpan<byte> packet) =>
        packet.Slice(DhcpConstants.ServerNameOffset, DhcpConstants.ServerNameLength);

    // Checks that every option of one field lies inside it; notes codes seen more than once (RFC 3396 split).
    private static DhcpParseError Scan(ReadOnlySpan<byte> field, Span<ulong> seen, ref bool repeated, ref int overload, bool allowOverload)
    {
        int i = 0;
        while (i < field.Length)
        {
            byte code = field[i];
            if (code == (byte)DhcpOptionCode.Pad)
            {
                i++;
                continue;
            }

            if (code == (byte)DhcpOptionCode.End)
            {
                break;
            }

            if (i + 1 >= field.Length || i + 2 + field[i + 1] > field.Length)
            {
                return DhcpParseError.OptionTruncated;
            }

            int length = field[i + 1];
            if (code == (byte)DhcpOptionCode.OptionOverload)
            {
                if (!allowOverload || length != 1 || field[i + 2] is < 1 or > 3)
                {
                    return DhcpParseError.BadOptionOverload;
                }

                overload = field[i + 2];
            }

            ulong bit = 1UL << (code & 63);
            repeated |= (seen[code >> 6] & bit) != 0;
            seen[code >> 6] |= bit;
            i += 2 + length;
        }

        return DhcpParseError.None;
    }

    // Concatenates the instances of each option (options field, then file, then sname: RFC 3396 order)
    // into entries of code, 16-bit length, value.
    private static byte[] Normalize(ReadOnlySpan<byte> packet, DhcpOptionOverload overload)
    {
        var optionsField = packet[DhcpConstants.OptionsOffset..];
        var file = overload.HasFlag(DhcpOptionOverload.File) ? FileField(packet) : default;
        var sname = overload.HasFlag(DhcpOptionOverload.ServerName) ? ServerNameField(packet) : default;
        var output = new byte[((optionsField.Length + file.Length + sname.Length) * 3 / 2) + 3];
        Span<ulong> emitted = stackalloc ulong[4];
        int length = 0;
        for (int field = 0; field < 3; field++)
        {
            var fieldSpan = field == 0 ? optionsField : field == 1 ? file : sname;
            var walker = new DhcpOptionEnumerator(fieldSpan, normalized: false);
            while (walker.MoveNext())
            {
                byte code = (byte)walker.Current.Code;
                ulong bit = 1UL << (code & 63);
                if ((emitted[code >> 6] & bit) != 0 || code == (byte)DhcpOptionCode.OptionOverload)
                {
                    continue;
                }

                emitted[code >> 6] |= bit;
                int header = length;
                length += 3;
                for (int later = field; later < 3; later++)
                {
                    var laterSpan = later == 0 ? optionsField : later == 1 ? file : sname;
                    foreach (var instance in new DhcpOptionEnumerator(laterSpan, normalized: false))
                    {
                        if ((byte)instance.Code == code)
                        {
                            instance.Value.CopyTo(output.AsSpan(length));
                            length += instance.Value.Length;
                        }
                    }
                }

                output[header] = code;
                BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(header + 1), (ushort)(length - header - 3));
            }
        }

        return output.AsSpan(0, length).ToArray();
    }
}
