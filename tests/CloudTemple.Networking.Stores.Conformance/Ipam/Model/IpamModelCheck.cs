using FsCheck;
using FsCheck.Fluent;

namespace CloudTemple.Networking.Stores.Conformance.Ipam.Model;

/// <summary>One step of a random operation sequence; its numbers are interpreted by <see cref="IpamModelCheck"/>.</summary>
public readonly record struct Operation(int Kind, int X, int Y, int Z);

/// <summary>
/// The model-based IPAM test, for every store: random sequences of carves, releases, allocations (all
/// strategies), owner releases, clock steps and queries run against the store and against
/// <see cref="ReferenceIpam"/>; every answer and, after every step, the whole visible state must be the same.
/// Each store's test project runs it from an FsCheck property over <see cref="OperationsGen"/>.
/// </summary>
public static class IpamModelCheck
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ReservedAddressPolicy[] Policies =
        [ReservedAddressPolicy.None, ReservedAddressPolicy.Default, ReservedAddressPolicy.Aws, ReservedAddressPolicy.Azure, ReservedAddressPolicy.Ovn];

    /// <summary>One operation: a kind (0-99, weighted by range) and three numbers the kind interprets.</summary>
    public static Gen<Operation> OperationGen =>
        from kind in Gen.Choose(0, 99)
        from x in Gen.Choose(0, 1023)
        from y in Gen.Choose(0, 1023)
        from z in Gen.Choose(0, 1023)
        select new Operation(kind, x, y, z);

    /// <summary>Sequences of 1 to 120 operations.</summary>
    public static Gen<Operation[]> OperationsGen => Gen.Choose(1, 120).SelectMany(n => Gen.ArrayOf(OperationGen, n));

    /// <summary>
    /// Runs <paramref name="operations"/> in a new space of <paramref name="store"/> (one /22 pool, a 60 s reuse
    /// hold) and in a new model, and fails at the first answer or state that differs.
    /// </summary>
    /// <param name="store">The store under test; the space is created in it under a new name.</param>
    /// <param name="operations">The operations.</param>
    public static void Run(IIpamStore store, IReadOnlyList<Operation> operations)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(operations);
        string space = $"model-{Guid.NewGuid():N}";
        store.CreateSpaceAsync(new AddressSpace(space, [ReferenceIpam.Pool]) { ReuseHold = ReferenceIpam.Hold }, default).AsTask().GetAwaiter().GetResult();
        var model = new ReferenceIpam();
        var now = T0;
        for (int i = 0; i < operations.Count; i++)
        {
            var (description, actual, expected) = Apply(store, space, model, operations[i], ref now);
            Assert.True(expected == actual, $"step {i} {description}: store said '{actual}', model said '{expected}'");
            string actualState = State(store, space, model.Subnets, now);
            string expectedState = ModelState(model, now);
            Assert.True(expectedState == actualState, $"after step {i} {description}: store state\n{actualState}\nmodel state\n{expectedState}");
        }
    }

    private static (string Description, string Actual, string Expected) Apply(IIpamStore store, string space, ReferenceIpam model, Operation op, ref DateTimeOffset now)
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
                    Answer(() => store.CarveSubnetAsync(SubnetRequest.NextFree(space, length) with { ReservedAddresses = policy }, at, default), s => s.Prefix.ToString()),
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
                var request = SubnetRequest.Explicit(space, prefix) with { ReservedAddresses = policy, Exclusions = exclusions };
                return ($"carve {prefix} {policy} excluding [{string.Join(", ", exclusions)}]",
                    Answer(() => store.CarveSubnetAsync(request, at, default), s => s.Prefix.ToString(), e => e is PrefixOverlapException o ? $" {o.Existing}" : string.Empty),
                    model.CarveExplicit(prefix, policy, exclusions));
            }

            case < 20:
            {
                var prefix = PickSubnet(op.X);
                bool force = op.Y % 2 == 0;
                return ($"release subnet {prefix} force={force}",
                    Answer(() => store.ReleaseSubnetAsync(space, prefix, force, default), Describe),
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
                    AllocationStrategy.Specific => AddressRequest.Specific(space, prefix, specific, owner),
                    AllocationStrategy.Random => AddressRequest.Random(space, prefix, owner),
                    _ => AddressRequest.NextFree(space, prefix, owner),
                } with { RequestKey = key };
                Ipv4Address? picked = null;
                string actual = Answer(
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
                    1 => store.FindByAddressAsync(space, address, default).AsTask().GetAwaiter().GetResult()?.Owner,
                    _ => null,
                };
                return ($"release {address} as {owner}",
                    Answer(() => store.ReleaseAsync(space, address, owner, at, default), a => a is null ? "null" : $"{a.Address} {a.Owner} {a.RequestKey}"),
                    model.Release(address, owner, ticks));
            }

            case < 85:
            {
                string owner = Owner(op.X);
                return ($"release owner {owner}",
                    Answer(() => store.ReleaseOwnerAsync(space, owner, at, default), Describe),
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
                    Answer(() => store.FindByAddressAsync(space, address, default), a => a is null ? "null" : $"{a.Address} {a.Owner} {a.RequestKey}")
                        + " | " + Answer(() => store.FindByOwnerAsync(space, owner, default), Describe),
                    model.FindByAddress(address) + " | " + model.FindByOwner(owner));
            }
        }
    }

    private static string State(IIpamStore store, string space, IReadOnlyList<Ipv4Prefix> modelSubnets, DateTimeOffset now)
    {
        var lines = new List<string>
        {
            string.Join(" ", store.ListSubnetsAsync(space, default).AsTask().GetAwaiter().GetResult().Select(s => s.Prefix)),
            store.GetPoolUtilizationAsync(space, ReferenceIpam.Pool, now, default).AsTask().GetAwaiter().GetResult().ToString(),
            store.GetSpaceUtilizationAsync(space, now, default).AsTask().GetAwaiter().GetResult().ToString(),
        };
        foreach (var prefix in modelSubnets)
        {
            lines.Add($"{prefix} {Answer(() => store.GetSubnetUtilizationAsync(space, prefix, now, default), u => u.ToString())}");
            lines.Add(Answer(() => store.ListAllocationsAsync(space, prefix, default), Describe));
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

    private static string Answer<T>(Func<ValueTask<T>> operation, Func<T, string> describe, Func<Exception, string>? detail = null)
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
