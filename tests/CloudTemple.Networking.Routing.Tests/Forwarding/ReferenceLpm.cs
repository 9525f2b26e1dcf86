namespace CloudTemple.Networking.Routing.Tests.Forwarding;

/// <summary>The obviously correct longest-prefix match: scan every prefix, keep the longest that contains the address.</summary>
public static class ReferenceLpm
{
    public static Ipv4Prefix? Match(IEnumerable<Ipv4Prefix> prefixes, uint address)
    {
        Ipv4Prefix? best = null;
        foreach (var prefix in prefixes)
        {
            if (prefix.Contains(new Ipv4Address(address)) && (best is null || prefix.Length > best.Value.Length))
            {
                best = prefix;
            }
        }

        return best;
    }
}
