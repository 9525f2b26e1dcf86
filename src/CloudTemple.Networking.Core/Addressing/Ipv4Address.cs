using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace CloudTemple.Networking;

/// <summary>
/// An IPv4 address held as a host-order <see cref="uint"/>: cheap to copy, compare and hash,
/// and the form every hot path of the libraries works with.
/// </summary>
/// <remarks>
/// Parsing is strict dotted-quad (four decimal octets, no leading zeros), unlike
/// <see cref="IPAddress.Parse(string)"/>, which also accepts forms such as <c>10.1</c> or octal.
/// This type is immutable and thread-safe.
/// </remarks>
[TypeConverter(typeof(Ipv4AddressConverter))]
public readonly struct Ipv4Address : IEquatable<Ipv4Address>, IComparable<Ipv4Address>, IComparable,
    ISpanFormattable, ISpanParsable<Ipv4Address>
{
    /// <summary>The longest text form, <c>255.255.255.255</c>.</summary>
    public const int MaxTextLength = 15;

    /// <summary>Creates an address from its host-order value (10.0.0.1 is <c>0x0A000001</c>).</summary>
    /// <param name="value">The address as a host-order 32-bit value.</param>
    public Ipv4Address(uint value) => Value = value;

    /// <summary>0.0.0.0.</summary>
    public static Ipv4Address Any => default;

    /// <summary>255.255.255.255, the limited broadcast address.</summary>
    public static Ipv4Address Broadcast => new(uint.MaxValue);

    /// <summary>The address as a host-order 32-bit value.</summary>
    public uint Value { get; }

    /// <summary>Reads an address in network byte order from the first four bytes of <paramref name="source"/>.</summary>
    /// <param name="source">At least four bytes.</param>
    /// <returns>The address.</returns>
    public static Ipv4Address Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt32BigEndian(source));

    /// <summary>Writes the address in network byte order into the first four bytes of <paramref name="destination"/>.</summary>
    /// <param name="destination">At least four bytes.</param>
    public void WriteTo(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, Value);

    /// <summary>Converts an IPv4 <see cref="IPAddress"/> (or an IPv4-mapped IPv6 one).</summary>
    /// <param name="address">The address to convert.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv4-mapped IPv6.</exception>
    public static Ipv4Address FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"'{address}' is not an IPv4 address.", nameof(address));
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return Read(bytes);
    }

    /// <summary>Converts to a <see cref="IPAddress"/> (allocates; for API edges and display).</summary>
    /// <returns>A new <see cref="IPAddress"/>.</returns>
    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[4];
        WriteTo(bytes);
        return new IPAddress(bytes);
    }

    /// <summary>Parses a strict dotted-quad address such as <c>192.0.2.1</c>.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">The text is not a strict dotted-quad IPv4 address.</exception>
    public static Ipv4Address Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan());
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static Ipv4Address Parse(ReadOnlySpan<char> s)
    {
        if (!TryParse(s, out var address))
        {
            throw new FormatException($"'{s}' is not an IPv4 address in dotted-quad notation (four decimal octets 0-255, no leading zeros).");
        }

        return address;
    }

    /// <summary>Tries to parse a strict dotted-quad address.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The address when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the text is a valid address.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out Ipv4Address result) => TryParse(s.AsSpan(), out result);

    /// <inheritdoc cref="TryParse(string?, out Ipv4Address)"/>
    public static bool TryParse(ReadOnlySpan<char> s, out Ipv4Address result)
    {
        result = default;
        uint value = 0;
        int octets = 0;
        int i = 0;
        while (octets < 4)
        {
            int start = i;
            uint octet = 0;
            while (i < s.Length && i - start < 4 && char.IsAsciiDigit(s[i]))
            {
                octet = (octet * 10) + (uint)(s[i] - '0');
                i++;
            }

            int digits = i - start;
            // Leading zeros are refused: inet_aton reads them as octal, so "010" is ambiguous.
            if (digits == 0 || digits > 3 || octet > 255 || (digits > 1 && s[start] == '0'))
            {
                return false;
            }

            value = (value << 8) | octet;
            octets++;
            if (octets < 4)
            {
                if (i >= s.Length || s[i] != '.')
                {
                    return false;
                }

                i++;
            }
        }

        if (i != s.Length)
        {
            return false;
        }

        result = new Ipv4Address(value);
        return true;
    }

    static Ipv4Address IParsable<Ipv4Address>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<Ipv4Address>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Ipv4Address result) => TryParse(s, out result);

    static Ipv4Address ISpanParsable<Ipv4Address>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<Ipv4Address>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Ipv4Address result) => TryParse(s, out result);

    /// <summary>Formats the address as dotted-quad text.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="charsWritten">How many characters were written.</param>
    /// <returns>Whether <paramref name="destination"/> was large enough.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            uint octet = (Value >> shift) & 0xFF;
            if (!octet.TryFormat(destination[charsWritten..], out int written, default, System.Globalization.CultureInfo.InvariantCulture))
            {
                charsWritten = 0;
                return false;
            }

            charsWritten += written;
            if (shift != 0)
            {
                if (charsWritten >= destination.Length)
                {
                    charsWritten = 0;
                    return false;
                }

                destination[charsWritten++] = '.';
            }
        }

        return true;
    }

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        TryFormat(destination, out charsWritten);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>The dotted-quad text form, for example <c>10.0.0.1</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[MaxTextLength];
        TryFormat(buffer, out int written);
        return new string(buffer[..written]);
    }

    /// <inheritdoc/>
    public bool Equals(Ipv4Address other) => Value == other.Value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Ipv4Address other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(Ipv4Address other) => Value.CompareTo(other.Value);

    /// <inheritdoc/>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Ipv4Address other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(Ipv4Address)}.", nameof(obj)),
    };

    /// <summary>Equality.</summary>
    public static bool operator ==(Ipv4Address left, Ipv4Address right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Ipv4Address left, Ipv4Address right) => !left.Equals(right);

    /// <summary>Numeric ordering.</summary>
    public static bool operator <(Ipv4Address left, Ipv4Address right) => left.Value < right.Value;

    /// <summary>Numeric ordering.</summary>
    public static bool operator >(Ipv4Address left, Ipv4Address right) => left.Value > right.Value;

    /// <summary>Numeric ordering.</summary>
    public static bool operator <=(Ipv4Address left, Ipv4Address right) => left.Value <= right.Value;

    /// <summary>Numeric ordering.</summary>
    public static bool operator >=(Ipv4Address left, Ipv4Address right) => left.Value >= right.Value;

    /// <summary>Converts an <see cref="IPAddress"/>; see <see cref="FromIPAddress"/>.</summary>
    public static explicit operator Ipv4Address(IPAddress address) => FromIPAddress(address);

    /// <summary>Converts to an <see cref="IPAddress"/>; see <see cref="ToIPAddress"/>.</summary>
    public static explicit operator IPAddress(Ipv4Address address) => address.ToIPAddress();
}
