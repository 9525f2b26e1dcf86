using System.Net;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Addressing;

/// <summary>Prefix operations agree with IPNetwork2 as a reference on random inputs.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 500)]
public class Ipv4PrefixProperties
{
    private static IPNetwork2 Reference(Ipv4Prefix prefix) => new(prefix.Network.ToIPAddress(), (byte)prefix.Length);

    [Property]
    public bool Network_mask_and_count_agree_with_IPNetwork2(Ipv4Prefix prefix)
    {
        var reference = Reference(prefix);
        return reference.Network.Equals(prefix.Network.ToIPAddress())
            && reference.Netmask.Equals(prefix.Mask.ToIPAddress())
            && reference.Cidr == prefix.Length
            && reference.Total == prefix.Count;
    }

    [Property]
    public bool Contains_address_agrees_with_IPNetwork2(Ipv4Prefix prefix, Ipv4Address address) =>
        Reference(prefix).Contains(address.ToIPAddress()) == prefix.Contains(address);

    [Property]
    public bool Contains_prefix_and_overlaps_agree_with_IPNetwork2((Ipv4Prefix, Ipv4Prefix) pair)
    {
        var (a, b) = pair;
        return Reference(a).Contains(Reference(b)) == a.Contains(b)
            && Reference(a).Overlap(Reference(b)) == a.Overlaps(b)
            && a.Overlaps(b) == b.Overlaps(a);
    }

    [Property]
    public bool Last_address_is_network_plus_count_minus_one(Ipv4Prefix prefix) =>
        prefix.Last.Value == (uint)(prefix.Network.Value + prefix.Count - 1)
        && prefix.Contains(prefix.Last)
        && (prefix.Length == 0 || !prefix.Contains(new Ipv4Address(prefix.Last.Value + 1)) || prefix.Last.Value == uint.MaxValue);

    [Property]
    public bool Subnets_agree_with_IPNetwork2(Ipv4Prefix prefix)
    {
        // Keep the number of subnets small: at most 2^4 of them.
        int length = Math.Min(32, prefix.Length + (int)(prefix.Network.Value % 5));
        var ours = prefix.Subnets(length).Select(s => s.ToString()).ToList();
        var theirs = Reference(prefix).Subnet((byte)length).Select(n => $"{n.Network}/{n.Cidr}").ToList();
        return ours.SequenceEqual(theirs) && ours.Count == (int)prefix.SubnetCount(length);
    }

    [Property]
    public bool Supernet_contains_the_prefix_and_agrees_with_IPNetwork2(Ipv4Prefix prefix)
    {
        if (prefix.Length == 0)
        {
            return true;
        }

        var supernet = prefix.Supernet();
        var reference = new IPNetwork2(prefix.Network.ToIPAddress(), (byte)(prefix.Length - 1));
        return supernet.Contains(prefix)
            && supernet.Length == prefix.Length - 1
            && reference.Network.Equals(supernet.Network.ToIPAddress());
    }

    [Property]
    public bool Text_round_trips(Ipv4Prefix prefix) => Ipv4Prefix.Parse(prefix.ToString()) == prefix;

    [Property]
    public bool Conversions_round_trip(Ipv4Prefix prefix) =>
        Ipv4Prefix.FromIPNetwork(prefix.ToIPNetwork()) == prefix
        && Ipv4Prefix.FromIPNetwork2(prefix.ToIPNetwork2()) == prefix;

    [Property]
    public bool Ordering_puts_a_prefix_before_the_prefixes_it_contains((Ipv4Prefix, Ipv4Prefix) pair)
    {
        var (a, b) = pair;
        return !(a.Contains(b) && a != b) || a < b;
    }

    [Property]
    public bool Address_text_round_trips_and_agrees_with_IPAddress(Ipv4Address address) =>
        Ipv4Address.Parse(address.ToString()) == address
        && IPAddress.Parse(address.ToString()).Equals(address.ToIPAddress())
        && Ipv4Address.FromIPAddress(address.ToIPAddress()) == address;
}
