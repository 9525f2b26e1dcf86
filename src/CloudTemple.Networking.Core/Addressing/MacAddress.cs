using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Net.NetworkInformation;
using System.Security.Cryptography;

namespace CloudTemple.Networking;

/// <summary>
/// A 48-bit IEEE 802 MAC address held in a <see cref="ulong"/>.
/// </summary>
/// <remarks>
/// Parses the usual notations: <c>02:00:5e:10:00:01</c> (Linux), <c>02-00-5E-10-00-01</c> (Windows),
/// <c>0200.5e10.0001</c> (Cisco) and <c>02005e100001</c> (bare), in either case. Formats with
/// <c>"C"</c> (colons, the default), <c>"H"</c> (hyphens), <c>"D"</c> (Cisco dots) or <c>"N"</c> (bare),
/// in lower case; upper-case format letters give upper-case digits. Immutable and thread-safe.
/// </remarks>
[TypeConverter(typeof(MacAddressConverter))]
public readonly struct MacAddress : IEquatable<MacAddress>, IComparable<MacAddress>, IComparable,
    ISpanFormattable, ISpanParsable<MacAddress>
{
    /// <summary>The number of bytes of a MAC address.</summary>
    public const int Size = 6;

    private const ulong ValueMask = 0xFFFF_FFFF_FFFFUL;
    private const byte MulticastBit = 0x01;
    private const byte LocalBit = 0x02;

    private readonly ulong _value;

    /// <summary>Creates an address from the low 48 bits of <paramref name="value"/>, first octet most significant.</summary>
    /// <param name="value">The value; bits above 48 must be zero.</param>
    /// <exception cref="ArgumentOutOfRangeException">Bits above the 48th are set.</exception>
    public MacAddress(ulong value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, ValueMask);
        _value = value;
    }

    /// <summary>00:00:00:00:00:00.</summary>
    public static MacAddress Zero => default;

    /// <summary>ff:ff:ff:ff:ff:ff, the broadcast address.</summary>
    public static MacAddress Broadcast => new(ValueMask);

    /// <summary>The address as a 48-bit value, first octet most significant.</summary>
    public ulong Value => _value;

    private byte FirstOctet => (byte)(_value >> 40);

    /// <summary>Whether this is ff:ff:ff:ff:ff:ff.</summary>
    public bool IsBroadcast => _value == ValueMask;

    /// <summary>Whether the group bit (I/G, the low bit of the first octet) is set; broadcast is multicast too.</summary>
    public bool IsMulticast => (FirstOctet & MulticastBit) != 0;

    /// <summary>Whether the address is individual (not multicast).</summary>
    public bool IsUnicast => !IsMulticast;

    /// <summary>Whether the locally administered bit (U/L, the second bit of the first octet) is set.</summary>
    public bool IsLocallyAdministered => (FirstOctet & LocalBit) != 0;

    /// <summary>
    /// A random unicast, locally administered address (first octet <c>x2</c>, <c>x6</c>, <c>xA</c> or <c>xE</c>),
    /// as a hypervisor gives a virtual NIC; uses a cryptographic random source so that hosts do not collide.
    /// </summary>
    /// <returns>A new address.</returns>
    public static MacAddress NewLocallyAdministered()
    {
        Span<byte> bytes = stackalloc byte[Size];
        RandomNumberGenerator.Fill(bytes);
        return AsLocallyAdministeredUnicast(bytes);
    }

    /// <summary>A random unicast, locally administered address drawn from <paramref name="random"/> (reproducible with a seeded <see cref="Random"/>).</summary>
    /// <param name="random">The source of randomness.</param>
    /// <returns>A new address.</returns>
    public static MacAddress NewLocallyAdministered(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[Size];
        random.NextBytes(bytes);
        return AsLocallyAdministeredUnicast(bytes);
    }

    private static MacAddress AsLocallyAdministeredUnicast(Span<byte> bytes)
    {
        bytes[0] = (byte)((bytes[0] & ~MulticastBit) | LocalBit);
        return Read(bytes);
    }

    /// <summary>Reads an address from the first six bytes of <paramref name="source"/>.</summary>
    /// <param name="source">At least six bytes.</param>
    /// <returns>The address.</returns>
    public static MacAddress Read(ReadOnlySpan<byte> source) =>
        new(((ulong)BinaryPrimitives.ReadUInt16BigEndian(source) << 32) | BinaryPrimitives.ReadUInt32BigEndian(source[2..]));

    /// <summary>Writes the address into the first six bytes of <paramref name="destination"/>.</summary>
    /// <param name="destination">At least six bytes.</param>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(_value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)_value);
    }

    /// <summary>Converts a <see cref="PhysicalAddress"/> of six bytes.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The MAC address.</returns>
    /// <exception cref="ArgumentException">The address is not six bytes long.</exception>
    public static MacAddress FromPhysicalAddress(PhysicalAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A MAC address has {Size} bytes; this one has {bytes.Length}.", nameof(address));
        }

        return Read(bytes);
    }

    /// <summary>Converts to a <see cref="PhysicalAddress"/> (allocates).</summary>
    /// <returns>The physical address.</returns>
    public PhysicalAddress ToPhysicalAddress()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return new PhysicalAddress(bytes);
    }

    /// <summary>Parses any of the usual notations (see the type's remarks).</summary>
    /// <param name="s">The text.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">The text is not a MAC address.</exception>
    public static MacAddress Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan());
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static MacAddress Parse(ReadOnlySpan<char> s)
    {
        if (!TryParse(s, out var address))
        {
            throw new FormatException($"'{s}' is not a MAC address; expected 02:00:5e:10:00:01, 02-00-5e-10-00-01, 0200.5e10.0001 or 02005e100001.");
        }

        return address;
    }

    /// <summary>Tries to parse any of the usual notations.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The address when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the text is a MAC address.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out MacAddress result) => TryParse(s.AsSpan(), out result);

    /// <inheritdoc cref="TryParse(string?, out MacAddress)"/>
    public static bool TryParse(ReadOnlySpan<char> s, out MacAddress result)
    {
        result = default;
        // Group size and separator follow from the length: 17 = six pairs, 14 = three quads, 12 = bare.
        (int group, char separator) = s.Length switch
        {
            17 => (2, s[2]),
            14 => (4, '.'),
            12 => (12, '\0'),
            _ => (0, '\0'),
        };
        if (group == 0 || (group == 2 && separator is not (':' or '-')))
        {
            return false;
        }

        ulong value = 0;
        int digitsInGroup = 0;
        foreach (char c in s)
        {
            if (digitsInGroup == group)
            {
                if (c != separator)
                {
                    return false;
                }

                digitsInGroup = 0;
                continue;
            }

            int nibble = HexValue(c);
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)nibble;
            digitsInGroup++;
        }

        result = new MacAddress(value);
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    static MacAddress IParsable<MacAddress>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<MacAddress>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out MacAddress result) => TryParse(s, out result);

    static MacAddress ISpanParsable<MacAddress>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<MacAddress>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out MacAddress result) => TryParse(s, out result);

    /// <summary>Formats the address.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="charsWritten">How many characters were written.</param>
    /// <param name="format"><c>C</c> (colons, default), <c>H</c> (hyphens), <c>D</c> (dots) or <c>N</c> (bare); upper case gives upper-case digits.</param>
    /// <param name="provider">Ignored.</param>
    /// <returns>Whether <paramref name="destination"/> was large enough.</returns>
    /// <exception cref="FormatException">The format is not one of the above.</exception>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        char spec = format.IsEmpty ? 'c' : format[0];
        if (format.Length > 1)
        {
            throw new FormatException($"'{format}' is not a MAC address format; use C, H, D or N.");
        }

        (int group, char separator) = char.ToLowerInvariant(spec) switch
        {
            'c' => (2, ':'),
            'h' => (2, '-'),
            'd' => (4, '.'),
            'n' => (12, '\0'),
            _ => throw new FormatException($"'{format}' is not a MAC address format; use C, H, D or N."),
        };
        int length = 12 + ((12 / group) - 1);
        charsWritten = 0;
        if (destination.Length < length)
        {
            return false;
        }

        string digits = char.IsUpper(spec) && !format.IsEmpty ? "0123456789ABCDEF" : "0123456789abcdef";
        int position = 0;
        for (int nibble = 0; nibble < 12; nibble++)
        {
            if (nibble > 0 && nibble % group == 0)
            {
                destination[position++] = separator;
            }

            destination[position++] = digits[(int)((_value >> (44 - (4 * nibble))) & 0xF)];
        }

        charsWritten = position;
        return true;
    }

    /// <summary>Formats with the given format (see <see cref="TryFormat"/>).</summary>
    /// <param name="format">The format letter, or null for the default.</param>
    /// <param name="formatProvider">Ignored.</param>
    /// <returns>The text.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        Span<char> buffer = stackalloc char[17];
        TryFormat(buffer, out int written, format, formatProvider);
        return new string(buffer[..written]);
    }

    /// <summary>The colon form in lower case, for example <c>02:00:5e:10:00:01</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ToString(null, null);

    /// <inheritdoc/>
    public bool Equals(MacAddress other) => _value == other._value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MacAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(MacAddress other) => _value.CompareTo(other._value);

    /// <inheritdoc/>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        MacAddress other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(MacAddress)}.", nameof(obj)),
    };

    /// <summary>Equality.</summary>
    public static bool operator ==(MacAddress left, MacAddress right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(MacAddress left, MacAddress right) => !left.Equals(right);

    /// <summary>Numeric ordering.</summary>
    public static bool operator <(MacAddress left, MacAddress right) => left._value < right._value;

    /// <summary>Numeric ordering.</summary>
    public static bool operator >(MacAddress left, MacAddress right) => left._value > right._value;

    /// <summary>Numeric ordering.</summary>
    public static bool operator <=(MacAddress left, MacAddress right) => left._value <= right._value;

    /// <summary>Numeric ordering.</summary>
    public static bool operator >=(MacAddress left, MacAddress right) => left._value >= right._value;
}
