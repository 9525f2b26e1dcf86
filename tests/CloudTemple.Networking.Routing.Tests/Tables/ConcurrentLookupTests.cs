namespace CloudTemple.Networking.Routing.Tests.Tables;

/// <summary>
/// Readers look up while a writer keeps adding and removing routes: for every address each
/// answer must be the one before or the one after the change in flight, never anything else.
/// </summary>
public class ConcurrentLookupTests
{
    [Fact]
    public async Task Readers_see_the_old_or_the_new_answer_for_every_address_never_anything_else()
    {
        var random = new Random(20261123);
        var table = new RouteTable("main", new VpcRoutingOptions { RequireReachableNextHops = false });

        // A fixed background of nested routes (short and long prefixes, several metrics).
        var background = new List<Route> { Route.ExternalGateway(Ipv4Prefix.Any) };
        for (int i = 0; i < 3000; i++)
        {
            int length = random.Next(8, 33);
            var prefix = Ipv4Prefix.Containing(new Ipv4Address(0x0A000000u | (uint)random.Next(0, 1 << 24)), length);
            background.Add(Route.Via(prefix, new Ipv4Address((uint)random.Next()), (uint)random.Next(0, 3)));
        }

        table.AddRange(background.Distinct());

        // Toggled routes: pairwise disjoint, so at most one is in flight for any address. They cover
        // every level of the table: a /6 (many first-level slots and nodes), a /20, a /28, a /32,
        // and a better-metric twin of an existing route (the best route of a prefix changes).
        var twinOf = background[1];
        Route[] toggled =
        [
            Route.Blackhole(Ipv4Prefix.Parse("16.0.0.0/6")),
            Route.Unreachable(Ipv4Prefix.Parse("10.20.16.0/20")),
            Route.Via(Ipv4Prefix.Parse("10.30.0.16/28"), Ipv4Address.Parse("192.0.2.1")),
            Route.Blackhole(Ipv4Prefix.Parse("10.40.0.7/32")),
            Route.Via(twinOf.Prefix, Ipv4Address.Parse("192.0.2.99"), twinOf.Metric == 0 ? 0 : twinOf.Metric - 1),
        ];
        foreach (var t in toggled)
        {
            foreach (var u in toggled)
            {
                Assert.True(t == u || !t.Prefix.Overlaps(u.Prefix) || t == toggled[^1] || u == toggled[^1]);
            }
        }

        // Probes: edges of the toggled prefixes plus random addresses; for each, the answer with and without its toggle.
        var probes = toggled.SelectMany(r => new[] { r.Prefix.First, r.Prefix.Last, new Ipv4Address(r.Prefix.First.Value - 1), new Ipv4Address(r.Prefix.Last.Value + 1) })
            .Concat(Enumerable.Range(0, 2000).Select(_ => new Ipv4Address(0x0A000000u | (uint)random.Next(0, 1 << 24))))
            .Concat(Enumerable.Range(0, 500).Select(_ => new Ipv4Address(0x10000000u | (uint)random.Next(0, 1 << 26))))
            .ToArray();
        var allowed = new HashSet<Route?>[probes.Length];
        for (int i = 0; i < probes.Length; i++)
        {
            allowed[i] = [table.Lookup(probes[i])];
        }

        foreach (var route in toggled)
        {
            table.Add(route);
            for (int i = 0; i < probes.Length; i++)
            {
                allowed[i].Add(table.Lookup(probes[i]));
            }

            table.Remove(route);
        }

        Assert.Contains(allowed, a => a.Count == 2); // the toggles do change answers

        using var stop = new CancellationTokenSource();
        await Task.Yield();
        int violations = 0;
        long lookups = 0;
        string? firstViolation = null;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            long local = 0;
            while (!stop.IsCancellationRequested)
            {
                for (int i = 0; i < probes.Length; i++)
                {
                    var answer = table.Lookup(probes[i]);
                    if (!allowed[i].Contains(answer))
                    {
                        Interlocked.Increment(ref violations);
                        Interlocked.CompareExchange(ref firstViolation, $"{probes[i]} answered {answer?.ToString() ?? "none"}", null);
                    }
                }

                local += probes.Length;
            }

            Interlocked.Add(ref lookups, local);
        })).ToArray();

        for (int round = 0; round < 400; round++)
        {
            foreach (var route in toggled)
            {
                table.Add(route);
            }

            foreach (var route in toggled.Reverse())
            {
                table.Remove(route);
            }
        }

        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.True(violations == 0, $"{violations} torn answers, first: {firstViolation}");
        Assert.True(lookups > 0);
    }
}
