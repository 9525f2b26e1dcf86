using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.Ipam.Tests;

/// <summary>A small subnet with a random reserved-address policy and possibly an exclusion range.</summary>
public sealed record SubnetCase(Ipv4Prefix Prefix, ReservedAddressPolicy Policy, Ipv4AddressRange[] Exclusions)
{
    public override string ToString() => $"{Prefix} {Policy} excluding [{string.Join(", ", Exclusions)}]";
}

/// <summary>FsCheck generators for IPAM: small subnets (so that exhaustion and collisions happen) and operation sequences.</summary>
public static partial class Generators
{
    public static Gen<ReservedAddressPolicy> PolicyGen =>
        Gen.Elements(ReservedAddressPolicy.None, ReservedAddressPolicy.Default, ReservedAddressPolicy.Aws, ReservedAddressPolicy.Azure, ReservedAddressPolicy.Ovn);

    public static Gen<SubnetCase> SubnetCaseGen =>
        from length in Gen.Choose(25, 29)
        from policy in PolicyGen
        from hasExclusion in Gen.Elements(true, false)
        from first in Gen.Choose(0, (1 << (32 - length)) - 1)
        from span in Gen.Choose(0, 6)
        let prefix = Ipv4Prefix.Containing(Ipv4Address.Parse("10.0.1.0"), length)
        let last = Math.Min(first + span, (1 << (32 - length)) - 1)
        select new SubnetCase(
            prefix,
            policy,
            hasExclusion ? [new Ipv4AddressRange(new Ipv4Address(prefix.Network.Value + (uint)first), new Ipv4Address(prefix.Network.Value + (uint)last))] : []);

    public static Gen<Operation> OperationGen => IpamModelCheck.OperationGen;

    public static Gen<Operation[]> OperationsGen => IpamModelCheck.OperationsGen;

    public static Arbitrary<SubnetCase> SubnetCaseArb() => Arb.From(SubnetCaseGen);

    public static Arbitrary<Operation[]> OperationsArb() => Arb.From(OperationsGen);
}
