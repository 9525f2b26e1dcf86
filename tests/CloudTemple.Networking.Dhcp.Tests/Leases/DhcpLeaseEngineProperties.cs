using CloudTemple.Networking.Dhcp.Protocol;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static CloudTemple.Networking.Dhcp.Tests.Leases.EngineHarness;

namespace CloudTemple.Networking.Dhcp.Tests.Leases;

public enum ClientAction
{
    Discover,
    Select,
    Renew,
    InitReboot,
    Decline,
    Release,
    Advance,
    Reclaim,
}

public sealed record ClientStep(ClientAction Action, int Client, int Parameter);

/// <summary>
/// Random interleavings of six clients (one with a reservation) over a four-address pool with short
/// timers, checked against a model of who holds what.
/// </summary>
[Properties(Arbitrary = [typeof(EngineProperties.StepGenerators)], MaxTest = 300)]
public class EngineProperties
{
    private static readonly Ipv4Address Reserved = Ipv4Address.Parse("10.0.0.50");
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Probation = TimeSpan.FromSeconds(300);

    public static class StepGenerators
    {
        public static Arbitrary<ClientStep[]> Steps() => Arb.From(
            Gen.Choose(1, 80).SelectMany(n => Gen.ArrayOf(
                Gen.Frequency(
                    (5, Gen.Constant(ClientAction.Discover)),
                    (5, Gen.Constant(ClientAction.Select)),
                    (2, Gen.Constant(ClientAction.Renew)),
                    (2, Gen.Constant(ClientAction.InitReboot)),
                    (1, Gen.Constant(ClientAction.Decline)),
                    (1, Gen.Constant(ClientAction.Release)),
                    (2, Gen.Constant(ClientAction.Advance)),
                    (1, Gen.Constant(ClientAction.Reclaim)))
                .SelectMany(_ => Gen.Choose(0, 5).SelectMany(_ => Gen.Choose(0, 400), (c, p) => (c, p)), (a, cp) => new ClientStep(a, cp.c, cp.p)),
                n)));
    }

    [Property]
    public void No_address_is_leased_to_two_clients_at_once(ClientStep[] steps) => Assert.Empty(Run(steps).DoubleLeases);

    [Property]
    public void Every_offered_or_acked_address_lies_in_its_subnets_pool_or_the_clients_reservation(ClientStep[] steps) => Assert.Empty(Run(steps).OutsidePool);

    [Property]
    public void A_declined_address_is_not_offered_during_probation(ClientStep[] steps) => Assert.Empty(Run(steps).OfferedOnProbation);

    [Property]
    public void The_pool_counts_exactly_the_addresses_the_store_holds(ClientStep[] steps) => Assert.Empty(Run(steps).PoolStoreMismatches);

    private sealed class Outcome
    {
        public List<string> DoubleLeases { get; } = [];

        public List<string> OutsidePool { get; } = [];

        public List<string> OfferedOnProbation { get; } = [];

        public List<string> PoolStoreMismatches { get; } = [];
    }

    private static MacAddress ClientMac(int client) => client == 5 ? MacAddress.Parse("02:00:00:00:00:aa") : Mac(client + 1);

    private static Outcome Run(ClientStep[] steps)
    {
        var outcome = new Outcome();
        using var h = new EngineHarness(o =>
        {
            o.Subnets[0].PoolEnd = Ipv4Address.Parse("10.0.0.103");
            o.Subnets[0].LeaseTime = Lease;
            o.DeclineProbation = Probation;
        });
        var subnet = h.Engine.Subnets[0];
        var offered = new Ipv4Address?[6];
        var acked = new Ipv4Address?[6];
        var bound = new Dictionary<Ipv4Address, (int Client, DateTimeOffset Until)>();
        var probation = new Dictionary<Ipv4Address, DateTimeOffset>();

        foreach (var step in steps)
        {
            var mac = ClientMac(step.Client);
            var now = h.Clock.GetUtcNow();
            Reply? reply = step.Action switch
            {
                ClientAction.Discover => h.Send(Message(DhcpMessageType.Discover, mac,
                    requested: step.Parameter % 3 == 0 ? new Ipv4Address(0x0A000064 + (uint)(step.Parameter % 5)) : null)),
                ClientAction.Select when offered[step.Client] is { } o => h.Send(Message(DhcpMessageType.Request, mac, requested: o, serverId: ServerAddress)),
                ClientAction.Renew when acked[step.Client] is { } a => h.Send(Message(DhcpMessageType.Request, mac, ciaddr: a)),
                ClientAction.InitReboot => h.Send(Message(DhcpMessageType.Request, mac,
                    requested: acked[step.Client] ?? new Ipv4Address(0x0A000064 + (uint)(step.Parameter % 5)))),
                ClientAction.Decline when acked[step.Client] is { } a => h.Send(Message(DhcpMessageType.Decline, mac, requested: a, serverId: ServerAddress)),
                ClientAction.Release when acked[step.Client] is { } a => h.Send(Message(DhcpMessageType.Release, mac, ciaddr: a, serverId: ServerAddress)),
                _ => null,
            };

            switch (step.Action)
            {
                case ClientAction.Advance:
                    h.Advance(TimeSpan.FromSeconds(step.Parameter));
                    break;
                case ClientAction.Reclaim:
                    h.Reclaim();
                    break;
                case ClientAction.Decline when acked[step.Client] is { } a:
                    if (h.LeaseOf(a) is { State: DhcpLeaseState.Declined } declined)
                    {
                        probation[a] = declined.ExpiresAt;
                        bound.Remove(a);
                    }

                    acked[step.Client] = null;
                    break;
                case ClientAction.Release when acked[step.Client] is { } a:
                    if (bound.TryGetValue(a, out var holder) && holder.Client == step.Client)
                    {
                        bound.Remove(a);
                    }

                    acked[step.Client] = null;
                    break;
            }

            if (reply is { Type: DhcpMessageType.Offer or DhcpMessageType.Ack } r)
            {
                var address = r.YourAddress;
                bool allowed = subnet.IsInPool(address) || (step.Client == 5 && address == Reserved);
                if (!allowed)
                {
                    outcome.OutsidePool.Add($"{r.Type} {address} to client {step.Client}");
                }

                if (probation.TryGetValue(address, out var until) && until > now)
                {
                    outcome.OfferedOnProbation.Add($"{r.Type} {address} to client {step.Client} at {now}, probation until {until}");
                }

                if (bound.TryGetValue(address, out var holder) && holder.Client != step.Client && holder.Until > now)
                {
                    outcome.DoubleLeases.Add($"{r.Type} {address} to client {step.Client} while client {holder.Client} holds it until {holder.Until}");
                }

                if (r.Type == DhcpMessageType.Offer)
                {
                    offered[step.Client] = address;
                }
                else
                {
                    foreach (var old in bound.Where(b => b.Value.Client == step.Client).Select(b => b.Key).ToList())
                    {
                        bound.Remove(old);
                    }

                    bound[address] = (step.Client, now + Lease);
                    acked[step.Client] = address;
                }
            }
            else if (reply is { Type: DhcpMessageType.Nak })
            {
                // A client stops using its address on a NAK (RFC 2131 section 4.4.1).
                foreach (var old in bound.Where(b => b.Value.Client == step.Client).Select(b => b.Key).ToList())
                {
                    bound.Remove(old);
                }

                acked[step.Client] = null;
                offered[step.Client] = null;
            }

            CheckPoolAgainstStore(h, subnet, outcome);
        }

        return outcome;
    }

    private static void CheckPoolAgainstStore(EngineHarness h, DhcpSubnet subnet, Outcome outcome)
    {
        var records = h.Store.ListAsync(default).AsTask().GetAwaiter().GetResult();
        long held = records.Count(l => subnet.IsInPool(l.Address) && l.State is DhcpLeaseState.Offered or DhcpLeaseState.Bound or DhcpLeaseState.Declined);
        long allocated = h.Allocated();
        if (held != allocated)
        {
            outcome.PoolStoreMismatches.Add($"store holds {held} pool addresses, pool counts {allocated}: {string.Join(", ", records)}");
        }

        var clients = records.Where(l => l.State is DhcpLeaseState.Offered or DhcpLeaseState.Bound).GroupBy(l => l.Client).Where(g => g.Count() > 1).ToList();
        if (clients.Count > 0)
        {
            outcome.PoolStoreMismatches.Add($"client {clients[0].Key} holds {clients[0].Count()} addresses");
        }
    }
}
