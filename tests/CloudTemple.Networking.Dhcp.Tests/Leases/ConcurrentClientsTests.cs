using CloudTemple.Networking.Dhcp.Protocol;

namespace CloudTemple.Networking.Dhcp.Tests.Leases;

/// <summary>Many clients handled in parallel by one engine (the gates are per client, not per engine).</summary>
public class ConcurrentClientsTests
{
    [Fact]
    public async Task Clients_acquiring_in_parallel_never_get_the_same_address_and_each_keeps_one_lease()
    {
        using var h = new EngineHarness();
        const int Clients = 90; // the pool holds 100

        var leased = await Task.WhenAll(Enumerable.Range(1, Clients).Select(n => Task.Run(async () =>
        {
            var mac = EngineHarness.Mac(n);
            var offer = await ProcessAsync(h, EngineHarness.Message(DhcpMessageType.Discover, mac, xid: (uint)n));
            // A retransmitted DISCOVER racing the REQUEST of the same client must not move it.
            var again = ProcessAsync(h, EngineHarness.Message(DhcpMessageType.Discover, mac, xid: (uint)n));
            var ack = await ProcessAsync(h, EngineHarness.Message(DhcpMessageType.Request, mac, requested: offer, serverId: EngineHarness.ServerAddress, xid: (uint)n));
            Assert.Equal(offer, await again);
            return (Mac: mac, Offer: offer, Ack: ack);
        })));

        Assert.All(leased, l => Assert.Equal(l.Offer, l.Ack));
        Assert.Equal(Clients, leased.Select(l => l.Ack).Distinct().Count());
        var bound = (await h.Store.ListAsync(CancellationToken.None)).Where(l => l.State == DhcpLeaseState.Bound).ToList();
        Assert.Equal(leased.Select(l => l.Ack).Order(), bound.Select(l => l.Address).Order());
        Assert.Equal(Clients, h.Allocated());
    }

    // The yiaddr of the reply (an OFFER or an ACK), or Any when there is none.
    private static async Task<Ipv4Address> ProcessAsync(EngineHarness h, byte[] request)
    {
        var reply = new byte[1500];
        var result = await h.Engine.ProcessAsync(request, reply, new DhcpRequestContext(EngineHarness.ServerAddress), CancellationToken.None);
        if (!result.HasReply)
        {
            return Ipv4Address.Any;
        }

        Assert.True(DhcpMessageReader.TryParse(reply.AsSpan(0, result.Length), out var message, out _));
        return message.YourAddress;
    }
}
