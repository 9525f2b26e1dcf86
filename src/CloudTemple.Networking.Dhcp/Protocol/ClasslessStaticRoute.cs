using System.Diagnostics.CodeAnalysis;

namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>One route of the classless static route option (121, RFC 3442): a destination prefix and its router.</summary>
/// <param name="Destination">The destination prefix (0.0.0.0/0 for a default route).</param>
/// <param name="Router">The next hop; 0.0.0.0 means the destination is on-link.</param>
public readonly record struct ClasslessStaticRoute(Ipv4Prefix Destination, Ipv4Address Router)
{
    /// <summary>The encoded length of a list of routes: per route, a width byte, the significant destination octets and 4 router bytes.</summary>
    /// <param name="routes">The routes.</param>
    /// <returns>The length in bytes.</returns>
    public static int GetEncodedLength(ReadOnlySpan<ClasslessStaticRoute> routes)
    {
        int length = 0;
        foreach (var route in routes)
        {
            length += 1 + SignificantOctets(route.Destination.Length) + 4;
        }

        return length;
    }

    /// <summary>Encodes routes as option 121's value.</summary>
    /// <param name="routes">The routes.</param>
    /// <param name="destination">At least <see cref="GetEncodedLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int Encode(ReadOnlySpan<ClasslessStaticRoute> routes, Span<byte> destination)
    {
        if (destination.Length < GetEncodedLength(routes))
        {
            throw new ArgumentException("The destination is too short for the routes.", nameof(destination));
        }

        Span<byte> network = stackalloc byte[4];
        int position = 0;
        foreach (var route in routes)
        {
            int octets = SignificantOctets(route.Destination.Length);
            destination[position++] = (byte)route.Destination.Length;
            route.Destination.Network.WriteTo(network);
            network[..octets].CopyTo(destination[position..]);
            position += octets;
            route.Router.WriteTo(destination[position..]);
            position += 4;
        }

        return position;
    }

    /// <summary>Decodes option 121's value.</summary>
    /// <param name="value">The option's value.</param>
    /// <param name="routes">The routes when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the value is well-formed (widths at most 32, nothing truncated); destination bits beyond the width are ignored.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> value, [NotNullWhen(true)] out ClasslessStaticRoute[]? routes)
    {
        routes = null;
        var list = new List<ClasslessStaticRoute>();
        Span<byte> network = stackalloc byte[4];
        int position = 0;
        while (position < value.Length)
        {
            int width = value[position++];
            if (width > 32)
            {
                return false;
            }

            int octets = SignificantOctets(width);
            if (position + octets + 4 > value.Length)
            {
                return false;
            }

            network.Clear();
            value.Slice(position, octets).CopyTo(network);
            position += octets;
            var router = Ipv4Address.Read(value[position..]);
            position += 4;
            list.Add(new ClasslessStaticRoute(Ipv4Prefix.Containing(Ipv4Address.Read(network), width), router));
        }

        routes = [.. list];
        return true;
    }

    private static int SignificantOctets(int width) => (width + 7) / 8;
}
