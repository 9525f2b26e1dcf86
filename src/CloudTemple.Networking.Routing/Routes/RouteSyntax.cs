using System.Globalization;

namespace CloudTemple.Networking.Routing;

/// <summary>The parser of the <c>ip route</c> subset accepted by <see cref="Route.Parse(string)"/>.</summary>
internal static class RouteSyntax
{
    /// <summary>Parses a route; <paramref name="metricGiven"/> tells whether the text spelled a metric.</summary>
    public static Route Parse(string text, out bool metricGiven)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            throw new FormatException("A route cannot be empty.");
        }

        int at = 0;
        RouteKind? kind = tokens[0] switch
        {
            "blackhole" => RouteKind.Blackhole,
            "unreachable" => RouteKind.Unreachable,
            _ => null,
        };
        if (kind is not null)
        {
            at++;
        }

        if (at >= tokens.Length)
        {
            throw new FormatException($"'{text}': a prefix is missing.");
        }

        var prefix = ParsePrefix(tokens[at++]);
        var nextHops = new List<Ipv4Address>();
        string? network = null;
        uint? metric = null;
        bool gateway = false;
        while (at < tokens.Length)
        {
            string keyword = tokens[at++];
            if (keyword == "external-gateway")
            {
                gateway = !gateway ? true : throw Duplicate(text, keyword);
                continue;
            }

            if (at >= tokens.Length)
            {
                throw new FormatException($"'{text}': '{keyword}' needs a value.");
            }

            string value = tokens[at++];
            switch (keyword)
            {
                case "via" when nextHops.Count == 0:
                    nextHops.Add(ParseAddress(text, value));
                    break;
                case "nexthop" when value == "via" && at < tokens.Length:
                    nextHops.Add(ParseAddress(text, tokens[at++]));
                    break;
                case "dev" when network is null:
                    network = value;
                    break;
                case "metric" or "preference" or "priority" when metric is null:
                    metric = uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint m)
                        ? m
                        : throw new FormatException($"'{text}': metric '{value}' is not a number from 0 to {uint.MaxValue}.");
                    break;
                default:
                    throw new FormatException($"'{text}': unexpected '{keyword} {value}'.");
            }
        }

        metricGiven = metric is not null;
        if (kind is not null)
        {
            if (nextHops.Count > 0 || network is not null || gateway)
            {
                throw new FormatException($"'{text}': a {tokens[0]} route takes no next hop, device or gateway.");
            }
        }
        else if (gateway)
        {
            kind = nextHops.Count == 0 && network is null
                ? RouteKind.ExternalGateway
                : throw new FormatException($"'{text}': an external-gateway route takes no next hop or device.");
        }
        else if (nextHops.Count > 0)
        {
            kind = RouteKind.NextHop;
        }
        else if (network is not null)
        {
            kind = RouteKind.Connected;
        }
        else
        {
            throw new FormatException($"'{text}': expected 'via ADDRESS', 'dev NAME' or 'external-gateway' after the prefix.");
        }

        return Route.FromParts(prefix, kind.Value, nextHops, network, metric ?? 0);
    }

    /// <summary>Parses <c>default</c>, <c>a.b.c.d</c> (a /32) or a strict <c>a.b.c.d/len</c>.</summary>
    public static Ipv4Prefix ParsePrefix(string text)
    {
        if (text == "default")
        {
            return Ipv4Prefix.Any;
        }

        if (!text.Contains('/', StringComparison.Ordinal))
        {
            return Ipv4Address.TryParse(text, out var host)
                ? new Ipv4Prefix(host, 32)
                : throw new InvalidRoutePrefixException(text, null);
        }

        if (Ipv4Prefix.TryParse(text, out var prefix))
        {
            return prefix;
        }

        throw new InvalidRoutePrefixException(
            text,
            Ipv4Prefix.TryParse(text, Ipv4PrefixParseMode.NormalizeHostBits, out var meant) ? meant : null);
    }

    private static Ipv4Address ParseAddress(string text, string value) =>
        Ipv4Address.TryParse(value, out var address)
            ? address
            : throw new FormatException($"'{text}': '{value}' is not an IPv4 address.");

    private static FormatException Duplicate(string text, string keyword) =>
        new($"'{text}': '{keyword}' is given twice.");
}
