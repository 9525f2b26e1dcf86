using System.Buffers.Binary;
using System.Text;

namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>
/// Writes a DHCPv4 message into a caller's buffer without allocating: set the header fields, add options
/// (values longer than 255 bytes are split over several instances, RFC 3396), then <see cref="Complete"/>,
/// which adds the End option and pads to the 300-byte BOOTP minimum.
/// </summary>
/// <remarks>Options go in the options field only (the writer never overloads file or sname).</remarks>
public ref struct DhcpMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    /// <summary>Starts a message: clears the fixed header and writes the magic cookie.</summary>
    /// <param name="destination">At least <see cref="DhcpConstants.MinimumMessageLength"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 300 bytes.</exception>
    public DhcpMessageWriter(Span<byte> destination)
    {
        if (destination.Length < DhcpConstants.MinimumMessageLength)
        {
            throw new ArgumentException($"A DHCP message needs at least {DhcpConstants.MinimumMessageLength} bytes; the buffer has {destination.Length}.", nameof(destination));
        }

        _buffer = destination;
        _buffer[..DhcpConstants.FixedHeaderLength].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[DhcpConstants.FixedHeaderLength..], DhcpConstants.MagicCookie);
        _position = DhcpConstants.OptionsOffset;
    }

    /// <summary>The number of bytes written so far.</summary>
    public readonly int Length => _position;

    /// <summary>The op field.</summary>
    public DhcpOpCode OpCode
    {
        readonly get => (DhcpOpCode)_buffer[0];
        set => _buffer[0] = (byte)value;
    }

    /// <summary>The htype field (1 = Ethernet).</summary>
    public byte HardwareType
    {
        readonly get => _buffer[1];
        set => _buffer[1] = value;
    }

    /// <summary>The hlen field.</summary>
    public byte HardwareAddressLength
    {
        readonly get => _buffer[2];
        set => _buffer[2] = value;
    }

    /// <summary>The hops field.</summary>
    public byte Hops
    {
        readonly get => _buffer[3];
        set => _buffer[3] = value;
    }

    /// <summary>The xid field.</summary>
    public uint TransactionId
    {
        readonly get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[4..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[4..], value);
    }

    /// <summary>The secs field.</summary>
    public ushort Seconds
    {
        readonly get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[8..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[8..], value);
    }

    /// <summary>The flags field (see <see cref="DhcpConstants.BroadcastFlag"/>).</summary>
    public ushort Flags
    {
        readonly get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[10..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[10..], value);
    }

    /// <summary>ciaddr.</summary>
    public Ipv4Address ClientAddress
    {
        readonly get => Ipv4Address.Read(_buffer[12..]);
        set => value.WriteTo(_buffer[12..]);
    }

    /// <summary>yiaddr.</summary>
    public Ipv4Address YourAddress
    {
        readonly get => Ipv4Address.Read(_buffer[16..]);
        set => value.WriteTo(_buffer[16..]);
    }

    /// <summary>siaddr.</summary>
    public Ipv4Address ServerAddress
    {
        readonly get => Ipv4Address.Read(_buffer[20..]);
        set => value.WriteTo(_buffer[20..]);
    }

    /// <summary>giaddr.</summary>
    public Ipv4Address GatewayAddress
    {
        readonly get => Ipv4Address.Read(_buffer[24..]);
        set => value.WriteTo(_buffer[24..]);
    }

    /// <summary>Sets chaddr (and hlen) from raw bytes; htype is left to the caller.</summary>
    /// <param name="address">At most 16 bytes.</param>
    /// <exception cref="ArgumentException">More than 16 bytes.</exception>
    public void SetClientHardwareAddress(scoped ReadOnlySpan<byte> address)
    {
        if (address.Length > DhcpConstants.ClientHardwareAddressLength)
        {
            throw new ArgumentException($"chaddr holds at most {DhcpConstants.ClientHardwareAddressLength} bytes; got {address.Length}.", nameof(address));
        }

        var field = _buffer.Slice(DhcpConstants.ClientHardwareAddressOffset, DhcpConstants.ClientHardwareAddressLength);
        field.Clear();
        address.CopyTo(field);
        HardwareAddressLength = (byte)address.Length;
    }

    /// <summary>Sets an Ethernet chaddr: htype 1, hlen 6.</summary>
    /// <param name="address">The MAC address.</param>
    public void SetClientHardwareAddress(MacAddress address)
    {
        Span<byte> bytes = stackalloc byte[MacAddress.Size];
        address.WriteTo(bytes);
        SetClientHardwareAddress(bytes);
        HardwareType = 1;
    }

    /// <summary>Sets the sname field (at most 64 bytes, the rest zero).</summary>
    /// <param name="value">The bytes.</param>
    public readonly void SetServerName(ReadOnlySpan<byte> value) => SetField(DhcpConstants.ServerNameOffset, DhcpConstants.ServerNameLength, value);

    /// <summary>Sets the file field (at most 128 bytes, the rest zero).</summary>
    /// <param name="value">The bytes.</param>
    public readonly void SetBootFileName(ReadOnlySpan<byte> value) => SetField(DhcpConstants.FileOffset, DhcpConstants.FileLength, value);

    /// <summary>Adds an option, split into instances of at most 255 bytes when longer (RFC 3396).</summary>
    /// <param name="code">Any code except Pad (0) and End (255).</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException"><paramref name="code"/> is Pad or End.</exception>
    /// <exception cref="InvalidOperationException">The buffer is too small.</exception>
    public void WriteOption(DhcpOptionCode code, scoped ReadOnlySpan<byte> value)
    {
        if (code is DhcpOptionCode.Pad or DhcpOptionCode.End)
        {
            throw new ArgumentException("Pad and End are not options with a value.", nameof(code));
        }

        int instances = Math.Max(1, (value.Length + 254) / 255);
        EnsureSpace((2 * instances) + value.Length);
        do
        {
            int chunk = Math.Min(255, value.Length);
            _buffer[_position] = (byte)code;
            _buffer[_position + 1] = (byte)chunk;
            value[..chunk].CopyTo(_buffer[(_position + 2)..]);
            _position += 2 + chunk;
            value = value[chunk..];
        }
        while (!value.IsEmpty);
    }

    /// <summary>Adds the message type option (53).</summary>
    /// <param name="type">The message type.</param>
    public void WriteMessageType(DhcpMessageType type) => WriteByteOption(DhcpOptionCode.MessageType, (byte)type);

    /// <summary>Adds a one-byte option.</summary>
    /// <param name="code">The code.</param>
    /// <param name="value">The value.</param>
    public void WriteByteOption(DhcpOptionCode code, byte value)
    {
        Span<byte> bytes = [value];
        WriteOption(code, bytes);
    }

    /// <summary>Adds a 16-bit option (such as 26 MTU).</summary>
    /// <param name="code">The code.</param>
    /// <param name="value">The value.</param>
    public void WriteUInt16Option(DhcpOptionCode code, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        WriteOption(code, bytes);
    }

    /// <summary>Adds a 32-bit option (such as 51, 58, 59).</summary>
    /// <param name="code">The code.</param>
    /// <param name="value">The value.</param>
    public void WriteUInt32Option(DhcpOptionCode code, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        WriteOption(code, bytes);
    }

    /// <summary>Adds a one-address option (such as 1, 28, 54).</summary>
    /// <param name="code">The code.</param>
    /// <param name="address">The address.</param>
    public void WriteAddressOption(DhcpOptionCode code, Ipv4Address address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.WriteTo(bytes);
        WriteOption(code, bytes);
    }

    /// <summary>Adds an address-list option (such as 3, 6, 42).</summary>
    /// <param name="code">The code.</param>
    /// <param name="addresses">The addresses, in order.</param>
    public void WriteAddressesOption(DhcpOptionCode code, scoped ReadOnlySpan<Ipv4Address> addresses)
    {
        int length = 4 * addresses.Length;
        Span<byte> bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        for (int i = 0; i < addresses.Length; i++)
        {
            addresses[i].WriteTo(bytes[(4 * i)..]);
        }

        WriteOption(code, bytes);
    }

    /// <summary>Adds a text option (such as 12, 15, 56) in ASCII; non-ASCII characters become '?'.</summary>
    /// <param name="code">The code.</param>
    /// <param name="text">The text.</param>
    public void WriteTextOption(DhcpOptionCode code, scoped ReadOnlySpan<char> text)
    {
        Span<byte> bytes = text.Length <= 512 ? stackalloc byte[text.Length] : new byte[text.Length];
        Encoding.ASCII.GetBytes(text, bytes);
        WriteOption(code, bytes);
    }

    /// <summary>Adds the classless static route option (121, RFC 3442).</summary>
    /// <param name="routes">The routes.</param>
    public void WriteClasslessStaticRoutes(scoped ReadOnlySpan<ClasslessStaticRoute> routes)
    {
        int length = ClasslessStaticRoute.GetEncodedLength(routes);
        Span<byte> bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        ClasslessStaticRoute.Encode(routes, bytes);
        WriteOption(DhcpOptionCode.ClasslessStaticRoute, bytes);
    }

    /// <summary>Adds the domain search option (119, RFC 3397) with name compression; allocates, prefer caching <see cref="DomainSearchList.Encode"/>.</summary>
    /// <param name="domains">The search domains, in order.</param>
    public void WriteDomainSearch(IEnumerable<string> domains) =>
        WriteOption(DhcpOptionCode.DomainSearch, DomainSearchList.Encode(domains));

    /// <summary>Adds the End option and pads with zeros to at least 300 bytes.</summary>
    /// <returns>The length of the message.</returns>
    /// <exception cref="InvalidOperationException">The buffer is too small.</exception>
    public int Complete()
    {
        EnsureSpace(0);
        _buffer[_position++] = (byte)DhcpOptionCode.End;
        if (_position < DhcpConstants.MinimumMessageLength)
        {
            _buffer[_position..DhcpConstants.MinimumMessageLength].Clear();
            _position = DhcpConstants.MinimumMessageLength;
        }

        return _position;
    }

    private readonly void SetField(int offset, int length, ReadOnlySpan<byte> value)
    {
        if (value.Length > length)
        {
            throw new ArgumentException($"The field holds at most {length} bytes; got {value.Length}.", nameof(value));
        }

        var field = _buffer.Slice(offset, length);
        field.Clear();
        value.CopyTo(field);
    }

    // One byte stays free for End.
    private readonly void EnsureSpace(int bytes)
    {
        if (_position + bytes + 1 > _buffer.Length)
        {
            throw new InvalidOperationException($"The DHCP message does not fit in its {_buffer.Length}-byte buffer.");
        }
    }
}
