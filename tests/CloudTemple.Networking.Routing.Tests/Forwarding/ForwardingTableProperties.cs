using FsCheck.Xunit;

namespace CloudTemple.Networking.Routing.Tests.Forwarding;

/// <summary>The compiled forwarding table answers exactly as a brute-force scan, however it was built or changed.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 300)]
public class ForwardingTableProperties
{
    private static bool AgreesWithReference(ForwardingTable<object> table, IReadOnlyCollection<Ipv4Prefix> prefixes, IEnumerable<uint> probes)
    {
        foreach (uint address in probes)
        {
            var expected = ReferenceLpm.Match(prefixes, address);
            var actual = (Ipv4Prefix?)table.Lookup(address);
            if (expected != actual)
            {
                throw new InvalidOperationException($"{new Ipv4Address(address)}: expected {expected?.ToString() ?? "none"}, got {actual?.ToString() ?? "none"}.");
            }
        }

        return true;
    }

    [Property]
    public bool Incrementally_built_table_answers_as_the_reference(PrefixSet set)
    {
        var table = new ForwardingTable<object>();
        foreach (var prefix in set.Prefixes)
        {
            table.Set(prefix, prefix);
        }

        return AgreesWithReference(table, [.. set.Prefixes.Distinct()], set.Probes)
            && table.Count == set.Prefixes.Distinct().Count();
    }

    [Property]
    public bool Bulk_loaded_table_answers_as_the_reference(PrefixSet set)
    {
        var table = new ForwardingTable<object>();
        table.SetRange(set.Prefixes.Select(p => new KeyValuePair<Ipv4Prefix, object>(p, p)));
        return AgreesWithReference(table, [.. set.Prefixes.Distinct()], set.Probes)
            && table.Count == set.Prefixes.Distinct().Count();
    }

    [Property]
    public bool Table_answers_as_the_reference_after_every_insert_and_delete(UpdateScript script)
    {
        var table = new ForwardingTable<object>();
        var present = new HashSet<Ipv4Prefix>();
        foreach (var operation in script.Operations)
        {
            bool changed = operation.Insert ? table.Set(operation.Prefix, operation.Prefix) : table.Remove(operation.Prefix);
            bool expectedChange = operation.Insert ? present.Add(operation.Prefix) : present.Remove(operation.Prefix);
            if (changed != expectedChange || table.Count != present.Count)
            {
                return false;
            }

            AgreesWithReference(table, present, script.Probes);
        }

        return true;
    }

    [Property]
    public bool Removing_every_prefix_leaves_no_node_behind(UpdateScript script)
    {
        var table = new ForwardingTable<object>();
        var pool = script.Operations.Select(o => o.Prefix).Distinct().ToArray();
        foreach (var prefix in pool)
        {
            table.Set(prefix, prefix);
        }

        foreach (var prefix in pool.Reverse())
        {
            table.Remove(prefix);
        }

        return table.Count == 0 && table.NodeCount == 0 && script.Probes.All(a => table.Lookup(a) is null);
    }

    [Property]
    public bool Replacing_a_value_changes_only_the_answers_of_that_prefix(PrefixSet set)
    {
        if (set.Prefixes.Length == 0)
        {
            return true;
        }

        var table = new ForwardingTable<object>();
        foreach (var prefix in set.Prefixes)
        {
            table.Set(prefix, prefix);
        }

        var replaced = set.Prefixes[0];
        var marker = new object();
        bool added = table.Set(replaced, marker);
        return !added && set.Probes.All(a =>
        {
            var expected = ReferenceLpm.Match(set.Prefixes, a);
            var actual = table.Lookup(a);
            return expected == replaced ? ReferenceEquals(actual, marker) : Equals(actual, expected);
        });
    }
}
