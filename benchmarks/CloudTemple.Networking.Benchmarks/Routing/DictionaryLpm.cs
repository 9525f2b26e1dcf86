namespace CloudTemple.Networking.Benchmarks.Routing;

/// <summary>
/// The usual .NET longest-prefix match, the baseline: one dictionary per prefix length, probed
/// from /32 down to /0 (33 hash probes for an address that only the default route matches).
/// </summary>
internal sealed class DictionaryLpm<TValue>
    where TValue : class
{
    private static readonly uint[] Masks = [.. Enumerable.Range(0, 33).Select(Ipv4Prefix.MaskOf)];
    private readonly Dictionary<uint, TValue>[] _byLength = [.. Enumerable.Range(0, 33).Select(_ => new Dictionary<uint, TValue>())];

    public void Set(Ipv4Prefix prefix, TValue value) => _byLength[prefix.Length][prefix.Network.Value] = value;

    public bool Remove(Ipv4Prefix prefix) => _byLength[prefix.Length].Remove(prefix.Network.Value);

    public TValue? Lookup(uint address)
    {
        for (int length = 32; length >= 0; length--)
        {
            if (_byLength[length].TryGetValue(address & Masks[length], out var value))
            {
                return value;
            }
        }

        return null;
    }
}
