using FsCheck.Xunit;

namespace CloudTemple.Networking.Ipam.Tests.Model;

/// <summary>
/// Random sequences of carves, releases, allocations (all strategies), owner releases, clock
/// steps and queries run against the store and against <see cref="ReferenceIpam"/>; every answer
/// and, after every step, the whole visible state must be the same.
/// </summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 300)]
public class StoreAgainstModelProperties
{
    private const string Space = "model";
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ReservedAddressPolicy[] Policies =
        [ReservedAddressPolicy.None, ReservedAddressPolicy.Default, ReservedAddressPolicy.Aws, ReservedAddressPolicy.Azure, ReservedAddressPolicy.Ovn];

    [Property]
    public void The_in_memory_store_gives_the_answers_of_the_reference_model(Operation[] operations)
    {
        var store = new InMemoryIpamStore();
        store.CreateSpaceAsync(new AddressSpace(Space, [ReferenceIpam.Pool]) { ReuseHold = ReferenceIpam.Hold }, default).AsTask().Wait();
        var model = new ReferenceIpam();
        var now = T0;
        for (int i = 0; i < operations.Length; i++)
        {
            var (description, actual, expected) = Apply(store, model, operations[i], ref now);
            Assert.True(expected == actual, $"step {i} {description}: store said '{actual}', model said '{expected}'");
            string actualState = State(store, model.Subnets, now);
            string expectedState = ModelState(model, now);
            Assert.True(expectedState == actualState, $"after step {i} {description}: store state\n{actualState}\nmodel state\n{expectedState}");
        }
    }

    private static (string Description, string Actual, string Expected) Apply(InMemoryIpamStore store, ReferenceIpam model, Operation op, ref DateTimeOffset now)
    {
        var subnets = model.Subnets;
        var at = now;
        long ticks = now.UtcTicks;
        Ipv4Prefix PickSubnet(int n) =>
            subnets.Count == 0 || n % 13 == 0 ? Ipv4Prefix.Parse("10.0.3.192/26") : subnets[n % subnets.Count];
        string Owner(int n) => $"o{n % 5}";

        switch (op.Kind)
        {
            case < 10:
            {
                int length = 26 + (op.X % 5);
                var policy = Policies[op.Y % Policies.Length];
                return ($"carve next /{length} {policy}",
                    Run(() => store.CarveSubnetAsync(SubnetRequest.NextFree(Space, length) with { ReservedAddresses = policy }, at, default), s => s.Prefix.ToString()),
                    model.CarveNextFree(length, policy));
            }

            case < 15:
            {
                int length = 24 + (op.X % 7);
                // Inside a /21 around the /22 pool, so that some carves fall outside it.
                var prefix = Ipv4Prefix.Containing(new Ipv4Address(0x0A000000u + (uint)(((op.Y << 1) | (op.Z & 1)) % 2048)), length);
                var policy = Policies[op.Z % Policies.Length];
                uint first = (uint)(op.Y % (int)prefix.Count);
                Ipv4AddressRange[] exclusions = op.Z % 3 == 0
                    ? [new Ipv4AddressRange(new Ipv4Address(prefix.Network.Value + first), new Ipv4Address(prefix.Network.Value + first + (uint)(op.X % 9)))]
                    : [];
                var request = SubnetRequest.Explicit(Space, prefix) with { ReservedAddresses = policy, Exclusions = exclusions };
                return ($"carve {prefix} {policy} excluding [{string.Join(", ", exclusions)}]",
                    Run(() => store.CarveSubnetAsync(request, at, default), s => s.Prefix.ToString(), e => e is PrefixOverlapException o ? $" {o.Existing}" : string.Empty),
                    model.CarveExplicit(prefix, policy, exclusions));
            }

            case < 20:
            {
                var prefix = PickSubnet(op.X);
                bool force = op.Y % 2 == 0;
                return ($"release subnet {prefix} force={force}",
                    Run(() => store.ReleaseSubnetAsync(Space, prefix, force, default), Describe),
                    model.ReleaseSubnet(prefix, force));
            }

            case < 60:
            {
                var prefix = PickSubnet(op.X);
                var strategy = (AllocationStrategy)(op.Y % 3);
                var specific = new Ipv4Address((uint)(prefix.Network.Value + (ulong)(op.Z % (int)(prefix.Count + 2)) - 1));
                string owner = Owner(op.Z);
                string? key = op.Y % 4 == 0 ? $"k{op.X % 3}" : null;
                var request = strategy switch
                {
                    AllocationStrategy.Specific => AddressRequest.Specific(Space, prefix, specific, owner),
                    AllocationStrategy.Random => AddressRequest.Random(Space, prefix, owner),
                    _ => AddressRequest.NextFree(Space, prefix, owner),
                } with { RequestKey = key };
                Ipv4Address? picked = null;
                string actual = Run(
                    () => store.AllocateAsync(request, at, default),
                    r =>
                    {
                        picked = r.Allocation.Address;
                        return $"{r.Allocation.Address} {r.Allocation.Owner} {r.Allocation.RequestKey} {(r.IsNew ? "new" : "old")}";
                    });
                return ($"allocate {strategy} in {prefix} ({specific}) for {owner} key {key}",
                    actual,
                    model.Allocate(prefix, strategy, specific, owner, key, ticks, picked));
            }

            case < 80:
            {
                var allocated = model.AllocatedAddresses.ToList();
                var address = allocated.Count > 0 && op.X % 5 != 0
                    ? allocated[op.X % allocated.Count]
                    : new Ipv4Address(0x0A000000u + (uint)(op.X % 1100));
                string? owner = (op.Y % 3) switch
                {
                    0 => Owner(op.Z),
                    1 => store.FindByAddressAsync(Space, address, default).Sync()?.Owner,
                    _ => null,
                };
                return ($"release {address} as {owner}",
                    Run(() => store.ReleaseAsync(Space, address, owner, at, default), a => a is null ? "null" : $"{a.Address} {a.Owner} {a.RequestKey}"),
                    model.Release(address, owner, ticks));
            }

            case < 85:
            {
                string owner = Owner(op.X);
                return ($"release owner {owner}",
                    Run(() => store.ReleaseOwnerAsync(Space, owner, at, default), Describe),
                    model.ReleaseOwner(owner, ticks));
            }

            case < 93:
            {
                var step = TimeSpan.FromSeconds(op.X % 90);
                now += step;
                return ($"advance {step}", "ok", "ok");
            }

            default:
            {
                var address = new Ipv4Address(0x0A000000u + (uint)(op.Y % 1024));
                string owner = Owner(op.Z);
                return ($"find {address} and owner {owner}",
                    Run(() => store.FindByAddressAsync(Space, address, default), a => a is null ? "null" : $"{a.Address} {a.Owner} {a.RequestKey}")
                        + " | " + Run(() => store.FindByOwnerAsync(Space, owner, default), Describe),
                    model.FindByAddress(address) + " | " + model.FindByOwner(owner));
            }
        }
    }

    private static string State(InMemoryIpamStore store, IReadOnlyList<Ipv4Prefix> modelSubnets, DateTimeOffset now)
    {
        var lines = new List<string>
        {
            string.Join(" ", store.ListSubnetsAsync(Space, default).Sync().Select(s => s.Prefix)),
            store.GetPoolUtilizationAsync(Space, ReferenceIpam.Pool, now, default).Sync().ToString(),
            store.GetSpaceUtilizationAsync(Space, now, default).Sync().ToString(),
        };
        foreach (var prefix in modelSubnets)
        {
            lines.Add($"{prefix} {Run(() => store.GetSubnetUtilizationAsync(Space, prefix, now, default), u => u.ToString())}");
            lines.Add(Run(() => store.ListAllocationsAsync(Space, prefix, default), Describe));
        }

        return string.Join('\n', lines);
    }

    private static string ModelState(ReferenceIpam model, DateTimeOffset now)
    {
        long ticks = now.UtcTicks;
        var lines = new List<string>
        {
            string.Join(" ", model.Subnets),
            model.PoolUtilization(ticks),
            model.PoolUtilization(ticks),
        };
        foreach (var prefix in model.Subnets)
        {
            lines.Add($"{prefix} {model.SubnetUtilization(prefix, ticks)}");
            lines.Add(model.ListAllocations(prefix));
        }

        return string.Join('\n', lines);
    }

    private static string Describe(IReadOnlyList<AddressAllocation> allocations) =>
        "[" + string.Join(", ", allocations.Select(a => $"{a.Address} {a.Owner} {a.RequestKey}")) + "]";

    private static string Run<T>(Func<ValueTask<T>> operation, Func<T, string> describe, Func<Exception, string>? detail = null)
    {
        try
        {
            return describe(operation().AsTask().GetAwaiter().GetResult());
        }
        catch (Exception error) when (error is IpamException or ArgumentException)
        {
            return $"error:{(error is ArgumentException ? nameof(ArgumentException) : error.GetType().Name)}{detail?.Invoke(error)}";
        }
    }
}
