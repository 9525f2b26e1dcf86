using FsCheck.Xunit;

namespace CloudTemple.Networking.Routing.Tests.Tables;

/// <summary>A route table answers as a brute-force scan: longest prefix, then lowest metric, then kind, then next hops.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 200)]
public class RouteTableProperties
{
    private static readonly VpcRoutingOptions Unchecked = new() { RequireReachableNextHops = false };

    private static Route? Reference(IEnumerable<Route> routes, uint address)
    {
        var candidates = routes.Where(r => r.Prefix.Contains(new Ipv4Address(address))).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        int longest = candidates.Max(r => r.Prefix.Length);
        return candidates.Where(r => r.Prefix.Length == longest)
            .OrderBy(r => r.Metric)
            .ThenBy(r => (int)r.Kind)
            .ThenBy(r => string.Join(',', r.NextHops.Select(h => h.Value.ToString("x8"))), StringComparer.Ordinal)
            .ThenBy(r => r.Network, StringComparer.Ordinal)
            .First();
    }

    [Property]
    public bool Lookup_picks_the_longest_prefix_then_the_best_route(RouteSet set)
    {
        var table = new RouteTable("main", Unchecked);
        table.AddRange(set.Routes);
        return set.Probes.All(a => Equals(table.Lookup(new Ipv4Address(a)), Reference(set.Routes, a)));
    }

    [Property]
    public bool Insertion_order_does_not_change_any_answer(RouteSet set)
    {
        var forward = new RouteTable("a", Unchecked);
        var backward = new RouteTable("b", Unchecked);
        foreach (var route in set.Routes)
        {
            forward.Add(route);
        }

        foreach (var route in set.Routes.Reverse())
        {
            backward.Add(route);
        }

        return set.Probes.All(a => Equals(forward.Lookup(new Ipv4Address(a)), backward.Lookup(new Ipv4Address(a))));
    }

    [Property]
    public bool Removing_half_of_the_routes_answers_as_the_reference_of_the_rest(RouteSet set)
    {
        var table = new RouteTable("main", Unchecked);
        table.AddRange(set.Routes);
        var removed = set.Routes.Where((_, i) => i % 2 == 0).ToArray();
        foreach (var route in removed)
        {
            if (!table.Remove(route))
            {
                return false;
            }
        }

        var rest = set.Routes.Except(removed).ToArray();
        return table.Count == rest.Length && set.Probes.All(a => Equals(table.Lookup(new Ipv4Address(a)), Reference(rest, a)));
    }
}
