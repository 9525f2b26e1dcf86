using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace CloudTemple.Networking;

/// <summary>
/// An IPv4 prefix (CIDR block) such as <c>10.0.0.0/16</c>: a network address with no host bits set
/// and a length from 0 to 32, held as a <see cref="uint"/> and a byte.
/// </summary>
/// <remarks>
/// Ordering is by network address, then by length (shorter first), so that a sorted list puts
/// a prefix before the prefixes it contains. This type is immutable and thread-safe.
/// </remarks>
[TypeConverter(typeof(Ipv4PrefixConverter))]
public readonly struct Ipv4Prefix : IEquatable<Ipv4Prefix>, IComparable<Ipv4Prefix>, IComparable,
    ISpanFormattable, ISpanParsable<Ipv4Prefix>
{
    /// <summary>The longest text form, <c>255.255.255.255/32</c>.</summary>
    public const int MaxTextLength = Ipv4Address.MaxTextLength + 3;

    private readonly uint _network;
    private readonly byte _length;

    /// <summary>Creates a prefix; the network address must have no host bits set.</summary>
    /// <param name="network">The network address.</param>
    /// <param name="length">The prefix length, 0 to 32.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is outside 0..32.</exception>
    /// <exception cref="ArgumentException"><paramref name="network"/> has bits set beyond <paramref name="length"/>.</exception>
    public Ipv4Prefix(Ipv4Address network, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 32);
        uint mask = MaskOf(length);
        if ((network.Value & ~mask) != 0)
        {
            throw new ArgumentException(
                $"{network}/{length} has host bits set; the network of that address is {new Ipv4Address(network.Value & mask)}/{length}.",
                nameof(network));
        }

        _network = network.Value;
        _length = (byte)length;
    }

    private Ipv4Prefix(uint network, byte length)
    {
        _network = network;
        _length = length;
    }

    /// <summary>The whole IPv4 space, <c>0.0.0.0/0</c> (the default route).</summary>
    public static Ipv4Prefix Any => default;

    /// <summary>The network address (the first address of the prefix).</summary>
    public Ipv4Address Network => new(_network);

    /// <summary>The prefix length, 0 to 32.</summary>
    public int Length => _length;

    /// <summary>The network mask, for example <c>255.255.255.0</c> for a /24.</summary>
    public Ipv4Address Mask => new(MaskOf(_length));

    /// <summary>The first address (the network address).</summary>
    public Ipv4Address First => new(_network);

    /// <summary>The last address (the broadcast address for lengths up to 30).</summary>
    public Ipv4Address Last => new(_network | ~MaskOf(_length));

    /// <summary>How many addresses the prefix holds: 2^(32 - length), up to 2^32 for /0.</summary>
    public ulong Count => 1UL << (32 - _length);

    /// <summary>The network mask of a prefix length as a host-order value.</summary>
    /// <param name="length">The prefix length, 0 to 32.</param>
    /// <returns>The mask; 0 for length 0.</returns>
    public static uint MaskOf(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 32);
        return length == 0 ? 0u : uint.MaxValue << (32 - length);
    }

    /// <summary>The prefix of the given length that contains <paramref name="address"/> (host bits cleared).</summary>
    /// <param name="address">Any address in the prefix.</param>
    /// <param name="length">The prefix length, 0 to 32.</param>
    /// <returns>The containing prefix.</returns>
    public static Ipv4Prefix Containing(Ipv4Address address, int length) =>
        new(address.Value & MaskOf(length), (byte)length);

    /// <summary>Whether the address lies inside the prefix.</summary>
    /// <param name="address">The address.</param>
    /// <returns><see langword="true"/> when the address is inside.</returns>
    public bool Contains(Ipv4Address address) => ((address.Value ^ _network) & MaskOf(_length)) == 0;

    /// <summary>Whether the prefix contains <paramref name="other"/> entirely (a prefix contains itself).</summary>
    /// <param name="other">The other prefix.</param>
    /// <returns><see langword="true"/> when every address of <paramref name="other"/> is inside this prefix.</returns>
    public bool Contains(Ipv4Prefix other) => other._length >= _length && Contains(other.Network);

    /// <summary>Whether the two prefixes share at least one address (one then contains the other).</summary>
    /// <param name="other">The other prefix.</param>
    /// <returns><see langword="true"/> when they overlap.</returns>
    public bool Overlaps(Ipv4Prefix other) => Contains(other) || other.Contains(this);

    /// <summary>The prefix one bit shorter that contains this one.</summary>
    /// <returns>The supernet.</returns>
    /// <exception cref="InvalidOperationException">This prefix is <c>/0</c>.</exception>
    public Ipv4Prefix Supernet()
    {
        if (_length == 0)
        {
            throw new InvalidOperationException("0.0.0.0/0 has no supernet.");
        }

        return Supernet(_length - 1);
    }

    /// <summary>The prefix of a shorter (or equal) length that contains this one.</summary>
    /// <param name="length">The supernet's length, 0 to <see cref="Length"/>.</param>
    /// <returns>The supernet.</returns>
    public Ipv4Prefix Supernet(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, (int)_length);
        return Containing(Network, length);
    }

    /// <summary>The number of subnets of the given length inside this prefix: 2^(length - <see cref="Length"/>).</summary>
    /// <param name="length">The subnet length, <see cref="Length"/> to 32.</param>
    /// <returns>The number of subnets.</returns>
    public ulong SubnetCount(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, (int)_length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 32);
        return 1UL << (length - _length);
    }

    /// <summary>The subnet of the given length at the given index, in address order.</summary>
    /// <param name="length">The subnet length, <see cref="Length"/> to 32.</param>
    /// <param name="index">The index, below <see cref="SubnetCount(int)"/>.</param>
    /// <returns>The subnet.</returns>
    public Ipv4Prefix GetSubnet(int length, ulong index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SubnetCount(length));
        uint offset = length == 0 ? 0u : (uint)(index << (32 - length));
        return new Ipv4Prefix(_network | offset, (byte)length);
    }

    /// <summary>All subnets of the given length, in address order (lazily: a /8 split into /32s is not materialized).</summary>
    /// <param name="length">The subnet length, <see cref="Length"/> to 32.</param>
    /// <returns>The subnets.</returns>
    public IEnumerable<Ipv4Prefix> Subnets(int length)
    {
        ulong count = SubnetCount(length);
        return Enumerate(this, length, count);

        static IEnumerable<Ipv4Prefix> Enumerate(Ipv4Prefix parent, int length, ulong count)
        {
            for (ulong i = 0; i < count; i++)
            {
                yield return parent.GetSubnet(length, i);
            }
        }
    }

    /// <summary>Parses <c>a.b.c.d/len</c> strictly: host bits set is an error.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The prefix.</returns>
    /// <exception cref="FormatException">The text is not a prefix, or has host bits set (the message names the network meant).</exception>
    public static Ipv4Prefix Parse(string s) => Parse(s, Ipv4PrefixParseMode.Strict);

    /// <summary>Parses <c>a.b.c.d/len</c>, treating host bits as <paramref name="mode"/> says.</summary>
    /// <param name="s">The text.</param>
    /// <param name="mode">Whether host bits are an error or are cleared.</param>
    /// <returns>The prefix.</returns>
    /// <exception cref="FormatException">The text is not a prefix, or has host bits set in strict mode.</exception>
    public static Ipv4Prefix Parse(string s, Ipv4PrefixParseMode mode)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan(), mode);
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static Ipv4Prefix Parse(ReadOnlySpan<char> s) => Parse(s, Ipv4PrefixParseMode.Strict);

    /// <inheritdoc cref="Parse(string, Ipv4PrefixParseMode)"/>
    public static Ipv4Prefix Parse(ReadOnlySpan<char> s, Ipv4PrefixParseMode mode)
    {
        switch (TryParseCore(s, mode, out var prefix))
        {
            case ParseOutcome.Success:
                return prefix;
            case ParseOutcome.HostBitsSet:
                var meant = Containing(ParseAddressPart(s), prefix._length);
                throw new FormatException($"'{s}' has host bits set; did you mean {meant}? (Use {nameof(Ipv4PrefixParseMode)}.{nameof(Ipv4PrefixParseMode.NormalizeHostBits)} to clear them.)");
            default:
                throw new FormatException($"'{s}' is not an IPv4 prefix; expected a.b.c.d/len with len from 0 to 32.");
        }
    }

    /// <summary>Tries to parse <c>a.b.c.d/len</c> strictly.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The prefix when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the text is a prefix without host bits set.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out Ipv4Prefix result) =>
        TryParse(s.AsSpan(), Ipv4PrefixParseMode.Strict, out result);

    /// <summary>Tries to parse <c>a.b.c.d/len</c>, treating host bits as <paramref name="mode"/> says.</summary>
    /// <param name="s">The text.</param>
    /// <param name="mode">Whether host bits are an error or are cleared.</param>
    /// <param name="result">The prefix when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the text is a valid prefix.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, Ipv4PrefixParseMode mode, out Ipv4Prefix result)
    {
        bool ok = TryParseCore(s, mode, out result) == ParseOutcome.Success;
        if (!ok)
        {
            result = default;
        }

        return ok;
    }

    static Ipv4Prefix IParsable<Ipv4Prefix>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<Ipv4Prefix>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Ipv4Prefix result) => TryParse(s, out result);

    static Ipv4Prefix ISpanParsable<Ipv4Prefix>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s, Ipv4PrefixParseMode.Strict);

    static bool ISpanParsable<Ipv4Prefix>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Ipv4Prefix result) =>
        TryParse(s, Ipv4PrefixParseMode.Strict, out result);

    private enum ParseOutcome
    {
        Success,
        Malformed,
        HostBitsSet,
    }

    private static ParseOutcome TryParseCore(ReadOnlySpan<char> s, Ipv4PrefixParseMode mode, out Ipv4Prefix result)
    {
        result = default;
        int slash = s.IndexOf('/');
        if (slash < 0 || !Ipv4Address.TryParse(s[..slash], out var address))
        {
            return ParseOutcome.Malformed;
        }

        var lengthText = s[(slash + 1)..];
        if (lengthText.Length is 0 or > 2 || (lengthText.Length == 2 && lengthText[0] == '0')
            || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > 32)
        {
            return ParseOutcome.Malformed;
        }

        uint mask = MaskOf(length);
        result = new Ipv4Prefix(address.Value & mask, (byte)length);
        return (address.Value & ~mask) != 0 && mode == Ipv4PrefixParseMode.Strict ? ParseOutcome.HostBitsSet : ParseOutcome.Success;
    }

    private static Ipv4Address ParseAddressPart(ReadOnlySpan<char> s) => Ipv4Address.Parse(s[..s.IndexOf('/')]);

    /// <summary>Converts a <see cref="IPNetwork"/> (the BCL's prefix type).</summary>
    /// <param name="network">An IPv4 network.</param>
    /// <returns>The prefix.</returns>
    /// <exception cref="ArgumentException">The network is not IPv4.</exception>
    public static Ipv4Prefix FromIPNetwork(IPNetwork network) =>
        new(Ipv4Address.FromIPAddress(network.BaseAddress), network.PrefixLength);

    /// <summary>Converts to a <see cref="IPNetwork"/> (the BCL's prefix type).</summary>
    /// <returns>The network.</returns>
    public IPNetwork ToIPNetwork() => new(Network.ToIPAddress(), _length);

    /// <summary>Converts an IPNetwork2 network (IPv4 only).</summary>
    /// <param name="network">An IPv4 network.</param>
    /// <returns>The prefix.</returns>
    /// <exception cref="ArgumentException">The network is not IPv4.</exception>
    public static Ipv4Prefix FromIPNetwork2(IPNetwork2 network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new(Ipv4Address.FromIPAddress(network.Network), network.Cidr);
    }

    /// <summary>Converts to an IPNetwork2 network.</summary>
    /// <returns>The network.</returns>
    public IPNetwork2 ToIPNetwork2() => new(Network.ToIPAddress(), _length);

    /// <summary>Formats as <c>a.b.c.d/len</c>.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="charsWritten">How many characters were written.</param>
    /// <returns>Whether <paramref name="destination"/> was large enough.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        if (Network.TryFormat(destination, out int written)
            && written < destination.Length
            && _length.TryFormat(destination[(written + 1)..], out int lengthWritten, default, CultureInfo.InvariantCulture))
        {
            destination[written] = '/';
            charsWritten = written + 1 + lengthWritten;
            return true;
        }

        charsWritten = 0;
        return false;
    }

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        TryFormat(destination, out charsWritten);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>The text form, for example <c>10.0.0.0/16</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[MaxTextLength];
        TryFormat(buffer, out int written);
        return new string(buffer[..written]);
    }

    /// <inheritdoc/>
    public bool Equals(Ipv4Prefix other) => _network == other._network && _length == other._length;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Ipv4Prefix other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_network, _length);

    /// <inheritdoc/>
    public int CompareTo(Ipv4Prefix other)
    {
        int byNetwork = _network.CompareTo(other._network);
        return byNetwork != 0 ? byNetwork : _length.CompareTo(other._length);
    }

    /// <inheritdoc/>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Ipv4Prefix other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(Ipv4Prefix)}.", nameof(obj)),
    };

    /// <summary>Equality.</summary>
    public static bool operator ==(Ipv4Prefix left, Ipv4Prefix right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Ipv4Prefix left, Ipv4Prefix right) => !left.Equals(right);

    /// <summary>Ordering by network, then length.</summary>
    public static bool operator <(Ipv4Prefix left, Ipv4Prefix right) => left.CompareTo(right) < 0;

    /// <summary>Ordering by network, then length.</summary>
    public static bool operator >(Ipv4Prefix left, Ipv4Prefix right) => left.CompareTo(right) > 0;

    /// <summary>Ordering by network, then length.</summary>
    public static bool operator <=(Ipv4Prefix left, Ipv4Prefix right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering by network, then length.</summary>
    public static bool operator >=(Ipv4Prefix left, Ipv4Prefix right) => left.CompareTo(right) >= 0;
}
