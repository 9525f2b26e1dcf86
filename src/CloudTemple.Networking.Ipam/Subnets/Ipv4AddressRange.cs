namespace CloudTemple.Networking.Ipam;

/// <summary>An inclusive range of IPv4 addresses, for example an exclusion range inside a subnet.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public readonly record struct Ipv4AddressRange
{
    /// <summary>Creates a range from <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    /// <param name="first">The first address.</param>
    /// <param name="last">The last address, not below <paramref name="first"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="last"/> is below <paramref name="first"/>.</exception>
    public Ipv4AddressRange(Ipv4Address first, Ipv4Address last)
    {
        if (last < first)
        {
            throw new ArgumentException($"The range {first}-{last} ends before it starts.", nameof(last));
        }

        First = first;
        Last = last;
    }

    /// <summary>The first address.</summary>
    public Ipv4Address First { get; }

    /// <summary>The last address (included).</summary>
    public Ipv4Address Last { get; }

    /// <summary>The number of addresses.</summary>
    public ulong Count => (ulong)Last.Value - First.Value + 1;

    /// <summary>Parses <c>a.b.c.d-e.f.g.h</c> or a single address.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The range.</returns>
    /// <exception cref="FormatException">The text is not a range.</exception>
    public static Ipv4AddressRange Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        int dash = s.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            var single = Ipv4Address.Parse(s.Trim());
            return new Ipv4AddressRange(single, single);
        }

        var first = Ipv4Address.Parse(s.AsSpan(0, dash).Trim());
        var last = Ipv4Address.Parse(s.AsSpan(dash + 1).Trim());
        if (last < first)
        {
            throw new FormatException($"'{s}' ends before it starts.");
        }

        return new Ipv4AddressRange(first, last);
    }

    /// <summary>Whether the address is inside the range.</summary>
    /// <param name="address">The address.</param>
    /// <returns><see langword="true"/> when inside.</returns>
    public bool Contains(Ipv4Address address) => address >= First && address <= Last;

    /// <summary>The text form <c>first-last</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => First == Last ? First.ToString() : $"{First}-{Last}";
}
