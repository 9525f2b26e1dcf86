namespace CloudTemple.Networking.Routing;

/// <summary>
/// Orders the routes of one prefix, best first: lowest metric; then kind (connected before
/// next hop, external gateway, blackhole, unreachable); then next hops, then network name, so
/// that the choice never depends on insertion order.
/// </summary>
internal sealed class RoutePrecedence : IComparer<Route>
{
    public static readonly RoutePrecedence Instance = new();

    public int Compare(Route? x, Route? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? 1 : -1;
        }

        int order = x.Metric.CompareTo(y.Metric);
        if (order != 0)
        {
            return order;
        }

        order = ((int)x.Kind).CompareTo((int)y.Kind);
        if (order != 0)
        {
            return order;
        }

        order = x.NextHops.AsSpan().SequenceCompareTo(y.NextHops.AsSpan());
        return order != 0 ? order : string.CompareOrdinal(x.Network, y.Network);
    }
}
